import { stateQuery } from '../src/workflows';
import { apiError, chatCompletion, FakeOpenAI, modelNotFound, type FakeResponse } from './helpers/fake-openai';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

const serverError = apiError(500, 'upstream exploded');
const badKey = apiError(401, 'Incorrect API key provided');

/** A chain of two fake providers, each answering as its test scripts it. */
async function chain(primary: (attempt: number) => FakeResponse, fallback: (attempt: number) => FakeResponse, primaryTimeoutMs = 45_000) {
  const first: FakeOpenAI = await new FakeOpenAI((): FakeResponse => primary(first.requests.length)).start();
  const second: FakeOpenAI = await new FakeOpenAI((): FakeResponse => fallback(second.requests.length)).start();
  const stack = await startTestStack({
    llmProviders: [
      { name: 'primary', baseURL: first.baseURL, apiKey: 'sk-primary', model: 'primary-model', timeout: primaryTimeoutMs },
      { name: 'fallback', baseURL: second.baseURL, apiKey: 'sk-fallback', model: 'fallback-model' },
    ],
  });
  return {
    first,
    second,
    stack,
    stop: async () => {
      await stack.stop();
      await Promise.all([first.stop(), second.stop()]);
    },
  };
}

const chat = (stack: TestStack, sessionId: string, message = 'Hola, ¿qué servicios tienen?') =>
  stack.request('POST', '/api/chat', { session_id: sessionId, message });

describe('the LLM provider chain', () => {
  test('a primary that keeps answering 500 is retried, then the fallback answers', async () => {
    const { first, second, stack, stop } = await chain(
      () => serverError,
      () => chatCompletion('Respuesta del respaldo', 'fallback-model'),
    );
    try {
      const response = await chat(stack, 'p-500');
      expect(response.body).toMatchObject({ reply: 'Respuesta del respaldo', provider: 'fallback' });
      expect(first.requests).toHaveLength(3);
      expect(second.requests).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  test('a 401 on the primary moves to the fallback at once, without retrying the primary', async () => {
    const { first, second, stack, stop } = await chain(
      () => badKey,
      () => chatCompletion('Respuesta del respaldo', 'fallback-model'),
    );
    try {
      const response = await chat(stack, 'p-401');
      expect(response.body).toMatchObject({ reply: 'Respuesta del respaldo', provider: 'fallback' });
      expect(first.requests).toHaveLength(1);
      expect(second.requests).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  test('a model the primary does not have moves to the fallback at once', async () => {
    const { first, second, stack, stop } = await chain(
      () => modelNotFound('primary-model'),
      () => chatCompletion('Respuesta del respaldo', 'fallback-model'),
    );
    try {
      const response = await chat(stack, 'p-404');
      expect(response.body).toMatchObject({ reply: 'Respuesta del respaldo', provider: 'fallback', model: 'fallback-model' });
      expect(first.requests).toHaveLength(1);
      expect(second.requests).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  test('a primary slower than its timeout is retried as a timeout, then the fallback answers', async () => {
    const { first, second, stack, stop } = await chain(
      () => ({ ...chatCompletion('demasiado tarde'), delayMs: 1_500 }),
      () => chatCompletion('Respuesta del respaldo', 'fallback-model'),
      300,
    );
    try {
      const response = await chat(stack, 'p-slow');
      expect(response.body).toMatchObject({ reply: 'Respuesta del respaldo', provider: 'fallback' });
      expect(first.requests).toHaveLength(3);
      expect(second.requests).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  test('a 429 with Retry-After: 2 is retried after at least 2 s, on the same provider', async () => {
    const { first, second, stack, stop } = await chain(
      (attempt) =>
        attempt === 1
          ? { status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'Rate limit reached', type: 'requests' } } }
          : chatCompletion('Ahora sí', 'primary-model'),
      () => chatCompletion('no debería llegar acá'),
    );
    try {
      const response = await chat(stack, 'p-429');
      expect(response.body).toMatchObject({ reply: 'Ahora sí', provider: 'primary' });
      expect(first.requests).toHaveLength(2);
      expect(first.requests[1].at - first.requests[0].at).toBeGreaterThanOrEqual(2_000);
      expect(second.requests).toHaveLength(0);
    } finally {
      await stop();
    }
  });

  test('with every provider down the customer gets one apology, the message is kept, and staff take over', async () => {
    const { stack, stop } = await chain(
      () => serverError,
      () => ({ status: 503, body: { error: { message: 'overloaded' } } }),
    );
    try {
      const response = await chat(stack, 'p-down', 'Quiero reservar un masaje');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ reply: expect.stringContaining('Disculpa'), provider: 'none' });

      const handle = stack.client.workflow.getHandle('conversation:demo:web:p-down');
      // The reply returns as soon as it exists; the handoff follows it.
      await waitFor('the handoff', async () => (await handle.query(stateQuery)).status === 'handoff');
      const state = await handle.query(stateQuery);
      expect(state.transcript.map((entry) => entry.role)).toEqual(['customer', 'assistant']);
      expect(state.transcript[0].text).toBe('Quiero reservar un masaje');
      expect(state.transcript[1].text).toMatch(/^Disculpa, en este momento no puedo responderte/);
      const notifications = async () =>
        (await stack.db.pool.query('SELECT reason FROM staff_notifications WHERE workflow_id = $1', [handle.workflowId])).rows;
      await waitFor('the staff notification', async () => (await notifications()).length > 0);
      expect(await notifications()).toEqual([{ reason: expect.stringContaining('every LLM provider failed') }]);

      // While staff have it, the bot neither answers nor apologises again.
      const next = await chat(stack, 'p-down', '¿Hola?');
      expect(next.body).toMatchObject({ reply: null, status: 'handoff' });
    } finally {
      await stop();
    }
  }, 60_000);
});
