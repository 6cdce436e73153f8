import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { conversationWorkflowId } from '../src/domain/conversation';
import { MAX_CHATS_IN_FLIGHT, stateQuery } from '../src/workflows';
import { startEngineHarness, type EngineHarness } from './helpers/engine';
import { sleep, waitFor } from './helpers/wait-for';

/**
 * The engine's state machine on a real Temporal server with fake activities: seconds per case.
 * What the real activities do (PostgreSQL, models, channels) is tested elsewhere.
 */
let engine: EngineHarness;
beforeAll(async () => {
  engine = await startEngineHarness();
});
afterAll(() => engine.stop());
beforeEach(() => {
  engine.steps.length = 0;
  engine.sends.length = 0;
  engine.staffNotices.length = 0;
  engine.holdModel = undefined;
  engine.holdClose = undefined;
});

const handleOf = (contactId: string, channel = 'telegram' as const) =>
  engine.client.workflow.getHandle(conversationWorkflowId({ tenantId: 'demo', channel, contactId }));
const stateOf = (contactId: string, channel: 'telegram' | 'web' = 'telegram') => handleOf(contactId, channel as 'telegram').query(stateQuery);

function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function historyEvents(contactId: string, channel: 'telegram' | 'web') {
  const history = await handleOf(contactId, channel as 'telegram').fetchHistory();
  return history.events ?? [];
}

test('a burst is answered once, in order; what arrives while the model thinks is answered next', async () => {
  const settings = engine.settings({ quietPeriodMs: 400 });
  for (const text of ['hola', 'quiero un turno', 'para mañana']) await engine.signal('burst', text, { settings });
  const model = gate();
  engine.holdModel = model.promise;
  await waitFor('the first step', () => engine.steps.length === 1);
  expect(engine.steps[0]!.customerTexts).toEqual(['hola', 'quiero un turno', 'para mañana']);
  await engine.signal('burst', 'a la tarde', { settings });
  model.open();
  await waitFor('two replies', () => engine.sends.length === 2);
  expect(engine.sends).toEqual(['echo: hola | quiero un turno | para mañana', 'echo: a la tarde']);
  expect(engine.steps).toHaveLength(2);
});

test('a handoff survives continue-as-new, also in a session opened while the last one closed', async () => {
  // A cap this low continues-as-new after every piece of work.
  const settings = engine.settings({ idleTimeoutMs: 1_500, historyEventCap: 260 });
  await engine.signal('handoff-can', 'hola', { settings });
  await waitFor('the first reply', () => engine.sends.length === 1);

  // The session closes while a message arrives: that message opens the next session.
  const close = gate();
  engine.holdClose = close.promise;
  const closing = engine.closedSessions.length;
  await waitFor('the idle close to start', async () => (await stateOf('handoff-can')).status === 'closed', 10_000);
  await engine.signal('handoff-can', 'sigo acá', { settings });
  close.open();
  await waitFor('the message sent during the close answered', () => engine.sends.length === 2, 10_000);
  expect(engine.closedSessions.length).toBe(closing + 1);
  expect(engine.sends[1]).toBe('echo: sigo acá');

  await handleOf('handoff-can').signal('handoff', { reason: 'a person will take it' });
  await waitFor('the handoff', async () => (await stateOf('handoff-can')).status === 'handoff');
  const runBefore = (await handleOf('handoff-can').describe()).runId;
  await engine.signal('handoff-can', '¿hay alguien?', { settings });
  await waitFor('the message recorded', async () => (await stateOf('handoff-can')).transcript.some((e) => e.text === '¿hay alguien?'));
  await sleep(500);

  const description = await handleOf('handoff-can').describe();
  expect(description.runId).not.toBe(runBefore); // it did continue-as-new in between
  expect(description.searchAttributes.ConversationStatus).toEqual(['handoff']);
  const state = await stateOf('handoff-can');
  expect(state.status).toBe('handoff');
  expect(state.transcript.find((e) => e.text === '¿hay alguien?')).toMatchObject({ silenced: 'handoff' });
  expect(engine.sends).toHaveLength(2); // the bot said nothing
  expect(engine.steps.map((s) => s.customerTexts.at(-1))).not.toContain('¿hay alguien?');
  expect(engine.staffNotices).toEqual(['a person will take it']);
});

test(`web chat: at most ${MAX_CHATS_IN_FLIGHT} messages wait at once; the rest are refused unrecorded, then come as signals`, async () => {
  const model = gate();
  engine.holdModel = model.promise;
  const settings = engine.settings();
  const first = engine.chat('busy', 'primero', { settings, id: 'busy-first' });
  await waitFor('the model busy', () => engine.steps.length === 1);
  // One at a time, each until it is recorded or refused: what is measured is the workflow's
  // limit, not how the server orders a burst of concurrent updates.
  const refused: string[] = [];
  const waiting: Array<Promise<unknown>> = [];
  const ids = Array.from({ length: 12 }, (_, i) => `busy-${i}`);
  for (const id of ids) {
    waiting.push(
      engine.chat('busy', `text of ${id}`, { settings, id }).catch((error: unknown) => {
        expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(((error as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('ConversationBusy');
        refused.push(id);
      }),
    );
    await waitFor(`${id} recorded or refused`, async () => refused.includes(id) || (await stateOf('busy', 'web')).inbox.pending.some((m) => m.id === id));
  }
  const pending = (await stateOf('busy', 'web')).inbox.pending.map((m) => m.id);
  expect(pending).toEqual(ids.slice(0, MAX_CHATS_IN_FLIGHT - 1)); // the first message is with the model
  expect(refused).toEqual(ids.slice(MAX_CHATS_IN_FLIGHT - 1));

  // The API hands refused messages over as signals; every message is answered.
  for (const id of refused) await engine.signal('busy', `text of ${id}`, { channel: 'web', settings, id });
  model.open();
  await Promise.all([first, ...waiting]);
  await waitFor('all 13 answered', async () => {
    const state = await stateOf('busy', 'web');
    return ['busy-first', ...ids].every((id) => state.transcript.some((e) => e.role === 'assistant' && e.inReplyTo.includes(id)));
  });
});

test('a plain web turn costs at most 14 history events, and the idle timer is started once', async () => {
  const settings = engine.settings({ idleTimeoutMs: 60_000 });
  await engine.chat('lean', 'hola', { settings });
  const before = (await historyEvents('lean', 'web')).length;
  for (let i = 0; i < 5; i++) expect(await engine.chat('lean', `mensaje ${i}`, { settings })).toMatchObject({ answered: true });
  const events = await historyEvents('lean', 'web');
  expect((events.length - before) / 5).toBeLessThanOrEqual(14);
  expect(events.filter((event) => event.timerStartedEventAttributes)).toHaveLength(1);
});
