import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { backoffDelay, type Backoff } from './backoff';
import { createPool } from './db/pool';
import { redactUrl, type Logger } from './logger';
import { isServiceUnavailable } from './service-unavailable';
import type { TemporalEndpoint } from './temporal/connection';

/** How long one probe may take: a frozen server must not stall the wait. */
const PROBE_TIMEOUT_MS = 3_000;
const WAIT_BACKOFF: Backoff = { initialMs: 500, maxMs: 10_000 };

export interface RetryOptions {
  /** The wait before retry number `attempt` (1, 2, …). */
  delayMs: (attempt: number) => number;
  /** Told of each failed attempt, before its wait. */
  onRetry?: (error: unknown, delayMs: number) => void;
  /** Aborted: the wait ends at once, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Runs the probe until it succeeds, again and again while it fails because a service is
 * unavailable (see isServiceUnavailable). Any other failure — a wrong password, a bad address —
 * is thrown at once: waiting would not fix it.
 */
export async function retryWhileUnavailable(probe: () => Promise<unknown>, { delayMs, onRetry, signal }: RetryOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      await abortable(probe(), signal);
      return;
    } catch (error) {
      if (signal?.aborted || !isServiceUnavailable(error)) throw error;
      const delay = delayMs(attempt);
      onRetry?.(error, delay);
      await sleep(delay, undefined, { signal });
    }
  }
}

export interface Services {
  databaseUrl: string;
  temporal: TemporalEndpoint;
}

/**
 * Waits until PostgreSQL and Temporal both accept connections: at start, a process may come up
 * before the servers it depends on (a fresh deployment, a host reboot). One log line per failed
 * attempt names the service and its address, never a password.
 */
export async function waitForServices(
  services: Services,
  logger: Logger,
  signal?: AbortSignal,
): Promise<void> {
  const waitFor = (service: string, address: string, probe: () => Promise<void>) =>
    retryWhileUnavailable(probe, {
      delayMs: (attempt) => backoffDelay(attempt, WAIT_BACKOFF),
      onRetry: (error, delayMs) =>
        logger.warn({ dependency: service, address, retryInMs: delayMs, reason: (error as Error).message }, `waiting for ${service} at ${address}`),
      signal,
    });
  await Promise.all([
    waitFor('PostgreSQL', redactUrl(services.databaseUrl), () => probePostgres(services.databaseUrl, logger)),
    waitFor('Temporal', services.temporal.address, () => probeTemporal(services.temporal)),
  ]);
}

/** One `SELECT 1` through a pool like the app's, so that its failures read as the app's would. */
export async function probePostgres(url: string, logger: Logger): Promise<void> {
  const pool = createPool(url, logger, { queryTimeoutMs: PROBE_TIMEOUT_MS });
  try {
    await pool.query('SELECT 1');
  } finally {
    await pool.end();
  }
}

/** One GetSystemInfo call, failing after PROBE_TIMEOUT_MS when the server does not answer. */
export async function probeTemporal(endpoint: TemporalEndpoint): Promise<void> {
  // No retry interceptor: the caller retries, with its own backoff and log lines.
  const connection = Connection.lazy({ ...endpoint, interceptors: [] });
  try {
    await connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => connection.workflowService.getSystemInfo({}));
  } finally {
    await connection.close();
  }
}

/** The promise, or the signal's reason as soon as it is aborted (the promise is left to settle alone). */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
