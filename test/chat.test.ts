import { NativeConnection, type Worker } from '@temporalio/worker';
import { buildServer } from '../src/api/server';
import { channelSetupLookup } from '../src/channels/setup';
import { conversationWorkflowId } from '../src/domain/conversation';
import { createWorker } from '../src/worker';
import { listen } from './helpers/http';
import { silentLogger, testConversationDefaults, testTemporalAddress, testWorkflowBundle } from './helpers/services';
import { handoffSignal, stateQuery } from '../src/workflows';
import { chatCompletion, FakeOpenAI } from './helpers/fake-openai';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

// These tests name their own session ids, as a business backend does: stack.request sends the
// tenant's bearer token (test/helpers/stack.ts). Anonymous, signed sessions: web-session.test.ts.
const chat = (stack: TestStack, payload: unknown) => stack.request('POST', '/api/chat', payload);

describe('POST /api/chat with the offline model', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  test('answers and keeps the conversation in one workflow findable by its search attributes', async () => {
    const first = await chat(stack, { session_id: 'round-trip', message: 'Hola' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ conversation_id: 'conversation:demo:web:round-trip', provider: 'offline' });
    expect(first.body.reply).toContain('Clínica Demo');

    const second = await chat(stack, { session_id: 'round-trip', message: '¿Cuánto sale la limpieza facial?' });
    expect(second.body.reply).toMatch(/Limpieza facial profunda.*18\.000/);

    const handle = stack.client.workflow.getHandle(conversationWorkflowId({ tenantId: 'demo', channel: 'web', contactId: 'round-trip' }));
    const state = await handle.query(stateQuery);
    expect(state.transcript.map((entry) => entry.role)).toEqual(['customer', 'assistant', 'customer', 'assistant']);
    expect(state.transcript.filter((entry) => entry.role === 'customer').map((entry) => entry.text)).toEqual([
      'Hola',
      '¿Cuánto sale la limpieza facial?',
    ]);

    const found: string[] = [];
    for await (const execution of stack.client.workflow.list({
      query: `TenantId = 'demo' AND Channel = 'web' AND ContactId = 'round-trip' AND ConversationStatus = 'active'`,
    })) {
      found.push(execution.workflowId);
    }
    expect(found).toEqual(['conversation:demo:web:round-trip']);
  });

  test('while staff have the conversation the chat answers with no reply, saying why', async () => {
    await chat(stack, { session_id: 'taken-over', message: 'Hola' });
    const handle = stack.client.workflow.getHandle('conversation:demo:web:taken-over');
    await handle.signal(handoffSignal, { reason: 'staff took over' });
    const response = await chat(stack, { session_id: 'taken-over', message: '¿Hay alguien?' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ reply: null, status: 'handoff' });
  });

  test('a numeric session id works like a string one', async () => {
    const response = await chat(stack, { session_id: 12345, message: 'Hola' });
    expect(response.body.conversation_id).toBe('conversation:demo:web:12345');
  });

  test('a retried request with the same message_id is answered once', async () => {
    const payload = { session_id: 'retry', message: 'Quiero información', message_id: 'client-msg-1' };
    const [a, b] = await Promise.all([chat(stack, payload), chat(stack, payload)]);
    expect(a.body.reply).toBe(b.body.reply);
    const state = await stack.client.workflow.getHandle('conversation:demo:web:retry').query(stateQuery);
    expect(state.transcript.filter((entry) => entry.role === 'customer')).toHaveLength(1);
    expect(state.transcript.filter((entry) => entry.role === 'assistant')).toHaveLength(1);
  });

  test.each([
    [{ session_id: '', message: 'Hola' }, 'session_id'],
    [{ session_id: 's', message: 'Hola', session_token: '' }, 'session_token'],
    [{ session_id: 's', message: '   ' }, 'message'],
    [{ session_id: 'bad:id', message: 'Hola' }, 'session_id'],
    [{ session_id: 's', message: 'Hola', context: { vip: { nested: true } } }, 'context.vip'],
  ])('a malformed body %j is a 400 naming %s, and starts nothing', async (payload, field) => {
    const response = await chat(stack, payload);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
    expect(response.body.issues.map((issue: { path: string }) => issue.path)).toContain(field);
    await expectNoConversation(stack, 's');
  });

  test('a message with a NUL character is cleaned, not a poison: it and the 60 after it are answered', async () => {
    const first = await chat(stack, { session_id: 'poison', message: 'Hola\u0000mundo' });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('answered');
    for (let i = 0; i < 60; i++) {
      const response = await chat(stack, { session_id: 'poison', message: `¿Cuánto sale la limpieza facial? (${i})` });
      expect([response.status, response.body.status]).toEqual([200, 'answered']);
    }
    const { rows } = await stack.db.pool.query(
      "SELECT count(*)::int AS n, bool_or(text LIKE 'Holamundo%') AS cleaned FROM conversation_messages WHERE role = 'customer' AND tenant_id = 'demo'",
    );
    expect(rows[0].cleaned).toBe(true); // written, and folded into the summary since
  }, 120_000);

  test('30 messages at once to one conversation: each answered, or queued and then answered; no 5xx', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `crowd-${i}`);
    const responses = await Promise.all(ids.map((id, i) => chat(stack, { session_id: 'crowd', message: `Mensaje ${i}`, message_id: id })));
    expect(responses.filter((response) => response.status >= 500)).toEqual([]);
    const queued = ids.filter((_, i) => responses[i]!.status === 202);
    for (const [i, response] of responses.entries()) {
      if (response.status === 202) expect(response.body).toMatchObject({ status: 'queued', reply: null, message_id: ids[i] });
      else expect([response.status, response.body.status]).toEqual([200, 'answered']);
    }
    // A queued message's reply comes to the same request sent again.
    for (const id of queued) {
      let again;
      for (let attempt = 0; attempt < 20; attempt++) {
        again = await chat(stack, { session_id: 'crowd', message: 'reintento', message_id: id });
        if (again.status !== 202) break;
      }
      expect([again!.status, again!.body.status]).toEqual([200, 'answered']);
    }
    const state = await stack.client.workflow.getHandle('conversation:demo:web:crowd').query(stateQuery);
    const received = state.transcript.filter((entry) => entry.role === 'customer').map((entry) => (entry.role === 'customer' ? entry.messageId : ''));
    expect([...received].sort()).toEqual([...ids].sort()); // each once, none lost
  }, 120_000);

  test('invalid JSON is a 400 and an oversized body a 413', async () => {
    const invalid = await chat(stack, '{"session_id": "s", "message": ');
    expect(invalid.status).toBe(400);
    const huge = await chat(stack, { session_id: 'huge', message: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    await expectNoConversation(stack, 's');
    await expectNoConversation(stack, 'huge');
  });

  test('an unknown tenant is a 404 and starts no workflow', async () => {
    const response = await chat(stack, { tenant: 'nobody', session_id: 'ghost', message: 'Hola' });
    expect(response.status).toBe(404);
    expect(response.body.error).toBe('unknown_tenant');
    await expectNoConversation(stack, 'ghost', 'nobody');
  });
});

