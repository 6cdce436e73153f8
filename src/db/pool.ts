import pg from 'pg';
import type { Logger } from '../logger';

export type Pool = pg.Pool;

/**
 * Longest a query may go unanswered. The app's queries take milliseconds; one that waits this
 * long is on a frozen or unreachable server, and the request or activity should fail (503, or a
 * retry) rather than hang until the server comes back.
 */
const QUERY_TIMEOUT_MS = 10_000;

export interface PoolOptions {
  /** 0: no limit, for work that may rightly run long (migrations). */
  queryTimeoutMs?: number;
  /** How long a caller waits for a free connection before failing. */
  connectionTimeoutMs?: number;
}

export function createPool(connectionString: string, logger: Logger, { queryTimeoutMs = QUERY_TIMEOUT_MS, connectionTimeoutMs = 3_000 }: PoolOptions = {}): Pool {
  // Bounded waits, so that /health and activities fail fast and clearly when the database is down.
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: connectionTimeoutMs,
    idleTimeoutMillis: 30_000,
    query_timeout: queryTimeoutMs || undefined,
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
  // A connection the server drops while it is checked out (a transaction between two statements)
  // emits 'error' with no pool listener attached, which would crash the process. The work holding
  // it fails on its next statement and answers for it; the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
