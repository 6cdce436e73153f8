import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SendToContactInput } from '../activities/delivery';
import type { ConversationStatus, InboundMessage } from '../domain/conversation';
import { ConversationSession, failedTurnReason, type ConversationState, type ReplyOutcome } from '../domain/conversation-session';
import { HISTORY_HEADROOM } from '../domain/history-limits';
import { ConversationStatusKey } from '../temporal/search-attributes';
import { DELIVERY, MODEL_CALL, STORAGE } from './activity-options';
import { runAssistantTurn, transcribeVoiceNotes } from './assistant-turn';
import {
  awaitReplyUpdate,
  chatUpdate,
  handoffSignal,
  inboundMessageSignal,
  resumeSignal,
  proactiveMessageSignal,
  staffMessageSignal,
  stateQuery,
  type ConversationInput,
} from './definitions';
import { showDetails } from './details';
import { customerLanguage, oneLine, TIMER_SUMMARIES } from './summaries';
import { WakeUpTimer } from './wake-up-timer';

export * from './definitions';

const storage = proxyActivities<Activities>(STORAGE);
const model = proxyActivities<Activities>(MODEL_CALL);
const delivery = proxyActivities<Activities>(DELIVERY);

/**
 * Engine v2: messages as updates (web chat), the transcript written through to PostgreSQL, one
 * idle timer per idle period, activities retried until our infrastructure answers, and an
 * explicit input for every next run. Runs started before it keep running v1.
 */
const ENGINE_V2_PATCH = 'engine-v2';
/** Reminders handed to the conversation (proactiveMessage signal), written and sent by it. */
const PROACTIVE_MESSAGES_PATCH = 'proactive-messages';
/** Turns of a contact with a lead are observed for it (after the reply); runs from before never were. */
const LEAD_OBSERVER_PATCH = 'lead-observer';

/** Each web chat message is an update; a run takes 2,000 at most (and updates dedupe per run). */
const MAX_UPDATES_PER_RUN = 1_000;
/**
 * Chat messages one conversation waits on at once. Temporal allows 10 updates in flight per
 * workflow; past this the API hands the message over as a signal and answers "queued".
 */
export const MAX_CHATS_IN_FLIGHT = 8;
/** However long a burst goes on, it is answered after this many quiet periods. */
const MAX_BURST_QUIET_PERIODS = 5;

