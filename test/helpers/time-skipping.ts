import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { buildServer } from '../../src/api/server';
import { channelSetupLookup, type DemoChannels } from '../../src/channels/setup';
import type { CrmSettings } from '../../src/crm/adapter';
import { listen, type HttpRequest } from './http';
import type { TemporalAccess } from '../../src/temporal/appointments';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { createWorker } from '../../src/worker';
import { proxyTo } from './stack';
import type { TcpProxy } from './tcp-proxy';
import { createTestDatabase, silentLogger, testConversationDefaults, testTimeSkippingServer, testWorkflowBundle, type TestDatabase } from './services';

export interface TimeSkippingStack {
  /** Its clock jumps to the next timer whenever the test awaits a workflow's result or sleeps. */
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  temporal: TemporalAccess;
  /** Set with `databaseProxy`: between the worker and PostgreSQL (tests' own queries go direct). */
  dbProxy?: TcpProxy;
  /** The API (webhooks, chat) on this server and database, for tests that talk as a provider does. */
  request: HttpRequest;
  stop(): Promise<void>;
}

/** A worker on Temporal's time-skipping test server, for timer tests (idle close, reminders). */
export async function startTimeSkippingStack(
  options: { channels?: DemoChannels; databaseProxy?: boolean; demoCrm?: CrmSettings } = {},
): Promise<TimeSkippingStack> {
  const [env, db] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testTimeSkippingServer() } }),
    createTestDatabase(),
  ]);
  await registerSearchAttributes(env.connection, 'default', silentLogger);
  const dbProxy = options.databaseProxy ? await proxyTo(db) : undefined;
  const temporal = { client: env.client, taskQueue: `time-skipping-${randomUUID()}`, conversationDefaults: testConversationDefaults() };
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: temporal.taskQueue,
    pool: dbProxy?.pool ?? db.pool,
    llmProviders: [],
    llmPrices: {},
    channels: options.channels ?? {},
    demoCrm: options.demoCrm,
    logger: silentLogger,
    temporal,
    workflowBundle: testWorkflowBundle(),
  });
  const running = worker.run();
  const app = buildServer({
    client: env.client,
    pool: db.pool,
    logger: silentLogger,
    taskQueue: temporal.taskQueue,
    conversationDefaults: temporal.conversationDefaults,
    chatReplyTimeoutMs: 20_000,
    channels: channelSetupLookup(db.pool, options.channels ?? {}),
  });
  const { request } = await listen(app);
  return {
    env,
    db,
    temporal,
    dbProxy: dbProxy?.proxy,
    request,
    stop: async () => {
      await app.close();
      worker.shutdown();
      await running;
      await dbProxy?.stop();
      await db.drop();
      await env.teardown();
    },
  };
}
