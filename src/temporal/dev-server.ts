import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TypedSearchAttributes } from '@temporalio/common';
import { TestWorkflowEnvironment, type EphemeralServerExecutable } from '@temporalio/testing';
import { freePort } from '../free-port';
import { exitOf, type ChildServer } from '../supervisor';
import { probeTemporal, retryWhileUnavailable } from '../wait-for-services';
import { CUSTOM_SEARCH_ATTRIBUTES } from './search-attributes';

export interface DevServerOptions {
  executable: EphemeralServerExecutable;
  namespace: string;
  /** Unset: a free port. */
  port?: number;
  /** Set: the Web UI is served on this port. */
  uiPort?: number;
  /** Set: workflows and their history are kept in this SQLite file across restarts. */
  dbFile?: string;
  /**
   * Set: the server's output is appended to this file rather than the terminal (a load test's
   * own output would drown in its errors). Only for a binary of our own; the SDK's is left as is.
   */
  logFile?: string;
  /** Told when the server died while starting and is started again. */
  onRestartWhileStarting?: (error: Error) => void;
}

export interface RunningDevServer extends ChildServer {
  address: string;
}

/** A dev server with a large SQLite file takes a while to open it. */
const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 200;
/** Tries in all when the server dies while starting (see `startOwnBinary`). */
const START_ATTEMPTS = 3;
/** Between SIGTERM and SIGKILL on stop: time for SQLite to be closed properly. */
const STOP_GRACE_MS = 10_000;
/**
 * SQLite's default rollback journal flushes the disk several times per transaction, and the
 * server commits dozens per customer message: those flushes queue in front of PostgreSQL's, which
 * a webhook's acknowledgement waits on. A write-ahead log, still synced at every commit, flushes
 * once per transaction (a quarter as many flushes per message, measured) and loses nothing more
 * on a crash or a power cut.
 */
const SQLITE_PRAGMAS = ['journal_mode=wal'];

/**
 * Runs the Temporal CLI's dev server (the real server, SQLite-backed) with CONTRACT.md's
 * search attributes registered.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  if (options.dbFile) await mkdir(path.dirname(options.dbFile), { recursive: true });
  if (options.executable.type === 'existing-path') return startOwnBinary(options.executable.path, options);
  return startWithSdk(options);
}

/** The server process exited before it accepted connections. */
class ExitedWhileStarting extends Error {}

/**
 * Besides its own port the CLI listens on five more for the server's internal services, each
 * one it found free a moment before: another process can take one meanwhile, and the server
 * exits. Started again, it picks others. A port of ours in use, or a broken database file,
 * fails every try, and the last error is thrown.
 */
async function startOwnBinary(executable: string, options: DevServerOptions): Promise<RunningDevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnDevServer(executable, options);
    } catch (error) {
      if (!(error instanceof ExitedWhileStarting) || attempt === START_ATTEMPTS) throw error;
      options.onRestartWhileStarting?.(error);
    }
  }
}

/**
 * Our own child process, not the SDK's, so that we see it exit (and `npm start` can restart
 * it); the SDK tells no one when its server dies.
 */
async function spawnDevServer(executable: string, options: DevServerOptions): Promise<RunningDevServer> {
  const port = options.port ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  const args = [
    ...['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', options.namespace],
    // JSON beside our own JSON logs; errors only (its warnings are chatter, at every stop too).
    ...['--log-format', 'json', '--log-level', 'error'],
    // As the SDK runs it: no version check (it calls home), updates enabled.
    ...['--dynamic-config-value', 'frontend.enableServerVersionCheck=false'],
    ...['--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true'],
    ...['--dynamic-config-value', 'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true'],
    // An activity scheduled by a workflow task goes back to the worker in the task's answer,
    // not through a task queue: one matching round trip less per activity, on shared cores.
    ...['--dynamic-config-value', 'system.enableActivityEagerExecution=true'],
    ...(options.dbFile ? ['--db-filename', options.dbFile, ...sqlitePragmaArgs()] : []),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-disable-news-fetch'] : ['--headless']),
    ...CUSTOM_SEARCH_ATTRIBUTES.flatMap(({ name, type }) => ['--search-attribute', `${name}=${TypedSearchAttributes.toMetadataType(type)}`]),
  ];
  const output = options.logFile ? openSync(options.logFile, 'a') : 'inherit';
  const child = spawn(executable, args, { stdio: ['ignore', output, output] });
  // The child has its own copy of the file descriptor.
  if (typeof output === 'number') closeSync(output);
  await once(child, 'spawn'); // rejects if the binary cannot be run
  const exited = exitOf(child);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const gone = new AbortController();
  void exited.then((how) => gone.abort(new ExitedWhileStarting(`Temporal dev server ${how} before accepting connections on ${address}`)));
  const timeout = AbortSignal.timeout(READY_TIMEOUT_MS);
  try {
    await retryWhileUnavailable(() => probeTemporal({ address }), { delayMs: () => READY_POLL_MS, signal: AbortSignal.any([gone.signal, timeout]) });
  } catch (error) {
    await stop();
    // The wait may end in an AbortError wrapping it: the exit is what happened.
    if (gone.signal.aborted) throw gone.signal.reason as ExitedWhileStarting;
    if (timeout.aborted) {
      throw new Error(`Temporal dev server did not accept connections on ${address} within ${READY_TIMEOUT_MS / 1000} s`, { cause: error });
    }
    throw error;
  }
  return { address, exited, stop };
}

function sqlitePragmaArgs(): string[] {
  return SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]);
}

/**
 * Without a local binary the SDK downloads one and runs it itself (needs internet). It does not
 * say when that process exits, so `exited` never settles: such a server is not restarted.
 */
async function startWithSdk(options: DevServerOptions): Promise<RunningDevServer> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: options.executable,
      namespace: options.namespace,
      ip: '127.0.0.1',
      port: options.port,
      uiPort: options.uiPort,
      dbFilename: options.dbFile,
      searchAttributes: CUSTOM_SEARCH_ATTRIBUTES,
      extraArgs: [...(options.uiPort ? ['--ui-disable-news-fetch'] : []), ...(options.dbFile ? sqlitePragmaArgs() : [])],
    },
  });
  return { address: env.address, exited: new Promise(() => undefined), stop: () => env.teardown() };
}
