import { activityRuns } from './helpers/history';
import { stateQuery } from '../src/workflows';
import { apiError, chatCompletion, FakeOpenAI, messagesOf, toolCallCompletion, type FakeResponse, type RecordedRequest } from './helpers/fake-openai';
import { isoDate, weekdayAhead } from './helpers/booking-fixtures';
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
/** A weekday well ahead, when the demo clinic is open: only the service can be wrong. */
const nextWeekday = () => isoDate(weekdayAhead(7));

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
      expect(first!.body.tools.map((tool: any) => tool.function.name)).toEqual([
        'search_services',
        'check_availability',
        'suggest_slots',
        'create_booking',
        'reschedule_booking',
        'cancel_booking',
        'confirm_booking',
        'list_my_bookings',
        'escalate_to_human',
        'save_lead_details',
        'qualify_lead',
      ]);
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

  test('calls with bad arguments, unknown tools, services or a tenant id are never run; the model gets the errors', async () => {
    const { model, stack, stop } = await withModel((_request, nth) => {
      if (nth === 1) {
        return toolCallCompletion([
          { name: 'search_services', arguments: { query: 'depilación', tenant_id: 'other-clinic' } },
          { name: 'delete_all_bookings', arguments: {} },
          { name: 'search_services', arguments: '{"query": "laser' },
          { name: 'search_services', arguments: { query: 42 } },
          { name: 'create_booking', arguments: { service: 'depilacion-laser', date: '24/11/2026', time: '10:00' } },
        ]);
      }
      if (nth === 2) {
        return toolCallCompletion([
          { id: 'call_6', name: 'create_booking', arguments: { service: 'corte de pelo', date: nextWeekday(), time: '10:00' } },
          { id: 'call_7', name: 'cancel_booking', arguments: { booking_id: '1', tenant_id: 'other-clinic' } },
        ]);
      }
      return chatCompletion('Perdón, ¿me repetís qué servicio buscás?');
    });
    try {
      const response = await chat(stack, 'tools-invalid', 'Precio de depilación');
      expect(response.body.reply).toBe('Perdón, ¿me repetís qué servicio buscás?');

      const errors = toolMessages(model.chatRequests[2]!);
      expect(errors).toEqual([
        { id: 'call_1', error: expect.stringMatching(/^Invalid arguments, nothing was done: .*tenant_id/) },
        { id: 'call_2', error: expect.stringMatching(/^Unknown tool "delete_all_bookings"\. Available tools: search_services, check_availability, /) },
        { id: 'call_3', error: expect.stringContaining('not valid JSON') },
        { id: 'call_4', error: expect.stringMatching(/^Invalid arguments, nothing was done: query:/) },
        { id: 'call_5', error: expect.stringMatching(/^Invalid arguments, nothing was done: date:/) },
        // Well-formed, so it reaches the tool, which refuses before writing anything.
        { id: 'call_6', error: 'unknown_service', message: expect.any(String) },
        { id: 'call_7', error: expect.stringMatching(/booking_id: .*tenant_id|tenant_id.*booking_id/) },
      ]);
      const handle = conversation(stack, 'tools-invalid');
      expect(await activityRuns(handle, 'searchServicesTool')).toBe(0);
      expect(await activityRuns(handle, 'cancelBookingTool')).toBe(0);
      expect((await stack.db.pool.query('SELECT count(*)::int AS n FROM bookings')).rows[0].n).toBe(0);
      const state = await handle.query(stateQuery);
      const outcomes = (state.transcript.at(-1) as { tools: { outcome: string }[] }).tools.map((tool) => tool.outcome);
      expect(outcomes).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'error', 'invalid']);
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
      expect(await activityRuns(conversation(stack, 'tools-loop'), 'searchServicesTool')).toBe(4);
    } finally {
      await stop();
    }
  });

  test('at most 5 calls run per round; the rest are refused, unrun', async () => {
    const { model, stack, stop } = await withModel((_request, nth) =>
      nth === 1
        ? toolCallCompletion(Array.from({ length: 6 }, (_, i) => ({ name: 'search_services', arguments: { query: `servicio ${i}` } })))
        : chatCompletion('Listo.'),
    );
    try {
      await chat(stack, 'tools-many', 'todo');
      const results = toolMessages(model.chatRequests[1]!);
      expect(results.slice(0, 5).every((result) => 'services' in result)).toBe(true);
      expect(results[5]).toEqual({ id: 'call_6', error: expect.stringMatching(/^Not run: at most 5 tool calls/) });
      expect(await activityRuns(conversation(stack, 'tools-many'), 'searchServicesTool')).toBe(5);
    } finally {
      await stop();
    }
  });

  test('a model that still only calls tools when it must answer hands the conversation to a person, not an empty message', async () => {
    const { stack, stop } = await withModel(() => toolCallCompletion([{ name: 'search_services', arguments: { query: 'laser' } }]));
    try {
      const response = await chat(stack, 'tools-mute', 'laser');
      expect(response.body).toMatchObject({ reply: expect.stringMatching(/^Disculpa/), provider: 'none' });
      const handle = conversation(stack, 'tools-mute');
      await waitFor('the handoff', async () => (await handle.query(stateQuery)).status === 'handoff');
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
      expect(await activityRuns(conversation(stack, 'tools-429'), 'searchServicesTool')).toBe(1);
    } finally {
      await stop();
    }
  });

  test("a booking the model makes is in the database, followed by its appointment workflow, and in later prompts", async () => {
    const date = nextWeekday();
    const { model, stack, stop } = await withModel((_request, nth) => {
      if (nth === 1) return toolCallCompletion([{ name: 'create_booking', arguments: { service: 'masaje', date, time: '15:00', customer_name: 'Lucía' } }]);
      return chatCompletion(nth === 2 ? 'Listo, te reservé el masaje.' : 'Tu turno sigue en pie.');
    });
    try {
      await chat(stack, 'tools-book', `Reservame un masaje el ${date} a las 15`);
      const { rows } = await stack.db.pool.query(`SELECT id, service_id, status, customer_name FROM bookings WHERE contact_id = 'tools-book'`);
      expect(rows).toEqual([{ id: expect.any(String), service_id: 'masaje-descontracturante', status: 'confirmed', customer_name: 'Lucía' }]);
      const state = await conversation(stack, 'tools-book').query(stateQuery);
      expect(state.bookings).toEqual([expect.objectContaining({ id: rows[0].id, date, time: '15:00', status: 'confirmed' })]);
      expect(state.appointmentConfirmed).toBe(true);
      await waitFor('the appointment workflow', async () => {
        const description = await stack.client.workflow.getHandle(`appointment:${rows[0].id}`).describe().catch(() => undefined);
        return description?.status.name === 'RUNNING';
      });

      await chat(stack, 'tools-book', '¿Sigue en pie mi turno?');
      const system = messagesOf(model.chatRequests.at(-1)!, 'system')[0].content;
      expect(system).toContain(`Masaje descontracturante (confirmed; booking_id ${rows[0].id})`);
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
