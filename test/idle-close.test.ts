import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { deliverInboundMessage, type ConversationStarter } from '../src/api/conversations';
import { createWorker } from '../src/worker';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { createTestDatabase, silentLogger, testConversationDefaults, testTimeSkippingServer, testWorkflowBundle, type TestDatabase } from './helpers/services';
import { registerSearchAttributes } from '../src/temporal/register-search-attributes';
import { ConversationStatusKey } from '../src/temporal/search-attributes';

const IDLE_MS = 30 * 60_000;
const ref = (contactId: string) => ({ tenantId: 'demo', channel: 'web' as const, contactId });

describe('idle close (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let worker: Worker;
  let running: Promise<void>;
  let starter: ConversationStarter;

  beforeAll(async () => {
    [env, db] = await Promise.all([
      TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testTimeSkippingServer() } }),
      createTestDatabase(),
    ]);
    await registerSearchAttributes(env.connection, 'default', silentLogger);
    const taskQueue = `idle-${randomUUID()}`;
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      pool: db.pool,
      llmProviders: [],
      channels: {},
      logger: silentLogger,
      workflowBundle: testWorkflowBundle(),
    });
    running = worker.run();
    starter = { client: env.client, taskQueue, conversationDefaults: testConversationDefaults({ idleTimeoutMs: IDLE_MS }) };
  });
  afterAll(async () => {
    worker.shutdown();
    await running;
    await db.drop();
    await env.teardown();
  });

  const message = (text: string) => ({ id: randomUUID(), text, receivedAt: new Date().toISOString() });

  test('a conversation with nothing pending completes after IDLE_TIMEOUT, status closed', async () => {
    const handle = await deliverInboundMessage(starter, DEMO_TENANT, ref('idle-1'), message('Hola'));
    await env.sleep(IDLE_MS - 60_000);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    const final = await handle.result();
    expect(final.status).toBe('closed');
    expect(final.transcript.map((entry) => entry.role)).toEqual(['customer', 'assistant']);
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(ConversationStatusKey)).toBe('closed');
  });

  test('every new message restarts the idle clock', async () => {
    const handle = await deliverInboundMessage(starter, DEMO_TENANT, ref('idle-2'), message('Hola'));
    await env.sleep(IDLE_MS - 5 * 60_000);
    await deliverInboundMessage(starter, DEMO_TENANT, ref('idle-2'), message('¿Siguen ahí?'));
    await env.sleep(IDLE_MS - 5 * 60_000);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const final = await handle.result();
    expect(final.transcript.filter((entry) => entry.role === 'assistant')).toHaveLength(2);
  });

  test('a message after the close starts a fresh run of the same conversation id', async () => {
    const first = await deliverInboundMessage(starter, DEMO_TENANT, ref('idle-3'), message('Hola'));
    await first.result();
    const second = await deliverInboundMessage(starter, DEMO_TENANT, ref('idle-3'), message('Volví'));
    expect(second.workflowId).toBe(first.workflowId);
    expect(second.signaledRunId).not.toBe(first.signaledRunId);
    const final = await second.result();
    expect(final.transcript.map((entry) => entry.role === 'customer' && entry.text).filter(Boolean)).toEqual(['Volví']);
  });
});
