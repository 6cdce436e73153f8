import { randomUUID } from 'node:crypto';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import pg from 'pg';
import { seedDemoTenant } from '../../src/db/demo-tenant';
import { migrate } from '../../src/db/migrate';
import { createPool, type Pool } from '../../src/db/pool';
import type { ConversationStarter } from '../../src/temporal/conversations';
import { createLogger } from '../../src/logger';
import { installTemporalRuntime } from '../../src/temporal/runtime';

type ConversationDefaults = ConversationStarter['conversationDefaults'];

/** Values global-setup.ts exported for the test files. */
function fromSetup(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: run the tests through jest (test/global-setup.ts)`);
  return value;
}

export const testTemporalAddress = () => fromSetup('TEST_TEMPORAL_ADDRESS');
export const testWorkflowBundle = () => ({ codePath: fromSetup('TEST_WORKFLOW_BUNDLE') });
export const testTimeSkippingServer = () => JSON.parse(fromSetup('TEST_TIME_SKIPPING_SERVER')) as EphemeralServerExecutable;
/** Conversation settings for tests: production defaults unless a test says otherwise. */
export function testConversationDefaults(overrides: Partial<ConversationDefaults> = {}): ConversationDefaults {
  return { idleTimeoutMs: 60_000, handoffTimeoutMs: 3_600_000, maxMessages: 50, foldBatch: 10, historyEventCap: 5_000, ...overrides };
}

export const silentLogger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
installTemporalRuntime(silentLogger);

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** A fresh database on the shared server, migrated and with the demo tenant. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = fromSetup('TEST_POSTGRES_ADMIN_URL');
  const name = `test_${randomUUID().replace(/-/g, '')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const pool = createPool(url, silentLogger);
  await migrate(pool);
  await seedDemoTenant(pool);
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
