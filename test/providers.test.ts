import { stateQuery } from '../src/workflows';
import { apiError, chatCompletion, FakeOpenAI, hangs, modelNotFound, type FakeResponse } from './helpers/fake-openai';
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

/** The model-step activities of a workflow's history: the attempt each one started, and whether it completed. */
async function modelStepAttempts(stack: TestStack, workflowId: string) {
  const events = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const steps = new Map<string, string>();
  for (const event of events) {
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name && /^assistant\w*Step$/.test(name)) steps.set(String(event.eventId), name);
  }
  const completed = new Set(events.map((event) => String(event.activityTaskCompletedEventAttributes?.scheduledEventId)));
  return events.flatMap((event) => {
    const started = event.activityTaskStartedEventAttributes;
    const activity = started && steps.get(String(started.scheduledEventId));
    return activity ? [{ activity, attempt: started.attempt, completed: completed.has(String(started.scheduledEventId)) }] : [];
  });
}

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

  test('a primary slower than its timeout is not asked again: the fallback answers', async () => {
    const { first, second, stack, stop } = await chain(
      () => ({ ...chatCompletion('demasiado tarde'), delayMs: 1_500 }),
      () => chatCompletion('Respuesta del respaldo', 'fallback-model'),
      300,
    );
    try {
      const response = await chat(stack, 'p-slow');
      expect(response.body).toMatchObject({ reply: 'Respuesta del respaldo', provider: 'fallback' });
      expect(first.requests).toHaveLength(1);
      expect(second.requests).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  test('a primary that hangs: the fallback answers within the first attempt of the step, and the hung request is aborted', async () => {
    const { first, second, stack, stop } = await chain(hangs, () => chatCompletion('Respuesta del respaldo', 'fallback-model'), 2_000);
    try {
      const response = await chat(stack, 'p-hang');
      expect(response.body).toMatchObject({ reply: 'Respuesta del respaldo', provider: 'fallback' });
      expect(first.requests).toHaveLength(1);
      expect(second.requests).toHaveLength(1);
      const [hung] = first.requests;
      const toFallbackMs = second.requests[0]!.at - hung!.at;
      console.log(`hung primary (timeout 2000 ms): its socket closed after ${hung!.abandonedAt! - hung!.at} ms; fallback asked after ${toFallbackMs} ms`);
      expect(hung!.abandonedAt).toBeDefined();
      expect(toFallbackMs).toBeGreaterThanOrEqual(1_900);
      expect(toFallbackMs).toBeLessThan(5_000);

      // One attempt of the model step, which completed: the chain did not start over.
      const attempts = await modelStepAttempts(stack, 'conversation:demo:web:p-hang');
      expect(attempts).toEqual([{ activity: expect.stringMatching(/Step$/), attempt: 1, completed: true }]);
    } finally {
      await stop();
    }
  });

  test('a step cancelled mid-request aborts its HTTP request, and no other provider is asked', async () => {
    const { first, second, stack, stop } = await chain(hangs, () => chatCompletion('no debería llegar acá', 'fallback-model'));
    try {
      const reply = chat(stack, 'p-cancel');
      await waitFor('the request to the primary', () => first.requests.length === 1);
      const cancelledAt = Date.now();
      await stack.client.workflow.getHandle('conversation:demo:web:p-cancel').cancel();
      // Cancellation reaches the activity with its next heartbeat (throttled to 80% of its heartbeat timeout).
      await waitFor('the primary to see its request abandoned', () => first.requests[0]!.abandonedAt !== undefined, 30_000);
      console.log(`cancelled step: the hung request's socket closed ${first.requests[0]!.abandonedAt! - cancelledAt} ms after the cancellation`);
      // Well before the primary's own 45 s timeout: it was the cancellation that aborted it.
      expect(first.requests[0]!.abandonedAt! - first.requests[0]!.at).toBeLessThan(30_000);
      await reply;
      expect(second.requests).toHaveLength(0);
    } finally {
      await stop();
    }
  }, 60_000);

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

  test('with every provider hanging, the web customer still gets the apology in the reply, within one step', async () => {
    const providers = await Promise.all([new FakeOpenAI(hangs).start(), new FakeOpenAI(hangs).start()]);
    const stack = await startTestStack({
      llmProviders: providers.map((provider, i) => ({ name: `hung-${i}`, baseURL: provider.baseURL, apiKey: 'sk-test', model: 'm', timeout: 1_500 })),
    });
    try {
      const response = await chat(stack, 'p-hung', 'Hola, ¿están?');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'answered', reply: expect.stringMatching(/^Disculpa/), provider: 'none' });
      const handle = stack.client.workflow.getHandle('conversation:demo:web:p-hung');
      await waitFor('the handoff', async () => (await handle.query(stateQuery)).status === 'handoff');
      expect(await modelStepAttempts(stack, handle.workflowId)).toEqual([{ activity: 'assistantTurnStep', attempt: 1, completed: true }]);
      expect(providers.every((provider) => provider.requests.length === 1 && provider.requests[0]!.abandonedAt !== undefined)).toBe(true);
    } finally {
      await stack.stop();
      await Promise.all(providers.map((provider) => provider.stop()));
    }
  }, 60_000);
});
