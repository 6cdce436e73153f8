import type { Logger } from '../logger';
import { migrate } from './migrate';
import { createPool, type Pool } from './pool';

/** A pool on an up-to-date schema: every process migrates at start (serialised by a lock). */
export async function connectDatabase(url: string, logger: Logger): Promise<Pool> {
  const pool = createPool(url, logger);
  const applied = await migrate(pool);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  return pool;
}
