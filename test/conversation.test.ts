import type { Client } from '@temporalio/client';
import { ConversationStatusKey } from '../src/temporal/search-attributes';
import { handoffSignal, resumeSignal, staffMessageSignal, stateQuery } from '../src/workflows';
import { chatCompletion, FakeOpenAI, type RecordedRequest } from './helpers/fake-openai';
import { FakeTelegram } from './helpers/fake-telegram';
import { startTestStack, type TestStack } from './helpers/stack';
import { sleep, waitFor } from './helpers/wait-for';

const QUIET_MS = 800;

/** The model's side: chat turns answer "Respuesta N"; summary requests get a fixed-size summary. */
class ScriptedModel {
  readonly fake: FakeOpenAI;
  /** Makes the next chat turn wait this long before answering. */
  delayNextTurnMs = 0;
  /** Runs while a summary request waits for its answer. */
  duringSummary?: () => Promise<void>;
  constructor() {
    this.fake = new FakeOpenAI(async (request) => {
      if (isSummaryRequest(request)) {
        await this.duringSummary?.();
        return chatCompletion(`Resumen ${this.summaries().length}: el cliente pide turnos.`);
      }
      const delay = this.delayNextTurnMs;
      this.delayNextTurnMs = 0;
      if (delay) await sleep(delay);
      return chatCompletion(`Respuesta ${this.turns().length}`);
    });
  }
  turns = () => this.fake.requests.filter((request) => !isSummaryRequest(request));
  summaries = () => this.fake.requests.filter(isSummaryRequest);
}

const isSummaryRequest = (request: RecordedRequest) => String(request.body.messages[0].content).startsWith('Summarise');
const userMessages = (request: RecordedRequest): string[] =>
  request.body.messages.filter((message: { role: string }) => message.role === 'user').map((message: { content: string }) => message.content);
const promptChars = (request: RecordedRequest) =>
  request.body.messages.reduce((total: number, message: { content: string }) => total + message.content.length, 0);

