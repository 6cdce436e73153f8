/** The chaos run's knobs (environment variables) and the schedule of its faults. */
export interface ChaosOptions {
  /** CHAOS_CUSTOMERS: concurrent customers, half on WhatsApp, half on Telegram. */
  customers: number;
  /** CHAOS_MINUTES: how long customers keep sending; the faults are spread over this time. */
  sendMs: number;
  /** CHAOS_LLM_LATENCY_MS: how long the fake model takes to answer each request. */
  llmLatencyMs: number;
  /** CHAOS_WORKERS / CHAOS_APIS: Concierge worker and API processes. */
  workers: number;
  apis: number;
  /** CHAOS_REDELIVERY: the share of webhooks the "provider" delivers twice. */
  redelivery: number;
  /** A customer waits this long for the reply to one message before sending the next anyway. */
  replyTimeoutMs: number;
  /** After the last message, replies still due are waited for this long at most. */
  drainMs: number;
  /** CHAOS_SEED: the same seed gives the same customers, scripts and redeliveries. */
  seed: number;
}

/**
 * TEMPORAL_ADDRESS / DATABASE_URL: servers of someone else's to run against (their faults are
 * skipped). Kept out of ChaosOptions, which go into the results file: a URL may carry a password.
 */
export interface ExternalServers {
  temporalAddress?: string;
  databaseUrl?: string;
}

export function readExternalServers(env: NodeJS.ProcessEnv = process.env): ExternalServers {
  return { temporalAddress: env.TEMPORAL_ADDRESS || undefined, databaseUrl: env.DATABASE_URL || undefined };
}

export function readOptions(env: NodeJS.ProcessEnv = process.env): ChaosOptions {
  return {
    customers: positive(env, 'CHAOS_CUSTOMERS', 40),
    sendMs: positive(env, 'CHAOS_MINUTES', 5) * 60_000,
    llmLatencyMs: nonNegative(env, 'CHAOS_LLM_LATENCY_MS', 300),
    workers: positive(env, 'CHAOS_WORKERS', 2),
    apis: positive(env, 'CHAOS_APIS', 2),
    redelivery: fraction(env, 'CHAOS_REDELIVERY', 0.1),
    replyTimeoutMs: 120_000,
    drainMs: 150_000,
    seed: nonNegative(env, 'CHAOS_SEED', 14),
  };
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, not "${raw}"`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = number(env, name, fallback);
  if (value <= 0) throw new Error(`${name} must be above 0`);
  return value;
}

function nonNegative(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = number(env, name, fallback);
  if (value < 0) throw new Error(`${name} must not be negative`);
  return value;
}

function fraction(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = number(env, name, fallback);
  if (value < 0 || value > 1) throw new Error(`${name} must be between 0 and 1`);
  return value;
}
