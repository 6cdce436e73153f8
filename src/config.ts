import { existsSync, readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';
import { CrmProviderSchema, type CrmSettings } from './crm/adapter';
import type { DemoChannels } from './channels/setup';
import { parseDuration } from './domain/duration';
import { MIN_HISTORY_EVENT_CAP } from './domain/history-limits';
import { DEFAULT_PRICES, PriceTableSchema } from './domain/pricing';
import { chainTimeouts, DEFAULT_REQUEST_TIMEOUT_MS } from './domain/provider-budget';

/** One OpenAI-compatible endpoint of the provider chain, tried in the order given. */
const LlmProviderFields = z.object({
  name: z.string().min(1),
  baseURL: z.url(),
  apiKey: z.string().min(1),
  model: z.string().min(1),
  /**
   * Milliseconds one request may take; then the next provider is asked. Unset: sized from the
   * chain's length (chainTimeouts), since the whole chain must fit in one model step.
   */
  timeout: z.number().int().positive().optional(),
  /** Whether the model reads images; without it, images reach the model as a note. */
  vision: z.boolean().default(true),
  /** The provider's speech-to-text model (e.g. "whisper-1"); voice notes need one somewhere in the chain. */
  transcriptionModel: z.string().min(1).optional(),
});

/** A provider on its own (a chain of one): the default timeout when none is given. */
export const LlmProviderSchema = LlmProviderFields.transform((provider) => ({ ...provider, timeout: provider.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS }));
export type LlmProvider = z.output<typeof LlmProviderSchema>;

/** The chain, each provider's timeout filled in; refused when the timeouts cannot all fit in a step. */
const LlmChainSchema = z
  .array(LlmProviderFields)
  .min(1)
  .transform((providers, ctx): LlmProvider[] => {
    const sized = chainTimeouts(providers.map((provider) => provider.timeout));
    if (!sized.ok) {
      ctx.addIssue({ code: 'custom', message: sized.reason });
      return z.NEVER;
    }
    return providers.map((provider, index) => ({ ...provider, timeout: sized.timeouts[index]! }));
  });

const port = z
  .string()
  .regex(/^\d+$/, 'must be a port number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535'));

const wholeNumber = (min: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`));

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 45s, 30m or 2h' });
    return z.NEVER;
  }
  return ms;
});

/** A PEM file's contents, read at start so that a wrong path stops the process at once. */
const pemFile = z.string().transform((path, ctx) => {
  try {
    return readFileSync(path);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a readable PEM file' });
    return z.NEVER;
  }
});

const json = (shape: string) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be JSON: ${shape}` });
      return z.NEVER;
    }
  });

