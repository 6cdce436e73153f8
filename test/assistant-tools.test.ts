import type { WorkflowHandle } from '@temporalio/client';
import { stateQuery } from '../src/workflows';
import { apiError, chatCompletion, FakeOpenAI, messagesOf, toolCallCompletion, type FakeResponse, type RecordedRequest } from './helpers/fake-openai';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

/** A stack whose only provider is a fake answering as `respond` says, given its nth chat request (from 1). */
async function withModel(respond: (request: RecordedRequest, nth: number) => FakeResponse) {
  const model: FakeOpenAI = await new FakeOpenAI((request) => respond(request, model.chatRequests.length)).start();
  const stack = await startTestStack({ llmProviders: [{ name: 'fake', baseURL: model.baseURL, apiKey: 'sk-test', model: 'fake-model' }] });
  return { model, stack, stop: async () => (await stack.stop(), await model.stop()) };
}

const chat = (stack: TestStack, sessionId: string, message: string) => stack.request('POST', '/api/chat', { session_id: sessionId, message });
const conversation = (stack: TestStack, sessionId: string) => stack.client.workflow.getHandle(`conversation:demo:web:${sessionId}`);

/** How many times the workflow scheduled an activity of this type: what actually ran. */
async function scheduled(handle: WorkflowHandle, activityType: string): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === activityType).length;
}

const toolMessages = (request: RecordedRequest) => messagesOf(request, 'tool').map((message) => ({ id: message.tool_call_id, ...JSON.parse(message.content) }));