/**
 * One customer's conversation on one channel. Handlers only record; the loop below does the work
 * one step at a time, so replies never interleave and nothing is lost or repeated.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<ConversationState> {
  if (!patched(ENGINE_V2_PATCH)) {
    // Required here, not imported: each workflow loads its own copy of every module it imports,
    // and v1 (with zod for its tool checks) is needed only by runs from before v2.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { conversationWorkflowV1 } = require('./legacy/conversation-v1') as typeof import('./legacy/conversation-v1');
    return conversationWorkflowV1(input);
  }
  return new ConversationRun(input).run();
}

const ASK_AGAIN: ReplyOutcome = { answered: false, reason: 'ask_again' };

class ConversationRun {
  private readonly session: ConversationSession;
  private readonly state: ConversationState;
  private readonly ref: Pick<ConversationState, 'tenantId' | 'channel' | 'contactId'>;
  private readonly wakeUp = new WakeUpTimer();
  private updatesThisRun = 0;
  private chatsInFlight = 0;
  /** Set while the run makes way for the next: waiters are told to ask again. */
  private ending = false;

  constructor(private readonly input: ConversationInput) {
    const { tenantId, channel, contactId } = input;
    this.ref = { tenantId, channel, contactId };
    this.state = input.carried ?? ConversationSession.open(this.ref, workflowInfo().runId, new Date().toISOString(), input.inbox);
    this.session = new ConversationSession(this.state, input.settings);
    this.registerHandlers();
  }

  private registerHandlers(): void {
    const { session } = this;
    setHandler(inboundMessageSignal, (message) => {
      session.receive(message);
    });
    setHandler(
      chatUpdate,
      async (message) => {
        this.updatesThisRun++;
        this.chatsInFlight++;
        try {
          session.receive(message); // false for a retried request: it waits for the same outcome
          return await this.outcome(message.id);
        } finally {
          this.chatsInFlight--;
        }
      },
      { validator: (message) => this.admitChat(message) },
    );
    setHandler(
      awaitReplyUpdate,
      async ({ messageId }) => {
        this.updatesThisRun++;
        return this.outcome(messageId);
      },
      {
        validator: ({ messageId }) => {
          if (!session.knows(messageId)) throw new Error(`No message ${messageId} in this conversation`);
        },
      },
    );
    setHandler(handoffSignal, ({ reason }) => session.requestHandoff(reason));
    setHandler(staffMessageSignal, (message) => {
      session.receiveStaffMessage(message);
    });
    setHandler(resumeSignal, () => session.requestResume());
    setHandler(proactiveMessageSignal, (message) => {
      // A run from before reminders went through conversations ignored this signal; replayed,
      // it must ignore it still (taking it would wake the loop and send what was never sent).
      if (patched(PROACTIVE_MESSAGES_PATCH)) session.receiveProactive(message);
    });
    setHandler(stateQuery, () => this.state);
  }

  /** Rejects (before anything is recorded) a chat message this run cannot take now. */
  private admitChat(message: InboundMessage): void {
    if (typeof message?.id !== 'string' || message.id === '' || typeof message.text !== 'string') {
      throw ApplicationFailure.nonRetryable('A chat message needs an id and a text', 'InvalidMessage');
    }
    if (this.chatsInFlight >= MAX_CHATS_IN_FLIGHT && !this.session.knows(message.id)) {
      throw ApplicationFailure.nonRetryable(`${MAX_CHATS_IN_FLIGHT} messages are already waiting for their reply`, 'ConversationBusy');
    }
  }

  private async outcome(messageId: string): Promise<ReplyOutcome> {
    await condition(() => this.ending || this.session.outcomeOf(messageId) !== undefined);
    return this.session.outcomeOf(messageId) ?? ASK_AGAIN;
  }

  async run(): Promise<ConversationState> {
    const { session, state, input } = this;
    // A session opened by the previous one's close inherits its search attributes: reopen it.
    // Only then: a run that continues a session keeps its status (a handoff stays a handoff).
    if (!input.carried && input.inbox) this.setStatus('active');
    showDetails(state);
    await this.openSession();

    for (;;) {
      await this.wakeUp.sleepUntil(
        () => session.wakeUpAt(),
        () => session.hasWork(),
        () => (state.handoff ? TIMER_SUMMARIES.handBack : TIMER_SUMMARIES.idleClose),
      );
      if (!session.hasWork()) {
        if (state.handoff) {
          this.endHandoff(); // staff went quiet: the assistant takes the conversation back
          continue;
        }
        // Idle: let running handlers finish; anything that arrives meanwhile keeps us open.
        if (await this.handlersDoneWithoutNewWork()) break;
        continue;
      }
      await this.work();
      session.markActive(new Date().toISOString());
      showDetails(state);
      if (this.runIsFull()) await this.continueSession();
    }
    return this.close();
  }

  private async openSession(): Promise<void> {
    const { state, session } = this;
    if (state.sessionRecorded) return;
    const memory = await storage.openSession({
      ...this.ref,
      sessionId: state.sessionId,
      workflowId: workflowInfo().workflowId,
      startedAt: state.startedAt,
      // A session carried over from engine v1 has its summary in the state, not yet stored.
      summary: state.memoryLoaded ? state.summary : undefined,
    });
    if (!state.memoryLoaded) session.rememberEarlierSession(memory);
    state.sessionRecorded = true;
  }

  private async work(): Promise<void> {
    const { session, state } = this;
    const handoffRequest = session.takeHandoffRequest();
    if (handoffRequest !== undefined) await this.startHandoff(handoffRequest);
    for (let message = session.takeStaffMessage(); message; message = session.takeStaffMessage()) {
      await this.startHandoff(state.handoff?.reason ?? 'staff replied'); // a staff reply is a takeover
      const summary = message.author ? `staff message from ${oneLine(message.author, 40)}` : 'staff message';
      await this.send(message.text, session.recordStaffMessage(message, new Date().toISOString()), { summary });
    }
    for (let message = session.takeProactive(); message; message = session.takeProactive()) {
      const now = new Date().toISOString();
      const seq = session.recordProactive(message, now);
      const proactive = { templateParameters: message.templateParameters };
      await this.send(message.text, seq, { idempotencyKey: message.id, choices: message.choices, proactive, sentAt: now, summary: 'reminder' });
    }
    if (session.takeResumeRequest() && state.handoff) this.endHandoff();
    if (state.inbox.pending.length > 0) await this.answer();
    await this.foldMemory(); // also while staff talk, so the carried state stays bounded
  }

  private async answer(): Promise<void> {
    const { session, state } = this;
    await this.waitForQuiet();
    // In place, while they are still pending: a message is never out of both inbox and transcript.
    // The length is read each time: a message that arrives meanwhile is transcribed too.
    for (let i = 0; i < state.inbox.pending.length; i++) {
      const message = state.inbox.pending[i]!;
      if (message.media) message.media = await transcribeVoiceNotes(message.media, this.ref);
    }
    const burst = session.takeBurst();
    if (state.status === 'handoff') return session.silence(burst, 'handoff');
    if (session.isOnlyCourtesy(burst)) return session.silence(burst, 'courtesy');
    await this.foldMemory();
    const newEntries = session.unpersisted();
    const turn = await runAssistantTurn(
      { customer: this.ref, sessionId: state.sessionId, newEntries, windowStart: session.windowStart(), context: state.context },
      customerLanguage(state.transcript),
    );
    if (turn.entriesWritten) session.markPersisted(newEntries);
    if (!turn.reply) {
      // The turn failed in a way no retry fixes (not the providers: the assistant apologises for
      // those; not an outage: that is waited out). A person takes it from here, told what the
      // tools had done already (a booking made, say).
      session.silence(burst, 'handoff');
      return this.startHandoff(failedTurnReason(turn.tools));
    }
    if (session.staffWaiting()) return session.silence(burst, 'handoff'); // staff stepped in while the model thought
    const seq = session.recordReply(turn.reply, burst, new Date().toISOString(), turn.bookings, turn.lead);
    await this.send(turn.reply.text, seq, { summary: 'reply to the customer', ...(turn.reply.choices ? { choices: turn.reply.choices } : {}) });
    // Once the reply is out: what the turn meant goes on the contact's lead, and to the CRM.
    if (state.lead && patched(LEAD_OBSERVER_PATCH)) {
      await storage.observeTurn.executeWithOptions({ summary: "the turn's outcome onto the lead" }, [
        { ref: this.ref, customerText: burst.map((message) => message.text).join('\n'), tools: turn.tools },
      ]);
    }
    if (turn.reply.escalation) await this.startHandoff(turn.reply.escalation.reason);
  }

  /** Waits until the customer has stopped typing: no new message for one quiet period. */
  private async waitForQuiet(): Promise<void> {
    const { quietPeriodMs } = this.input.settings;
    for (let period = 0; quietPeriodMs > 0 && period < MAX_BURST_QUIET_PERIODS; period++) {
      const before = this.state.inbox.pending.length;
      if (!(await condition(() => this.state.inbox.pending.length > before, quietPeriodMs, { summary: TIMER_SUMMARIES.burstQuiet }))) return;
    }
  }

  /** Moves the oldest messages out of the window: written, then folded into the summary. */
  private async foldMemory(): Promise<void> {
    const { session } = this;
    const folded = session.foldable();
    if (folded.length === 0) return;
    const newEntries = session.unpersisted();
    try {
      const { summary, usage } = await model.foldMemory.executeWithOptions({ summary: `fold ${folded.length} old messages into the summary` }, [
        { sessionId: this.state.sessionId, tenantId: this.ref.tenantId, newEntries, folded },
      ]);
      session.markPersisted(newEntries);
      session.addUsage(usage);
      session.fold(folded, summary);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // Only an error no retry fixes gets here: the window must stay bounded all the same.
      log.error('messages could not be folded into the summary; they leave the window', { count: folded.length, error: error.cause?.name });
      session.fold(folded, undefined);
    }
  }

  /**
   * Sends through the customer's channel; web chat answers travel back on the update instead.
   * `summary` says in the Temporal UI what is sent ("reply to the customer").
   */
  private async send(
    text: string,
    seq: number,
    { summary, ...options }: Partial<Omit<SendToContactInput, 'ref' | 'text'>> & { summary: string },
  ): Promise<void> {
    if (this.ref.channel === 'web') return;
    try {
      await delivery.sendToContact.executeWithOptions({ summary: `${summary} on ${this.ref.channel}` }, [
        { ref: this.ref, text, idempotencyKey: `${this.state.sessionId}:${seq}`, ...options },
      ]);
    } catch (error) {
      // A channel that refuses for good (contact blocked the bot…) must not end the conversation.
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('message could not be delivered', { seq, error: error.cause?.name });
    }
  }

  private async startHandoff(reason: string): Promise<void> {
    const { session } = this;
    const now = new Date().toISOString();
    const notify = session.needsStaffNotice();
    // Notified first: whoever sees status handoff can count on staff knowing.
    if (notify) {
      await storage.notifyStaff.executeWithOptions({ summary: `tell staff: ${oneLine(reason)}` }, [
        { ref: this.ref, workflowId: workflowInfo().workflowId, reason, idempotencyKey: `${this.state.sessionId}:handoff:${now}` },
      ]);
    }
    session.startHandoff(reason, now);
    if (notify) this.setStatus('handoff');
  }

  private endHandoff(): void {
    this.session.endHandoff();
    this.setStatus('active');
  }

  private setStatus(status: ConversationStatus): void {
    this.state.status = status;
    upsertSearchAttributes([{ key: ConversationStatusKey, value: status }]);
    showDetails(this.state);
  }

  /**
   * Before the run closes, running handlers must finish. New work stops the wait: a new
   * message's chat handler finishes only once the loop has answered it.
   */
  private async handlersDoneWithoutNewWork(): Promise<boolean> {
    await condition(() => allHandlersFinished() || this.session.hasWork());
    return !this.session.hasWork();
  }

  private runIsFull(): boolean {
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested ||
      info.historyLength + HISTORY_HEADROOM >= this.input.settings.historyEventCap ||
      this.updatesThisRun >= MAX_UPDATES_PER_RUN
    );
  }

  /**
   * The session goes on in a new run, with exactly the state it has now. Don't wait for a lull
   * that a busy chat never has: whoever waits on a reply is told to ask again (the next run
   * answers), and pending messages travel with the state.
   */
  private async continueSession(): Promise<never> {
    this.ending = true;
    await condition(allHandlersFinished);
    return continueAsNew<typeof conversationWorkflow>({ ...this.ref, settings: this.input.settings, carried: this.state });
  }

  private async close(): Promise<ConversationState> {
    const { state, session } = this;
    this.setStatus('closed');
    showDetails(state);
    // Ids of messages still waiting belong to the next session, which answers them.
    const waiting = new Set(state.inbox.pending.map((message) => message.id));
    try {
      const closed = await model.closeSession.executeWithOptions({ summary: 'idle close: archive the transcript' }, [
        {
          ...this.ref,
          sessionId: state.sessionId,
          workflowId: workflowInfo().workflowId,
          startedAt: state.startedAt,
          closedAt: new Date().toISOString(),
          summary: state.summary,
          displayName: state.displayName,
          recentMessageIds: state.recentMessageIds.filter((id) => !waiting.has(id)).slice(-100),
          usage: state.usage,
          newEntries: session.unpersisted(),
          folded: state.transcript,
        },
      ]);
      state.summary = closed.summary;
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      log.error('the session could not be recorded as closed', { error: error.cause?.name });
    }
    if (session.hasWork()) {
      // Something arrived while the session was closing: it opens the next session.
      this.ending = true;
      await condition(allHandlersFinished);
      await continueAsNew<typeof conversationWorkflow>({ ...this.ref, settings: this.input.settings, inbox: state.inbox });
    }
    return state;
  }
}
