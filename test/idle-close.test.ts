import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { deliverInboundMessage, type ConversationStarter } from '../src/temporal/conversations';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { testConversationDefaults, type TestDatabase } from './helpers/services';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/time-skipping';
import { ConversationStatusKey } from '../src/temporal/search-attributes';
import { handoffSignal, stateQuery } from '../src/workflows';

const IDLE_MS = 30 * 60_000;
const HANDOFF_MS = 10 * 60_000;
const ref = (contactId: string) => ({ tenantId: 'demo', channel: 'web' as const, contactId });

describe('idle close (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let stack: TimeSkippingStack;
  let starter: ConversationStarter;

  beforeAll(async () => {
    stack = await startTimeSkippingStack();
    ({ env, db } = stack);
    const conversationDefaults = testConversationDefaults({ idleTimeoutMs: IDLE_MS, handoffTimeoutMs: HANDOFF_MS });
    starter = { ...stack.temporal, conversationDefaults };
  });
  afterAll(() => stack.stop());

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

  test('the close archives the transcript; the next conversation starts a new run that remembers the contact', async () => {
    const hello = message('Hola, soy Lucía y quiero una limpieza facial');
    const first = await deliverInboundMessage(starter, DEMO_TENANT, ref('idle-3'), hello);
    const closed = await first.result();

    const { rows: archived } = await db.pool.query(
      'SELECT seq, role, text FROM conversation_messages WHERE session_id = $1 ORDER BY seq',
      [closed.sessionId],
    );
    expect(archived).toEqual([
      { seq: 0, role: 'customer', text: hello.text },
      // The greeting carried a request: the answer is about it.
      { seq: 1, role: 'assistant', text: expect.stringContaining('Limpieza facial profunda') },
    ]);
    const { rows: sessions } = await db.pool.query('SELECT closed_at, summary FROM conversation_sessions WHERE session_id = $1', [
      closed.sessionId,
    ]);
    expect(sessions[0].closed_at).toBeInstanceOf(Date);
    expect(sessions[0].summary).toContain('quiero una limpieza facial');

    // A late redelivery of the old message is not answered again; a new one starts a new run.
    await deliverInboundMessage(starter, DEMO_TENANT, ref('idle-3'), hello);
    const second = await deliverInboundMessage(starter, DEMO_TENANT, ref('idle-3'), message('Volví'));
    expect(second.workflowId).toBe(first.workflowId);
    expect(second.signaledRunId).not.toBe(first.signaledRunId);
    const final = await second.result();
    expect(final.sessionId).not.toBe(closed.sessionId);
    expect(final.transcript.filter((entry) => entry.role === 'customer').map((entry) => entry.text)).toEqual(['Volví']);
    expect(final.summary).toContain('quiero una limpieza facial');
  });

  test('a handoff with no word from staff hands the conversation back after HANDOFF_TIMEOUT', async () => {
    const handle = await deliverInboundMessage(starter, DEMO_TENANT, ref('idle-4'), message('Quiero hablar con una persona'));
    await handle.signal(handoffSignal, { reason: 'customer asked' });
    await env.sleep(HANDOFF_MS - 60_000);
    expect((await handle.query(stateQuery)).status).toBe('handoff');
    await env.sleep(2 * 60_000);
    expect((await handle.query(stateQuery)).status).toBe('active');
    expect((await handle.describe()).typedSearchAttributes.get(ConversationStatusKey)).toBe('active');
  });
});
