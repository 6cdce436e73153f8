import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { stateQuery } from '../src/workflows';
import { freePort } from './helpers/free-port';
import { httpClient, type HttpRequest } from './helpers/http';
import { startTcpProxy } from './helpers/tcp-proxy';
import { waitFor } from './helpers/wait-for';
import { createTestDatabase, testTemporalAddress, testWorkflowBundle, type TestDatabase } from './helpers/services';

const ROOT = path.resolve(__dirname, '..');
/** How package.json's scripts run an entry point: node with tsx's loader, one process. */
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;

interface Started {
  process: ChildProcess;
  exited: Promise<number | null>;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** The first line of its output matching the pattern, once there is one. */
  waitForLine(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
}

/** Every process started here, so that a failed test still stops them (and their servers). */
const spawned: Started[] = [];
const ADMIN_TOKEN = 'processes-admin-token-0123456789';

/** Requests with the operator's bearer token: the tests name their own chat sessions. */
function backend(baseUrl: string): HttpRequest {
  const request = httpClient(baseUrl);
  return (method, path, body, headers) => request(method, path, body, { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers });
}

/**
 * Runs an entry point as `npm start` / `npm run …` does, with the workflow code the suite bundled
 * (as a deployment's image has it) unless `env` says otherwise.
 */
function spawnProcess(entry: string, env: NodeJS.ProcessEnv): Started {
  const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), entry], {
    cwd: ROOT,
    env: { ...process.env, WORKFLOW_BUNDLE: testWorkflowBundle().codePath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const onOutput: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const notify of onOutput) notify();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitForLine = (pattern: string | RegExp, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const find = () => output.split('\n').find((line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)));
      const check = () => {
        const line = find();
        if (line === undefined) return;
        clearTimeout(timer);
        onOutput.splice(onOutput.indexOf(check), 1);
        resolve(line);
      };
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${output.slice(-3000)}`)), timeoutMs);
      onOutput.push(check);
      check();
      void exited.then((code) => {
        if (find() === undefined) reject(new Error(`exited with ${code} before a line matching ${pattern}:\n${output.slice(-3000)}`));
      });
    });
  const started = { process: child, exited, output: () => output, waitForLine };
  spawned.push(started);
  return started;
}

/** Runs an entry point and waits for its line saying `ready`. */
async function startProcess(entry: string, env: NodeJS.ProcessEnv): Promise<Started & { readyLine: string }> {
  const started = spawnProcess(entry, env);
  return { ...started, readyLine: await started.waitForLine('ready') };
}

const startAll = (env: NodeJS.ProcessEnv) => startProcess('src/main.ts', env);

afterAll(async () => {
  for (const child of spawned) {
    if (child.process.exitCode === null) child.process.kill('SIGTERM');
    await child.exited;
  }
});

async function stop(started: Started): Promise<number | null> {
  started.process.kill('SIGTERM');
  return started.exited;
}

/** Processes whose command line names the given text (our data dir or port): "<pid> <command line>". */
function processesMentioning(text: string): string[] {
  const { stdout } = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(text) && !/^\d+ ps /.test(line));
}

/** The pid of the one process whose command line names the text. */
function pidMentioning(text: string): number {
  const [line, ...more] = processesMentioning(text);
  if (!line || more.length > 0) throw new Error(`expected one process mentioning ${text}, found: ${[line, ...more].join('; ')}`);
  return Number(line.split(' ')[0]);
}

/** The postmaster of the embedded PostgreSQL, from the first line of its lock file. */
async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** A data directory and ports of its own for one `npm start`. */
async function startEnvironment(): Promise<{ env: NodeJS.ProcessEnv; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'concierge-start-'));
  await chmod(dataDir, 0o755); // as root, PostgreSQL runs as its own user and must reach its data dir
  const env = {
    CONCIERGE_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    // The tests name their chat sessions, as a business backend does: that needs a bearer token.
    ADMIN_TOKEN,
  };
  return { env, dataDir };
}

describe('npm start (everything on one machine)', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  beforeAll(async () => {
    ({ env, dataDir } = await startEnvironment());
  });

  test('starts, answers a chat, stops cleanly, and keeps the conversation and database across a restart', async () => {
    // Bundling its workflow code itself, as `npm start` in a checkout does.
    const running = await startAll({ ...env, WORKFLOW_BUNDLE: undefined });
    expect(running.readyLine).toContain(`http://localhost:${env.PORT}`);
    expect(running.readyLine).toContain(`http://localhost:${env.TEMPORAL_UI_PORT}`);
    expect(running.readyLine).not.toContain(':concierge@'); // the database password is masked

    const api = backend(`http://127.0.0.1:${env.PORT}`);
    const first = await api('POST', '/api/chat', { session_id: 's1', message: 'Hola' });
    expect(first.status).toBe(200);
    expect(typeof first.body.reply).toBe('string');
    expect((await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`)).status).toBe(200);
    expect((await api('GET', '/health')).status).toBe(200);

    const temporalAddress = `127.0.0.1:${env.TEMPORAL_DEV_PORT}`;
    const listed = await withClient(temporalAddress, async (client) => {
      const ids: string[] = [];
      for await (const execution of client.workflow.list({ query: "TenantId='demo'" })) ids.push(execution.workflowId);
      return { ids, runId: (await client.workflow.getHandle('conversation:demo:web:s1').describe()).runId };
    });
    expect(listed.ids).toEqual(['conversation:demo:web:s1']);
    const databaseUrl = `postgres://concierge:concierge@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/concierge`;
    const migratedAt = await appliedAt(databaseUrl);

    expect(await stop(running)).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(processesMentioning(`--port ${env.TEMPORAL_DEV_PORT}`)).toEqual([]);

    const restarted = await startAll(env);
    const second = await api('POST', '/api/chat', { session_id: 's1', message: 'Sigo aquí' });
    expect(second.status).toBe(200);
    const after = await withClient(temporalAddress, async (client) => {
      const handle = client.workflow.getHandle('conversation:demo:web:s1');
      return { runId: (await handle.describe()).runId, state: await handle.query(stateQuery) };
    });
    expect(after.runId).toBe(listed.runId);
    expect(after.state.transcript.filter((entry) => entry.role === 'customer').map((entry) => entry.text)).toEqual([
      'Hola',
      'Sigo aquí',
    ]);
    expect(await appliedAt(databaseUrl)).toEqual(migratedAt);
    expect(await stop(restarted)).toBe(0);
  }, 180_000); // two cold starts, each bundling the workflow code

  test('restarts embedded PostgreSQL and Temporal when they die, keeping the conversation, and gives up when PostgreSQL cannot restart', async () => {
    const own = await startEnvironment();
    const running = await startAll(own.env);
    const api = backend(`http://127.0.0.1:${own.env.PORT}`);
    const chat = (message: string) => api('POST', '/api/chat', { session_id: 'crash', message });
    /** Chats until one is answered: the servers are back and everything reconnected. */
    const answeredAgain = (message: string) =>
      waitFor(`an answer to "${message}"`, async () => (await chat(message).catch(() => ({ status: 0 }))).status === 200, 60_000);
    expect((await chat('Hola')).status).toBe(200);

    process.kill(await postmasterPid(own.dataDir), 'SIGKILL');
    await running.waitForLine('embedded PostgreSQL was killed by SIGKILL; restarting it');
    await waitFor('/health 200 after PostgreSQL restarted', async () => (await api('GET', '/health').catch(() => ({ status: 0 }))).status === 200, 60_000);
    await answeredAgain('¿Siguen ahí?');

    process.kill(pidMentioning(`--port ${own.env.TEMPORAL_DEV_PORT} `), 'SIGKILL');
    await running.waitForLine('Temporal dev server was killed by SIGKILL; restarting it');
    await waitFor('/health 200 after Temporal restarted', async () => (await api('GET', '/health').catch(() => ({ status: 0 }))).status === 200, 60_000);
    await answeredAgain('¿Y ahora?');

    // The dev server kept its SQLite file: the same conversation, every message in it.
    const state = await withClient(`127.0.0.1:${own.env.TEMPORAL_DEV_PORT}`, (client) => client.workflow.getHandle('conversation:demo:web:crash').query(stateQuery));
    const customerSaid = state.transcript.filter((entry) => entry.role === 'customer').map((entry) => entry.text);
    expect(customerSaid[0]).toBe('Hola');
    expect(customerSaid).toContain('¿Siguen ahí?');
    expect(customerSaid).toContain('¿Y ahora?');

    // A data directory PostgreSQL may not enter: every restart fails, and the process gives up.
    const postgresDir = path.join(own.dataDir, 'postgres');
    await chmod(postgresDir, 0o000);
    try {
      process.kill(await postmasterPid(own.dataDir), 'SIGKILL');
      expect(await running.exited).toBe(1);
    } finally {
      await chmod(postgresDir, 0o700);
    }
    expect(running.output()).toMatch(/concierge: embedded PostgreSQL could not be restarted: PostgreSQL did not start: .+; it failed \d times within 10 min, giving up/);
    expect(processesMentioning(own.dataDir)).toEqual([]);
    expect(processesMentioning(`--port ${own.env.TEMPORAL_DEV_PORT} `)).toEqual([]);
  }, 240_000);

  test('a bad setting exits non-zero with a message naming the variable', () => {
    const result = spawnSync(NODE_TSX[0], [...NODE_TSX.slice(1), 'src/main.ts'], { cwd: ROOT, env: { ...process.env, PORT: 'abc' }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT: must be a port number/);
  });
});