describe('POST /api/chat with an OpenAI-compatible provider', () => {
  let stack: TestStack;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await new FakeOpenAI(() => chatCompletion('¡Hola! Tenemos turnos el martes.', 'fake-model-2024')).start();
    stack = await startTestStack({
      llmProviders: [{ name: 'fake', baseURL: fake.baseURL, apiKey: 'sk-test-key', model: 'fake-model' }],
    });
  });
  afterAll(async () => {
    await stack.stop();
    await fake.stop();
  });

  test("returns the model's reply and sends the model the tenant's prompt and the customer's words", async () => {
    const response = await chat(stack, {
      session_id: 'llm-1',
      message: '¿Tienen turnos esta semana?',
      context: { customer_tier: 'VIP' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ reply: '¡Hola! Tenemos turnos el martes.', provider: 'fake', model: 'fake-model-2024' });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test-key');
    expect(request.body.model).toBe('fake-model');
    const [system, user] = request.body.messages;
    expect(system.role).toBe('system');
    expect(system.content).toContain('Sofía');
    expect(system.content).toContain('customer_tier: VIP');
    expect(user).toEqual({ role: 'user', content: '¿Tienen turnos esta semana?' });

    const state = await stack.client.workflow.getHandle('conversation:demo:web:llm-1').query(stateQuery);
    expect(state.transcript[1]).toMatchObject({ role: 'assistant', usage: { promptTokens: 42, completionTokens: 7 } });
  });
});