describe('the assistant with tools', () => {
  test('a price question: the model searches the catalogue through the workflow, then answers from the result', async () => {
    const { model, stack, stop } = await withModel((_request, nth) =>
      nth === 1 ? toolCallCompletion([{ name: 'search_services', arguments: { query: 'depilasion laser' } }]) : chatCompletion('Sale $25.000 y dura 45 minutos.'),
    );
    try {
      const response = await chat(stack, 'tools-price', '¿Cuánto sale la depilasion laser?');
      expect(response.body).toMatchObject({ reply: 'Sale $25.000 y dura 45 minutos.', provider: 'fake' });

      const [first, second] = model.chatRequests;
      // The tools go out as JSON schema made from their zod schemas.
      expect(first!.body.tools.map((tool: any) => tool.function.name)).toEqual(['search_services', 'escalate_to_human']);
      expect(first!.body.tools[0].function.parameters).toMatchObject({ type: 'object', additionalProperties: false, properties: { query: { type: 'string' } } });
      // The model reads its call back, then the result, found despite the misspelling.
      expect(messagesOf(second!, 'assistant').at(-1).tool_calls[0].function).toEqual({ name: 'search_services', arguments: '{"query":"depilasion laser"}' });
      const [result] = toolMessages(second!);
      expect(result).toMatchObject({ id: 'call_1', services: [expect.objectContaining({ name: 'Depilación láser', price: 25_000, currency: 'ARS' })] });

      const state = await conversation(stack, 'tools-price').query(stateQuery);
      expect(state.transcript.at(-1)).toMatchObject({ role: 'assistant', tools: [{ name: 'search_services', outcome: 'ok' }] });
    } finally {
      await stop();
    }
  });

  test('calls with bad arguments, unknown tools or a tenant id are never run; the model gets the errors', async () => {
    const { model, stack, stop } = await withModel((_request, nth) =>
      nth === 1
        ? toolCallCompletion([
            { name: 'search_services', arguments: { query: 'depilación', tenant_id: 'other-clinic' } },
            { name: 'delete_all_bookings', arguments: {} },
            { name: 'search_services', arguments: '{"query": "laser' },
            { name: 'search_services', arguments: { query: 42 } },
          ])
        : chatCompletion('Perdón, ¿me repetís qué servicio buscás?'),
    );
    try {
      const response = await chat(stack, 'tools-invalid', 'Precio de depilación');
      expect(response.body.reply).toBe('Perdón, ¿me repetís qué servicio buscás?');

      const errors = toolMessages(model.chatRequests[1]!);
      expect(errors).toEqual([
        { id: 'call_1', error: expect.stringMatching(/^Invalid arguments, nothing was done: .*tenant_id/) },
        { id: 'call_2', error: expect.stringMatching(/^Unknown tool "delete_all_bookings"\. Available tools: search_services, escalate_to_human/) },
        { id: 'call_3', error: expect.stringContaining('not valid JSON') },
        { id: 'call_4', error: expect.stringMatching(/^Invalid arguments, nothing was done: query:/) },
      ]);
      const handle = conversation(stack, 'tools-invalid');
      expect(await scheduled(handle, 'searchServicesTool')).toBe(0);
      const state = await handle.query(stateQuery);
      expect(state.transcript.at(-1)).toMatchObject({ tools: Array(4).fill(expect.objectContaining({ outcome: 'invalid' })) });
    } finally {
      await stop();
    }
  });

  test('a model that keeps calling tools is made to answer after the last round', async () => {
    const { model, stack, stop } = await withModel((request) =>
      request.body.tool_choice === 'none'
        ? chatCompletion('Tenemos depilación láser.')
        : toolCallCompletion([{ name: 'search_services', arguments: { query: 'laser' } }]),
    );
    try {
      const response = await chat(stack, 'tools-loop', 'laser');
      expect(response.body.reply).toBe('Tenemos depilación láser.');
      // Four rounds with tools, then one that must be text.
      expect(model.chatRequests.map((request) => request.body.tool_choice)).toEqual(['auto', 'auto', 'auto', 'auto', 'none']);
      expect(await scheduled(conversation(stack, 'tools-loop'), 'searchServicesTool')).toBe(4);
    } finally {
      await stop();
    }
  });

  test('a 429 with Retry-After: 2 is waited out, and the tool the model then calls runs once', async () => {
    const { model, stack, stop } = await withModel((_request, nth) => {
      if (nth === 1) return apiError(429, 'Rate limit reached', { headers: { 'retry-after': '2' } });
      if (nth === 2) return toolCallCompletion([{ name: 'search_services', arguments: { query: 'masaje' } }]);
      return chatCompletion('El masaje sale $22.000.');
    });
    try {
      const response = await chat(stack, 'tools-429', '¿Cuánto sale el masaje?');
      expect(response.body.reply).toBe('El masaje sale $22.000.');
      const [limited, retried, answered] = model.chatRequests;
      expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(2_000);
      expect(toolMessages(answered!)).toHaveLength(1);
      expect(await scheduled(conversation(stack, 'tools-429'), 'searchServicesTool')).toBe(1);
    } finally {
      await stop();
    }
  });

  test('escalate_to_human hands the conversation to staff after the reply', async () => {
    const { stack, stop } = await withModel((_request, nth) =>
      nth === 1
        ? toolCallCompletion([{ name: 'escalate_to_human', arguments: { reason: 'quiere hablar con la doctora' } }])
        : chatCompletion('Listo, una persona del equipo te escribe por acá.'),
    );
    try {
      const response = await chat(stack, 'tools-human', 'Quiero hablar con la doctora');
      expect(response.body.reply).toBe('Listo, una persona del equipo te escribe por acá.');
      const handle = conversation(stack, 'tools-human');
      await waitFor('the handoff', async () => (await handle.query(stateQuery)).status === 'handoff');
      expect((await handle.query(stateQuery)).handoff?.reason).toBe('quiere hablar con la doctora');
      const { rows } = await stack.db.pool.query('SELECT reason FROM staff_notifications WHERE workflow_id = $1', [handle.workflowId]);
      expect(rows).toEqual([{ reason: 'quiere hablar con la doctora' }]);
    } finally {
      await stop();
    }
  });
});