describe('npm run api + npm run worker (production processes)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  test('serve chats as separate processes against external Temporal and PostgreSQL, and stop cleanly', async () => {
    const env = {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      DATABASE_URL: db.url,
      TEMPORAL_TASK_QUEUE: `processes-${randomUUID()}`,
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      ADMIN_TOKEN,
    };
    const [worker, api] = await Promise.all([startProcess('src/worker.ts', env), startProcess('src/api/main.ts', env)]);
    const response = await backend(`http://127.0.0.1:${env.PORT}`)('POST', '/api/chat', { session_id: 'prod-1', message: 'Hola' });
    expect(response.status).toBe(200);
    expect(response.body.reply).toContain('Clínica Demo');
    expect(await stop(api)).toBe(0);
    expect(await stop(worker)).toBe(0);
  }, 120_000);

  test('npm run api waits for PostgreSQL and Temporal to come up, saying so, then serves', async () => {
    const [postgresPort, temporalPort] = [await freePort(), await freePort()];
    const databaseUrl = db.url.replace(`:${new URL(db.url).port}/`, `:${postgresPort}/`);
    const api = spawnProcess('src/api/main.ts', {
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      DATABASE_URL: databaseUrl,
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    });
    const waitingForPostgres = await api.waitForLine('waiting for PostgreSQL at');
    expect(waitingForPostgres).toContain(`postgres://concierge:***@127.0.0.1:${postgresPort}/`);
    expect(api.output()).not.toContain(':concierge@'); // never the password
    await api.waitForLine(`waiting for Temporal at 127.0.0.1:${temporalPort}`);

    // The servers appear on those ports (a proxy to the test servers).
    const target = new URL(db.url);
    const proxies = [
      await startTcpProxy({ host: target.hostname, port: Number(target.port) }, postgresPort),
      await startTcpProxy({ host: '127.0.0.1', port: Number(testTemporalAddress().split(':')[1]) }, temporalPort),
    ];
    try {
      const ready = JSON.parse(await api.waitForLine('"api ready"', 30_000));
      expect((await httpClient(ready.url.replace('localhost', '127.0.0.1'))('GET', '/health')).status).toBe(200);
      expect(await stop(api)).toBe(0);
    } finally {
      for (const proxy of proxies) await proxy.close();
    }
  }, 90_000);

  test('npm run worker stops cleanly when told to while it waits', async () => {
    const worker = spawnProcess('src/worker.ts', {
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
      DATABASE_URL: `postgres://concierge:secret@127.0.0.1:${await freePort()}/concierge`,
      LOG_LEVEL: 'info',
    });
    await worker.waitForLine('waiting for Temporal at');
    const stoppedAt = Date.now();
    expect(await stop(worker)).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(worker.output()).not.toContain('secret');
  }, 60_000);

  test('refuse to start without TEMPORAL_ADDRESS and DATABASE_URL', () => {
    for (const entry of ['src/worker.ts', 'src/api/main.ts']) {
      const result = spawnSync(NODE_TSX[0], [...NODE_TSX.slice(1), entry], { cwd: ROOT, env: { ...process.env, TEMPORAL_ADDRESS: '', DATABASE_URL: '' }, encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/TEMPORAL_ADDRESS: required[\s\S]*DATABASE_URL: required/);
    }
  });
});

async function withClient<T>(address: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await fn(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

async function appliedAt(databaseUrl: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows;
  } finally {
    await client.end();
  }
}
