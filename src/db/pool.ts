import pg from 'pg';
import type { Logger } from '../logger';

export type Pool = pg.Pool;

export function createPool(connectionString: string, logger: Logger): Pool {
  // Bounded waits, so that /health and activities fail fast and clearly when the database is down.
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 3_000, idleTimeoutMillis: 30_000 });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on next use.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
  return pool;
}