describe('the conversation workflow', () => {
  let stack: TestStack;
  let model: ScriptedModel;
  let telegram: FakeTelegram;

  beforeAll(async () => {
    model = new ScriptedModel();
    await model.fake.start();
    telegram = await new FakeTelegram().start();
    stack = await startTestStack({
      llmProviders: [{ name: 'fake', baseURL: model.fake.baseURL, apiKey: 'sk-test', model: 'fake-model' }],
      channels: { telegram: telegram.credentials() },
    });
    await stack.db.pool.query('UPDATE tenants SET burst_quiet_ms = $1', [QUIET_MS]);
  });
  afterAll(async () => {
    await stack.stop();
    await Promise.all([model.fake.stop(), telegram.stop()]);
  });

  const sentTo = (chatId: string) => telegram.sent.filter((message) => String(message.chat_id) === chatId);
  const handleOf = (contactId: string) => stack.client.workflow.getHandle(`conversation:demo:telegram:${contactId}`);

  test('a message delivered three times is answered once', async () => {
    const turnsBefore = model.turns().length;
    await Promise.all([1, 2, 3].map(() => stack.deliver('telegram', '1001', 'Hola, ¿tienen turnos?', 'tg-msg-1')));
    await waitFor('the reply', () => sentTo('1001').length === 1);
    await sleep(QUIET_MS * 3); // time for a second turn, if one were coming

    expect(sentTo('1001')).toEqual([{ token: 'TEST-TOKEN', chat_id: 1001, text: expect.stringMatching(/^Respuesta/) }]);
    expect(model.turns().length - turnsBefore).toBe(1);
    const state = await handleOf('1001').query(stateQuery);
    expect(state.transcript.map((entry) => entry.role)).toEqual(['customer', 'assistant']);
  });

  test('a burst is answered once, in order; a message sent during the turn is answered next', async () => {
    const turnsBefore = model.turns().length;
    model.delayNextTurnMs = 1_500;
    for (const text of ['Hola', 'quería saber', 'si tienen', 'turno el martes', 'a la tarde']) {
      await stack.deliver('telegram', '1002', text);
      await sleep(50);
    }
    await waitFor('the first turn to reach the model', () => model.turns().length === turnsBefore + 1);
    await stack.deliver('telegram', '1002', '¿y cuánto sale?');
    await waitFor('two replies', () => sentTo('1002').length === 2);

    const [first, second] = model.turns().slice(turnsBefore);
    expect(userMessages(first)).toEqual(['Hola', 'quería saber', 'si tienen', 'turno el martes', 'a la tarde']);
    expect(userMessages(second).at(-1)).toBe('¿y cuánto sale?');
    expect(model.turns().length - turnsBefore).toBe(2);
  });

  test('during a handoff the bot is silent, staff messages reach the customer, and resume hands back', async () => {
    await stack.deliver('telegram', '1003', 'Hola');
    await waitFor('the first reply', () => sentTo('1003').length === 1);
    const handle = handleOf('1003');

    await handle.signal(handoffSignal, { reason: 'customer asked for a person' });
    await waitFor('status handoff', async () => (await handle.query(stateQuery)).status === 'handoff');
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(ConversationStatusKey)).toBe('handoff');
    const { rows: notifications } = await stack.db.pool.query('SELECT reason FROM staff_notifications WHERE workflow_id = $1', [
      handle.workflowId,
    ]);
    expect(notifications).toEqual([{ reason: 'customer asked for a person' }]);

    const turnsBefore = model.turns().length;
    await stack.deliver('telegram', '1003', '¿Hay alguien ahí?');
    await waitFor('the message to be recorded', async () => (await handle.query(stateQuery)).transcript.length === 3);
    await handle.signal(staffMessageSignal, { id: 'staff-1', text: 'Hola, soy Ana. Te ayudo yo.', author: 'Ana' });
    await handle.signal(staffMessageSignal, { id: 'staff-1', text: 'Hola, soy Ana. Te ayudo yo.', author: 'Ana' }); // a retried request
    await waitFor("the staff message", () => sentTo('1003').length === 2);
    await sleep(QUIET_MS * 3);
    expect(sentTo('1003').map((message) => message.text)).toEqual([expect.stringMatching(/^Respuesta/), 'Hola, soy Ana. Te ayudo yo.']);
    expect(model.turns().length).toBe(turnsBefore);

    await handle.signal(resumeSignal);
    await stack.deliver('telegram', '1003', 'Gracias Ana, ¿y el precio?');
    await waitFor('the bot again', () => sentTo('1003').length === 3);
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('active');
    expect(state.transcript.map((entry) => entry.role)).toEqual(['customer', 'assistant', 'customer', 'staff', 'customer', 'assistant']);
    expect(state.transcript[2]).toMatchObject({ text: '¿Hay alguien ahí?', silenced: 'handoff' });
  });

  test('a message that arrives while the session is closing opens the next session and is answered', async () => {
    const closing = await startTestStack({
      llmProviders: [{ name: 'fake', baseURL: model.fake.baseURL, apiKey: 'sk-test', model: 'fake-model' }],
      channels: { telegram: telegram.credentials() },
      conversation: { idleTimeoutMs: 1_500 },
    });
    try {
      await closing.db.pool.query('UPDATE tenants SET burst_quiet_ms = 0');
      const first = await closing.deliver('telegram', '1005', 'Hola');
      await waitFor('the first reply', () => sentTo('1005').length === 1);
      // The close summarises the session; the customer writes again right then.
      model.duringSummary = async () => {
        model.duringSummary = undefined;
        await closing.deliver('telegram', '1005', '¿Siguen ahí?');
        await sleep(500);
      };
      await waitFor('the late message to be answered', () => sentTo('1005').length === 2, 30_000);

      const next = closing.client.workflow.getHandle(first.workflowId);
      const state = await next.query(stateQuery);
      expect(state.sessionId).not.toBe(first.signaledRunId);
      expect(state.transcript.map((entry) => `${entry.role}: ${entry.text}`)).toEqual([
        'customer: ¿Siguen ahí?',
        expect.stringMatching(/^assistant: Respuesta/),
      ]);
      expect(state.summary).toMatch(/^Resumen/); // the closed session's, from PostgreSQL
      expect((await next.describe()).typedSearchAttributes.get(ConversationStatusKey)).toBe('active');
    } finally {
      await closing.stop();
    }
  });

  test('a 300-turn chat keeps every run under the history cap and the prompt bounded, its summary carried over', async () => {
    const cap = 500; // the least HISTORY_EVENT_CAP takes
    const long = await startTestStack({
      llmProviders: [{ name: 'fake', baseURL: model.fake.baseURL, apiKey: 'sk-test', model: 'fake-model' }],
      conversation: { historyEventCap: cap, maxMessages: 20, foldBatch: 5 },
    });
    try {
      const turnsBefore = model.turns().length;
      for (let turn = 1; turn <= 300; turn++) {
        const response = await long.request('POST', '/api/chat', { session_id: 'marathon', message: `Mensaje número ${turn}` });
        expect(response.status).toBe(200);
      }
      const turns = model.turns().slice(turnsBefore);
      expect(turns).toHaveLength(300);
      expect(userMessages(turns[299]).at(-1)).toBe('Mensaje número 300');
      expect(promptChars(turns[299])).toBeLessThanOrEqual(promptChars(turns[29]) * 1.3);
      // The model still hears what was folded away: the summary travels across continue-as-new.
      expect(turns[299].body.messages.some((message: { content: string }) => message.content.includes('el cliente pide turnos'))).toBe(true);

      const runs = await allRuns(long.client, 'conversation:demo:web:marathon');
      expect(runs.length).toBeGreaterThan(3);
      for (const run of runs) expect(run.historyLength).toBeLessThan(cap);
      const state = await long.client.workflow.getHandle('conversation:demo:web:marathon').query(stateQuery);
      expect(state.turns).toBe(300);
      expect(state.summary).toMatch(/^Resumen \d+/);
    } finally {
      await long.stop();
    }
  }, 240_000);
});

async function allRuns(client: Client, workflowId: string) {
  const runs = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    runs.push(await client.workflow.getHandle(workflowId, execution.runId).describe());
  }
  return runs;
}
