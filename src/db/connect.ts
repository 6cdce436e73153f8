import type { Logger } from '../logger';
import { migrate } from './migrate';
import { createPool, type Pool } from './pool';

/** A pool on an up-to-date schema: every process migrates at start (serialised by a lock). */
export async function connectDatabase(url: string, logger: Logger): Promise<Pool> {
  // Migrations get a pool of their own without the query timeout: a migration (an index on a
  // big table) or the wait for another process's lock may rightly outlast it.
  const migrations = createPool(url, logger, { queryTimeoutMs: 0 });
  try {
    const applied = await migrate(migrations);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  } finally {
    await migrations.end();
  }
  return createPool(url, logger);
}
