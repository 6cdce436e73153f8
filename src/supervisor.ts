import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type Backoff } from './backoff';
import type { Logger } from './logger';

/** A server process this process started and owns. */
export interface ChildServer {
  /** Settles when the process has exited, saying how ("was killed by SIGKILL"); never rejects. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** More unexpected exits (failed restarts included) than this within `windowMs`: give up. */
  maxRestarts: number;
  windowMs: number;
  /** The wait before each restart, doubling with the exits counted in the window. */
  backoff: Backoff;
}

/**
 * A crash now and then is restarted; a server that keeps dying (a full disk, a broken data
 * directory) is not restarted forever: the process gives up, so that whoever runs it sees it.
 */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxRestarts: 5,
  windowMs: 10 * 60_000,
  backoff: { initialMs: 1_000, maxMs: 10_000 },
};

export interface SuperviseOptions {
  logger: Logger;
  /** Aborted when the process stops: exits are then expected (Ctrl-C reaches the servers too). */
  stopping: AbortSignal;
  /** Called once, when the server cannot be kept running. */
  onGiveUp(error: Error): void;
  policy?: RestartPolicy;
}

export interface Supervised<T extends ChildServer> {
  /** The server as first started; restarts use the same start function (same port, same data). */
  server: T;
  /** Stops restarting, then stops the running server, if any. */
  stop(): Promise<void>;
}

/**
 * Starts a server and restarts it whenever it exits unexpectedly, with backoff, within the
 * policy's bounds. A failure of the first start is thrown: that is a failed process start-up.
 */
export async function supervise<T extends ChildServer>(name: string, start: () => Promise<T>, options: SuperviseOptions): Promise<Supervised<T>> {
  const { logger, policy = DEFAULT_RESTART_POLICY } = options;
  const first = await start();
  let current: T | undefined = first;
  let restarting: Promise<unknown> = Promise.resolve();
  const stopped = new AbortController();
  const halted = AbortSignal.any([stopped.signal, options.stopping]);
  /** When the server exited or failed to restart, within the policy's window. */
  const failures: number[] = [];

  const keepRunning = async (): Promise<void> => {
    let failure = await untilHalted(first.exited, halted);
    while (failure !== undefined) {
      current = undefined;
      const now = Date.now();
      failures.push(now);
      while (failures[0] <= now - policy.windowMs) failures.shift();
      if (failures.length > policy.maxRestarts) {
        const minutes = Math.round(policy.windowMs / 60_000);
        options.onGiveUp(new Error(`${name} ${failure}; it failed ${failures.length} times within ${minutes} min, giving up`));
        return;
      }
      // Waiting first also lets a stop that is under way (Ctrl-C stops the servers and us at
      // once) tell us so before a needless restart.
      const waited = await sleep(backoffDelay(failures.length, policy.backoff), true, { signal: halted }).catch(() => false);
      if (!waited) return;
      logger.error({ server: name, failure, attempt: failures.length }, `${name} ${failure}; restarting it`);
      const attempt = start().then((server) => (current = server));
      restarting = attempt.catch(() => undefined);
      try {
        const server = await attempt;
        logger.warn({ server: name }, `${name} restarted`);
        failure = await untilHalted(server.exited, halted);
      } catch (error) {
        failure = `could not be restarted: ${(error as Error).message}`;
      }
    }
  };
  void keepRunning();

  return {
    server: first,
    stop: async () => {
      stopped.abort();
      await restarting;
      await current?.stop();
    },
  };
}

/** How a child process exited, in words, once it has. */
export function exitOf(child: ChildProcess): Promise<string> {
  const describe = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `was killed by ${signal}` : `exited with code ${code}`);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(describe(child.exitCode, child.signalCode));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(describe(code, signal))));
}

/** The promise's value, or undefined as soon as the signal is aborted. */
function untilHalted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
  });
}