const EnvSchema = z.object({
  PORT: port.default(3000),
  /** The address the API listens on: 0.0.0.0 every IPv4 interface, :: every interface, 127.0.0.1 this machine only. */
  API_HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * Behind a reverse proxy or load balancer, which of them to believe about the client's address
   * (X-Forwarded-For), so that per-address limits count clients, not the proxy: `true` (all) or
   * their addresses and CIDR ranges, separated by commas. Unset: none.
   */
  TRUST_PROXY: z
    .string()
    .transform((text): boolean | string[] => (text === 'true' ? true : text === 'false' ? false : text.split(',').map((part) => part.trim())))
    .optional(),
  /** Set: /metrics is served there without a token, and not on PORT. */
  METRICS_PORT: port.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('concierge'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  /** Temporal Cloud (or any cluster behind TLS): an API key, or a client certificate and key (mTLS). */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT: pemFile.optional(),
  TEMPORAL_TLS_KEY: pemFile.optional(),
  /** A private CA's certificate, for a self-hosted cluster whose certificate no public CA signed. */
  TEMPORAL_TLS_CA: pemFile.optional(),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  EMBEDDED_POSTGRES_PORT: port.default(5433),
  CONCIERGE_DATA_DIR: z.string().min(1).default('.data'),
  LLM_PROVIDERS: json('an array of {name, baseURL, apiKey, model}').pipe(LlmChainSchema).optional(),
  LLM_PRICES: json('{"<model>": {"inputPerMillion": 0.15, "outputPerMillion": 0.6}}').pipe(PriceTableSchema).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().default('https://api.openai.com/v1'),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TRANSCRIPTION_MODEL: z.string().min(1).default('whisper-1'),
  IDLE_TIMEOUT: duration.default(30 * 60_000),
  HANDOFF_TIMEOUT: duration.default(2 * 3_600_000),
  MEMORY_MESSAGES: wholeNumber(4).default(50),
  HISTORY_EVENT_CAP: wholeNumber(MIN_HISTORY_EVENT_CAP).default(5_000),
  WORKFLOW_CACHE_SIZE: wholeNumber(10).default(500),
  WORKFLOW_BUNDLE: z
    .string()
    .min(1)
    .refine((file) => existsSync(file), 'no such file: make it with npm run bundle-workflows')
    .optional(),
  WHATSAPP_API_BASE: z.url().default('https://graph.facebook.com/v21.0'),
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().min(1).optional(),
  WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
  WHATSAPP_REMINDER_TEMPLATE: z.string().min(1).default('appointment_reminder'),
  WHATSAPP_TEMPLATE_LANGUAGE: z.string().min(1).default('es_AR'),
  EVOLUTION_API_URL: z.url().optional(),
  EVOLUTION_API_KEY: z.string().min(1).optional(),
  EVOLUTION_INSTANCE: z.string().min(1).optional(),
  TELEGRAM_API_BASE: z.url().default('https://api.telegram.org'),
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().min(1).optional(),
  GUPSHUP_API_BASE: z.url().default('https://api.gupshup.io'),
  GUPSHUP_API_KEY: z.string().min(1).optional(),
  GUPSHUP_APP_NAME: z.string().min(1).optional(),
  GUPSHUP_SOURCE: z.string().min(1).optional(),
  GUPSHUP_WEBHOOK_TOKEN: z.string().min(1).optional(),
  GUPSHUP_REMINDER_TEMPLATE_ID: z.string().min(1).optional(),
  BITRIX24_REST_URL: z.url().optional(),
  BITRIX24_APPLICATION_TOKEN: z.string().min(1).optional(),
  BITRIX24_BOT_ID: z.string().min(1).optional(),
  /** The app's client id: imbot.message.add over an inbound-webhook URL requires it. */
  BITRIX24_CLIENT_ID: z.string().min(1).optional(),
  /** Signs anonymous web chat sessions; unset: derived from ADMIN_TOKEN (or random, in dev). */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CHAT_REPLY_TIMEOUT: duration.default(30_000),
  /** Keys contacts in Temporal for tenants with opaqueContactKeys (src/domain/contact-key.ts); never change it. */
  CONTACT_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** A tenant configuration document (JSON) the API makes, or brings the tenant up to, at every start. */
  TENANT_CONFIG_FILE: z.string().min(1).optional(),
  CRM_PROVIDER: CrmProviderSchema.default('builtin'),
  CRM_BASE_URL: z.url().optional(),
  CRM_TOKEN: z.string().min(1).optional(),
  CRM_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
}).superRefine((env, context) => {
  if (env.METRICS_PORT === env.PORT) context.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
  if ((env.TEMPORAL_TLS_CERT === undefined) !== (env.TEMPORAL_TLS_KEY === undefined)) {
    context.addIssue({ code: 'custom', path: [env.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'], message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together' });
  }
  // The embedded dev server speaks plaintext only: credentials without an address are a mistake.
  for (const name of ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_CA'] as const) {
    if (env[name] !== undefined && env.TEMPORAL_ADDRESS === undefined) context.addIssue({ code: 'custom', path: [name], message: 'needs TEMPORAL_ADDRESS' });
  }
  // Reported with every other bad setting: a lead pushed nowhere is found out too late.
  for (const name of CRM_NEEDS[env.CRM_PROVIDER]) {
    if (env[name] === undefined) context.addIssue({ code: 'custom', path: [name], message: `required with CRM_PROVIDER=${env.CRM_PROVIDER}` });
  }
});

const ConfigSchema = EnvSchema.transform((env) => ({
  port: env.PORT,
  apiHost: env.API_HOST,
  trustProxy: env.TRUST_PROXY ?? false,
  metricsPort: env.METRICS_PORT,
  logLevel: env.LOG_LEVEL,
  temporal: {
    /** Unset: `npm start` runs an embedded dev server on `devPort`. */
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    cliPath: env.TEMPORAL_CLI_PATH,
    devPort: env.TEMPORAL_DEV_PORT,
    uiPort: env.TEMPORAL_UI_PORT,
    workflowCacheSize: env.WORKFLOW_CACHE_SIZE,
    /** Unset: the worker bundles `src/workflows` as it starts (seconds). */
    workflowBundlePath: env.WORKFLOW_BUNDLE,
    apiKey: env.TEMPORAL_API_KEY,
    tls: temporalTls(env),
  },
  /** Unset: `npm start` runs an embedded PostgreSQL under `dataDir`. */
  databaseUrl: env.DATABASE_URL,
  embeddedPostgresPort: env.EMBEDDED_POSTGRES_PORT,
  dataDir: env.CONCIERGE_DATA_DIR,
  /** Empty: the built-in offline model answers. */
  llmProviders:
    env.LLM_PROVIDERS ??
    (env.OPENAI_API_KEY
      ? [
          LlmProviderSchema.parse({
            name: 'openai',
            baseURL: env.OPENAI_BASE_URL,
            apiKey: env.OPENAI_API_KEY,
            model: env.OPENAI_MODEL,
            transcriptionModel: env.OPENAI_TRANSCRIPTION_MODEL,
          }),
        ]
      : []),
  llmPrices: { ...DEFAULT_PRICES, ...env.LLM_PRICES },
  chatReplyTimeoutMs: env.CHAT_REPLY_TIMEOUT,
  /** The operator's bearer token for /admin; `npm start` makes one up when unset. */
  adminToken: env.ADMIN_TOKEN,
  tenantConfigFile: env.TENANT_CONFIG_FILE,
  conversation: {
    idleTimeoutMs: env.IDLE_TIMEOUT,
    handoffTimeoutMs: env.HANDOFF_TIMEOUT,
    maxMessages: env.MEMORY_MESSAGES,
    foldBatch: Math.max(1, Math.round(env.MEMORY_MESSAGES / 5)),
    historyEventCap: env.HISTORY_EVENT_CAP,
  },
  /** The demo tenant's channels (other tenants keep theirs in PostgreSQL); unset: disabled. */
  channels: demoChannels(env),
  sessionSecret: env.SESSION_SECRET,
  contactKeySecret: env.CONTACT_KEY_SECRET,
  /** The demo tenant's CRM (other tenants keep theirs in PostgreSQL). */
  demoCrm: demoCrm(env),
}));

export type Config = z.infer<typeof ConfigSchema>;

/**
 * The demo tenant's channels from env (CONTRACT.md), as the flat documents `tenant_channels`
 * holds for other tenants. A channel is enabled once its credentials are set; its adapter
 * checks them when the process starts.
 */
function demoChannels(env: z.infer<typeof EnvSchema>): DemoChannels {
  const enabled = (required: unknown[], config: Record<string, unknown>) => (required.every(Boolean) ? config : undefined);
  const channels: DemoChannels = {
    whatsapp: enabled([env.WHATSAPP_ACCESS_TOKEN, env.WHATSAPP_PHONE_NUMBER_ID, env.WHATSAPP_APP_SECRET], {
      apiBase: env.WHATSAPP_API_BASE,
      accessToken: env.WHATSAPP_ACCESS_TOKEN,
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: env.WHATSAPP_APP_SECRET,
      verifyToken: env.WHATSAPP_VERIFY_TOKEN,
      reminderTemplate: { name: env.WHATSAPP_REMINDER_TEMPLATE, language: env.WHATSAPP_TEMPLATE_LANGUAGE },
    }),
    evolution: enabled([env.EVOLUTION_API_URL, env.EVOLUTION_API_KEY, env.EVOLUTION_INSTANCE], {
      apiUrl: env.EVOLUTION_API_URL,
      apiKey: env.EVOLUTION_API_KEY,
      instance: env.EVOLUTION_INSTANCE,
    }),
    telegram: enabled([env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_WEBHOOK_SECRET], {
      apiBase: env.TELEGRAM_API_BASE,
      botToken: env.TELEGRAM_BOT_TOKEN,
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
    }),
    gupshup: enabled([env.GUPSHUP_API_KEY, env.GUPSHUP_APP_NAME, env.GUPSHUP_SOURCE, env.GUPSHUP_WEBHOOK_TOKEN], {
      apiBase: env.GUPSHUP_API_BASE,
      apiKey: env.GUPSHUP_API_KEY,
      appName: env.GUPSHUP_APP_NAME,
      source: env.GUPSHUP_SOURCE,
      webhookToken: env.GUPSHUP_WEBHOOK_TOKEN,
      reminderTemplate: env.GUPSHUP_REMINDER_TEMPLATE_ID ? { name: env.GUPSHUP_REMINDER_TEMPLATE_ID, language: 'es' } : undefined,
    }),
    bitrix24: enabled([env.BITRIX24_REST_URL, env.BITRIX24_APPLICATION_TOKEN, env.BITRIX24_BOT_ID], {
      restUrl: env.BITRIX24_REST_URL,
      applicationToken: env.BITRIX24_APPLICATION_TOKEN,
      botId: env.BITRIX24_BOT_ID,
      clientId: env.BITRIX24_CLIENT_ID,
    }),
  };
  return Object.fromEntries(Object.entries(channels).filter(([, config]) => config !== undefined));
}

/** TLS once any of its settings (or an API key, which Temporal Cloud only takes over TLS) is given. */
function temporalTls(env: z.infer<typeof EnvSchema>): TLSConfig | undefined {
  const { TEMPORAL_API_KEY: apiKey, TEMPORAL_TLS_CERT: crt, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca } = env;
  if (!apiKey && !crt && !ca) return undefined;
  return { ...(crt && key ? { clientCertPair: { crt, key } } : {}), ...(ca ? { serverRootCACertificate: ca } : {}) };
}

/** What each CRM needs set besides CRM_PROVIDER. */
const CRM_NEEDS: Record<CrmSettings['provider'], ('CRM_BASE_URL' | 'CRM_TOKEN' | 'CRM_WEBHOOK_SECRET')[]> = {
  builtin: [],
  bitrix24: ['CRM_BASE_URL'],
  krayin: ['CRM_BASE_URL', 'CRM_TOKEN'],
  hubspot: ['CRM_TOKEN'],
  webhook: ['CRM_BASE_URL', 'CRM_WEBHOOK_SECRET'],
};

function demoCrm(env: z.infer<typeof EnvSchema>): CrmSettings {
  return { provider: env.CRM_PROVIDER, baseUrl: env.CRM_BASE_URL, token: env.CRM_TOKEN, webhookSecret: env.CRM_WEBHOOK_SECRET };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment once, at start. Values are never echoed back in errors:
 * several of them are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** `npm run worker` and `npm run api` run against external services, never embedded ones. */
export function requireProductionServices(config: Config): { temporalAddress: string; databaseUrl: string } {
  const missing = [
    config.temporal.address ? undefined : 'TEMPORAL_ADDRESS',
    config.databaseUrl ? undefined : 'DATABASE_URL',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${missing.map((name) => `  ${name}: required for this process`).join('\n')}`);
  }
  return { temporalAddress: config.temporal.address!, databaseUrl: config.databaseUrl! };
}
