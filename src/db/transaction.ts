import type { PoolClient } from 'pg';
import type { Pool } from './pool';

/**
 * Runs `work` in one transaction on one connection: committed if it returns, rolled back if it
 * throws. A connection that failed is discarded rather than handed to the next caller.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error as Error;
    await client.query('ROLLBACK').catch(() => undefined); // the connection may be what broke
    throw error;
  } finally {
    client.release(failure);
  }
}
