import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, requireProductionServices } from '../../src/config';
import { temporalEndpoint } from '../../src/temporal/connection';
import { DEFAULT_PRICES } from '../../src/domain/pricing';

describe('loadConfig', () => {
  test('gives CONTRACT.md defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      logLevel: 'info',
      temporal: { address: undefined, namespace: 'default', taskQueue: 'concierge', devPort: 7233, uiPort: 8233 },
      databaseUrl: undefined,
      llmProviders: [],
      conversation: { idleTimeoutMs: 30 * 60_000, handoffTimeoutMs: 2 * 3_600_000, maxMessages: 50, historyEventCap: 5_000 },
      channels: {},
    });
  });

  test.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ TEMPORAL_UI_PORT: '-1' }, 'TEMPORAL_UI_PORT'],
    [{ IDLE_TIMEOUT: 'soon' }, 'IDLE_TIMEOUT'],
    [{ MEMORY_MESSAGES: '2' }, 'MEMORY_MESSAGES'],
    [{ HISTORY_EVENT_CAP: 'lots' }, 'HISTORY_EVENT_CAP'],
    // Below one turn's worst case: every run would continue-as-new before it could answer.
    [{ HISTORY_EVENT_CAP: '300' }, 'HISTORY_EVENT_CAP'],
    [{ WORKFLOW_CACHE_SIZE: '0' }, 'WORKFLOW_CACHE_SIZE'],
    [{ WORKFLOW_BUNDLE: '/nowhere/workflow-bundle.js' }, 'WORKFLOW_BUNDLE'],
    [{ TELEGRAM_API_BASE: 'not a url' }, 'TELEGRAM_API_BASE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LLM_PROVIDERS: 'not json' }, 'LLM_PROVIDERS'],
    [{ LLM_PROVIDERS: '[{"name":"a","baseURL":"nope","apiKey":"k","model":"m"}]' }, 'LLM_PROVIDERS.0.baseURL'],
  ])('%j is rejected with a message naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^\\s+${variable.replace(/\./g, '\\.')}: `, 'm'));
  });

  test('never echoes a value back, since values may be secrets', () => {
    expect(() => loadConfig({ LLM_PROVIDERS: '{"apiKey":"sk-very-secret"' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('sk-very-secret') }),
    );
  });

  describe('Temporal Cloud and TLS clusters', () => {
    const pem = (name: string, text: string) => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'concierge-tls-')), name);
      writeFileSync(file, text);
      return file;
    };
    const address = 'concierge.a1b2c.tmprl.cloud:7233';

    test('an API key turns TLS on, as Temporal Cloud requires', () => {
      const { temporal } = loadConfig({ TEMPORAL_ADDRESS: address, TEMPORAL_API_KEY: 'tc-key' });
      expect(temporalEndpoint(address, temporal)).toEqual({ address, tls: {}, apiKey: 'tc-key' });
    });

    test('a client certificate and key are read at start for mTLS, with a private CA if given', () => {
      const env = { TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CERT: pem('client.pem', 'CERT'), TEMPORAL_TLS_KEY: pem('client.key', 'KEY'), TEMPORAL_TLS_CA: pem('ca.pem', 'CA') };
      const { tls } = temporalEndpoint(address, loadConfig(env).temporal);
      expect(tls?.clientCertPair?.crt.toString()).toBe('CERT');
      expect(tls?.clientCertPair?.key.toString()).toBe('KEY');
      expect(tls?.serverRootCACertificate?.toString()).toBe('CA');
    });

    test('without credentials the connection stays plaintext', () => {
      expect(temporalEndpoint(address, loadConfig({ TEMPORAL_ADDRESS: address }).temporal)).toEqual({ address });
    });

    test.each([
      [{ TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CERT: '/nonexistent/client.pem', TEMPORAL_TLS_KEY: '/nonexistent/client.key' }, 'TEMPORAL_TLS_CERT'],
      [{ TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CERT: pem('lonely.pem', 'CERT') }, 'TEMPORAL_TLS_KEY'],
      [{ TEMPORAL_API_KEY: 'tc-key' }, 'TEMPORAL_API_KEY'],
    ])('%j is refused, naming %s', (env, variable) => {
      expect(() => loadConfig(env)).toThrow(new RegExp(`^\\s+${variable}: `, 'm'));
    });
  });

  test('reads durations as operators write them', () => {
    expect(loadConfig({ IDLE_TIMEOUT: '45s', CHAT_REPLY_TIMEOUT: '1500ms' })).toMatchObject({
      conversation: { idleTimeoutMs: 45_000 },
      chatReplyTimeoutMs: 1_500,
    });
    expect(loadConfig({ IDLE_TIMEOUT: '2h' }).conversation.idleTimeoutMs).toBe(7_200_000);
  });

  test('OPENAI_* variables are shorthand for a one-provider chain; LLM_PROVIDERS wins', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-1' }).llmProviders).toEqual([
      {
        name: 'openai',
        baseURL: 'https://api.openai.com/v1',
        apiKey: 'sk-1',
        model: 'gpt-4o-mini',
        timeout: 45_000,
        vision: true,
        transcriptionModel: 'whisper-1',
      },
    ]);
    const chain = [
      { name: 'deepseek', baseURL: 'https://api.deepseek.com/v1', apiKey: 'k1', model: 'deepseek-chat' },
      { name: 'local', baseURL: 'http://127.0.0.1:11434/v1', apiKey: 'ollama', model: 'llama3' },
    ];
    expect(loadConfig({ OPENAI_API_KEY: 'sk-1', LLM_PROVIDERS: JSON.stringify(chain) }).llmProviders).toEqual(
      chain.map((provider) => ({ ...provider, timeout: 45_000, vision: true })),
    );
  });

  test('a chain whose timeouts cannot all fit in a model step is refused at start, naming LLM_PROVIDERS', () => {
    const chain = [
      { name: 'a', baseURL: 'https://a.example/v1', apiKey: 'k', model: 'm', timeout: 60_000 },
      { name: 'b', baseURL: 'https://b.example/v1', apiKey: 'k', model: 'm', timeout: 60_000 },
    ];
    expect(() => loadConfig({ LLM_PROVIDERS: JSON.stringify(chain) })).toThrow(ConfigError);
    expect(() => loadConfig({ LLM_PROVIDERS: JSON.stringify(chain) })).toThrow(
      /^\s+LLM_PROVIDERS: the providers' timeouts add up to 120000 ms, more than the 115000 ms a model step has for them; lower "timeout"/m,
    );
  });

  test('a chain given without timeouts is sized to fit a model step', () => {
    const provider = (name: string) => ({ name, baseURL: `https://${name}.example/v1`, apiKey: 'k', model: 'm' });
    const timeouts = (chain: object[]) => loadConfig({ LLM_PROVIDERS: JSON.stringify(chain) }).llmProviders.map((p) => p.timeout);
    expect(timeouts([provider('a'), provider('b')])).toEqual([45_000, 45_000]);
    expect(timeouts([provider('a'), provider('b'), provider('c')])).toEqual([38_333, 38_333, 38_333]);
    expect(timeouts([{ ...provider('a'), timeout: 20_000 }, provider('b'), provider('c')])).toEqual([20_000, 45_000, 45_000]);
  });

  test('model prices add to the built-in table and override it', () => {
    const { llmPrices } = loadConfig({ LLM_PRICES: '{"llama3":{"inputPerMillion":0,"outputPerMillion":0},"gpt-4o":{"inputPerMillion":1,"outputPerMillion":2}}' });
    expect(llmPrices['llama3']).toEqual({ inputPerMillion: 0, outputPerMillion: 0 });
    expect(llmPrices['gpt-4o']).toEqual({ inputPerMillion: 1, outputPerMillion: 2 });
    expect(llmPrices['gpt-4o-mini']).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(() => loadConfig({ LLM_PRICES: '{"m":{"inputPerMillion":-1,"outputPerMillion":0}}' })).toThrow(/LLM_PRICES\.m\.inputPerMillion/);
  });

  test('an empty variable counts as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, databaseUrl: undefined });
  });

  test('production processes require TEMPORAL_ADDRESS and DATABASE_URL', () => {
    expect(() => requireProductionServices(loadConfig({}))).toThrow(/TEMPORAL_ADDRESS: required[\s\S]*DATABASE_URL: required/);
    expect(
      requireProductionServices(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', DATABASE_URL: 'postgres://db/concierge' })),
    ).toEqual({ temporalAddress: 'temporal:7233', databaseUrl: 'postgres://db/concierge' });
  });
});
