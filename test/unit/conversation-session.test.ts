import { ConversationSession, type ConversationState } from '../../src/domain/conversation-session';
import type { ConversationSettings } from '../../src/domain/conversation-settings';
import type { InboundMessage } from '../../src/domain/conversation';

const settings: ConversationSettings = {
  idleTimeoutMs: 30 * 60_000,
  quietPeriodMs: 0,
  maxMessages: 4,
  foldBatch: 2,
  historyEventCap: 5_000,
  handoffTimeoutMs: 2 * 3_600_000,
};
const T0 = '2026-11-30T10:00:00.000Z';
const ref = { tenantId: 'demo', channel: 'web' as const, contactId: 's1' };
const reply = { text: 'Hola', provider: 'offline', model: 'm', usage: { promptTokens: 3, completionTokens: 2 } };

function message(id: string, text = `text ${id}`, extra: Partial<InboundMessage> = {}): InboundMessage {
  return { id, text, receivedAt: T0, ...extra };
}

function newSession(state?: Partial<ConversationState>): ConversationSession {
  return new ConversationSession({ ...ConversationSession.open(ref, 'session-1', T0), ...state }, settings);
}

describe('ConversationSession', () => {
  test('a reminder is work for the loop, received once, and written as the business speaking; it is no reply to anything', () => {
    const session = newSession();
    const reminder = { id: 'reminder:b1:1440', text: 'Recordatorio: tu turno es mañana', templateParameters: ['Ana', '2 de diciembre, 10:00'] };
    expect(session.hasWork()).toBe(false);
    expect(session.receiveProactive(reminder)).toBe(true);
    expect(session.receiveProactive(reminder)).toBe(false); // a retried signal
    expect(session.hasWork()).toBe(true);

    const taken = session.takeProactive()!;
    expect(session.takeProactive()).toBeUndefined();
    const seq = session.recordProactive(taken, T0);
    expect(session.state.transcript).toEqual([
      { seq, role: 'assistant', text: 'Recordatorio: tu turno es mañana', provider: 'concierge', model: 'reminder', usage: { promptTokens: 0, completionTokens: 0 }, at: T0, inReplyTo: [] },
    ]);
    expect(session.state.turns).toBe(0);
  });

  test('a reminder that arrived while the session was closing opens the next one, remembered as received', () => {
    const reminder = { id: 'reminder:b1:60', text: 'Recordatorio', templateParameters: [] };
    const next = new ConversationSession(ConversationSession.open(ref, 'session-2', T0, { pending: [], staffMessages: [], proactive: [reminder], resumeRequested: false }), settings);
    expect(next.hasWork()).toBe(true);
    expect(next.receiveProactive(reminder)).toBe(false);
  });

  test('a redelivered message is recorded once, and its outcome waits until it is answered', () => {
    const session = newSession();
    expect(session.receive(message('m1'))).toBe(true);
    expect(session.receive(message('m1'))).toBe(false);
    expect(session.state.inbox.pending).toHaveLength(1);
    expect(session.outcomeOf('m1')).toBeUndefined();

    const burst = session.takeBurst();
    expect(session.outcomeOf('m1')).toBeUndefined(); // in the transcript, not answered yet
    session.recordReply(reply, burst, T0, []);
    expect(session.outcomeOf('m1')).toEqual({ answered: true, reply: expect.objectContaining({ text: 'Hola' }) });
    expect(session.state.turns).toBe(1);
    expect(session.state.usage).toEqual({ promptTokens: 3, completionTokens: 2, costUsd: 0 });
  });

  test('a burst is answered once: one reply for every message in it', () => {
    const session = newSession();
    ['a', 'b', 'c'].forEach((id) => session.receive(message(id)));
    const burst = session.takeBurst();
    expect(burst.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    const seq = session.recordReply(reply, burst, T0, []);
    expect(seq).toBe(3);
    for (const id of ['a', 'b', 'c']) expect(session.outcomeOf(id)).toMatchObject({ answered: true });
  });

  test('silenced messages report why; an unknown message is forgotten only once memory is loaded', () => {
    const session = newSession();
    session.receive(message('m1'));
    session.silence(session.takeBurst(), 'handoff');
    expect(session.outcomeOf('m1')).toEqual({ answered: false, reason: 'handoff' });
    expect(session.outcomeOf('nope')).toBeUndefined();
    session.rememberEarlierSession({ summary: '', recentMessageIds: [] });
    expect(session.outcomeOf('nope')).toEqual({ answered: false, reason: 'forgotten' });
  });

  test('only courtesies after a confirmed appointment need no answer', () => {
    const session = newSession();
    const thanks = [message('t', 'gracias', { bareCourtesy: true })];
    expect(session.isOnlyCourtesy(thanks)).toBe(false);
    session.recordReply({ ...reply, appointmentConfirmed: true }, [], T0, []);
    expect(session.isOnlyCourtesy(thanks)).toBe(true);
    expect(session.isOnlyCourtesy([...thanks, message('q', '¿y el precio?', { bareCourtesy: false })])).toBe(false);
  });

  test('a late redelivery of an earlier session\'s message is dropped when memory loads', () => {
    const session = new ConversationSession(
      ConversationSession.open(ref, 'session-2', T0, { pending: [message('old'), message('new')], staffMessages: [], resumeRequested: false }),
      settings,
    );
    session.rememberEarlierSession({ summary: 'earlier', recentMessageIds: ['old'] });
    expect(session.state.inbox.pending.map((m) => m.id)).toEqual(['new']);
    expect(session.state.summary).toBe('earlier');
    expect(session.knows('old')).toBe(true);
  });

  test('the wake-up is the idle deadline, or the handoff timeout while staff have it', () => {
    const session = newSession();
    expect(session.wakeUpAt()).toBe(Date.parse(T0) + settings.idleTimeoutMs);
    session.markActive('2026-11-30T10:05:00.000Z');
    expect(session.wakeUpAt()).toBe(Date.parse('2026-11-30T10:35:00.000Z'));
    expect(session.needsStaffNotice()).toBe(true);
    session.startHandoff('asked for a person', '2026-11-30T10:06:00.000Z');
    expect(session.needsStaffNotice()).toBe(false);
    expect(session.state.status).toBe('handoff');
    expect(session.wakeUpAt()).toBe(Date.parse('2026-11-30T12:06:00.000Z'));
    session.endHandoff();
    expect(session.state.status).toBe('active');
    expect(session.state.handoff).toBeUndefined();
  });

  test('staff messages are deduplicated by their id; a handoff request makes staff waiting', () => {
    const session = newSession();
    expect(session.receiveStaffMessage({ id: 's1', text: 'Hola, soy Ana' })).toBe(true);
    expect(session.receiveStaffMessage({ id: 's1', text: 'Hola, soy Ana' })).toBe(false);
    expect(session.staffWaiting()).toBe(true);
    expect(session.takeStaffMessage()?.text).toBe('Hola, soy Ana');
    expect(session.staffWaiting()).toBe(false);
    session.requestHandoff('vip');
    expect(session.hasWork()).toBe(true);
    expect(session.takeHandoffRequest()).toBe('vip');
    expect(session.hasWork()).toBe(false);
  });

  test('entries are written once, and the window folds in batches', () => {
    const session = newSession();
    for (const id of ['1', '2', '3']) {
      session.receive(message(id));
      session.recordReply(reply, session.takeBurst(), T0, []);
    }
    expect(session.unpersisted().map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    session.markPersisted(session.unpersisted().slice(0, 4));
    expect(session.unpersisted().map((e) => e.seq)).toEqual([4, 5]);
    // 6 entries, window 4 + batch 2: not yet; a 7th folds the 3 oldest.
    expect(session.foldable()).toEqual([]);
    session.receive(message('4'));
    session.takeBurst();
    const folded = session.foldable();
    expect(folded.map((e) => e.seq)).toEqual([0, 1, 2]);
    session.fold(folded, 'summary of 0-2');
    expect(session.windowStart()).toBe(3);
    expect(session.state.summary).toBe('summary of 0-2');
  });

  test('state carried from before write-through counts its whole window as unwritten', () => {
    const session = newSession();
    session.receive(message('1'));
    session.takeBurst();
    delete session.state.persistedSeq;
    expect(session.unpersisted().map((e) => e.seq)).toEqual([0]);
  });
});