describe('POST /api/chat when the reply takes longer than CHAT_REPLY_TIMEOUT', () => {
  let stack: TestStack;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await new FakeOpenAI(async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return chatCompletion('Perdón la demora, ¿en qué te ayudo?');
    }).start();
    stack = await startTestStack({
      llmProviders: [{ name: 'slow', baseURL: fake.baseURL, apiKey: 'sk-test-key', model: 'slow-model' }],
      chatReplyTimeoutMs: 1_000,
    });
  });
  afterAll(async () => {
    await stack.stop();
    await fake.stop();
  });

  test('answers 504 saying the message was received, and the message is still answered', async () => {
    const response = await chat(stack, { session_id: 'slow-1', message: 'Hola' });
    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({
      error: 'reply_timeout',
      conversation_id: 'conversation:demo:web:slow-1',
      message_id: expect.any(String),
    });

    const handle = stack.client.workflow.getHandle('conversation:demo:web:slow-1');
    await waitFor('the reply', async () => (await handle.query(stateQuery)).transcript.length === 2);
    const state = await handle.query(stateQuery);
    expect(state.transcript[1]).toMatchObject({ role: 'assistant', text: 'Perdón la demora, ¿en qué te ayudo?' });
    expect(fake.requests).toHaveLength(1);
  });
});


describe('POST /api/chat when no worker has taken the conversation by the timeout', () => {
  test('the 504 holds its word: the message is kept, and answered once a worker runs', async () => {
    const stack = await startTestStack();
    // An API whose task queue no worker polls yet: the update cannot be accepted before the timeout.
    const taskQueue = `unserved-${Date.now()}`;
    const adminToken = 'unserved-admin-token-0123456789';
    const app = buildServer({
      client: stack.client,
      pool: stack.db.pool,
      logger: silentLogger,
      taskQueue,
      conversationDefaults: testConversationDefaults(),
      chatReplyTimeoutMs: 1_500,
      adminToken,
      channels: channelSetupLookup(stack.db.pool, {}),
    });
    const { request } = await listen(app);
    let worker: Worker | undefined;
    let running: Promise<void> | undefined;
    try {
      const response = await request(
        'POST',
        '/api/chat',
        { session_id: 'unserved', message: '¿Cuánto sale la limpieza facial?' },
        { authorization: `Bearer ${adminToken}` },
      );
      expect(response.status).toBe(504);

      const connection = await NativeConnection.connect({ address: testTemporalAddress() });
      worker = await createWorker({
        connection,
        namespace: 'default',
        taskQueue,
        pool: stack.db.pool,
        llmProviders: [],
        llmPrices: {},
        channels: {},
        logger: silentLogger,
        temporal: { client: stack.client, taskQueue, conversationDefaults: testConversationDefaults() },
        workflowBundle: testWorkflowBundle(),
      });
      running = worker.run().finally(() => connection.close());
      const handle = stack.client.workflow.getHandle('conversation:demo:web:unserved');
      await waitFor('the reply', async () => (await handle.query(stateQuery)).transcript.some((entry) => entry.role === 'assistant'));
      const state = await handle.query(stateQuery);
      expect(state.transcript).toEqual([
        expect.objectContaining({ role: 'customer', text: '¿Cuánto sale la limpieza facial?' }),
        expect.objectContaining({ role: 'assistant', text: expect.stringMatching(/^Limpieza facial/) }),
      ]);
    } finally {
      worker?.shutdown();
      await running;
      await app.close();
      await stack.stop();
    }
  });
});

async function expectNoConversation(stack: TestStack, contactId: string, tenantId = 'demo'): Promise<void> {
  const handle = stack.client.workflow.getHandle(conversationWorkflowId({ tenantId, channel: 'web', contactId }));
  await expect(handle.describe()).rejects.toThrow(/not found/i);
}
