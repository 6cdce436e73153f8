import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { AssistantReply, ConversationStatus, ToolUse, TranscriptEntry } from '../../domain/conversation';
import { isBareCourtesy } from '../../domain/courtesy';
import { entriesToFold, rememberId } from '../../domain/memory';
import { ConversationStatusKey } from '../../temporal/search-attributes';
import { transcribeVoiceNotes } from '../assistant-turn';
import { runAssistantTurn } from './assistant-turn-v1';
import {
  awaitReplyUpdate,
  handoffSignal,
  inboundMessageSignal,
  resumeSignal,
  staffMessageSignal,
  stateQuery,
  type ConversationInput,
  type ConversationState,
  type Inbox,
} from '../definitions';
import { addUsage, failedTurnReason, mergeBookings, outcomeOf, showDetails, silence } from './conversation-state-v1';

/** Runs from before tool calling still take their turns in one activity (see ASSISTANT_TOOLS_PATCH). */
const { generateReply } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
});
const { loadContactMemory, archiveMessages, saveSession, summarizeConversation, notifyStaff } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // PostgreSQL down: keep trying (for about an hour) rather than lose the transcript.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 70 },
});
const { sendToContact } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** A transcript entry before it is numbered. */
type NewEntry = TranscriptEntry extends infer E ? (E extends TranscriptEntry ? Omit<E, 'seq'> : never) : never;

/** Provider ids remembered for de-duplication: redeliveries come within minutes, not 500 messages. */
const REMEMBERED_MESSAGE_IDS = 500;
/** Each web chat message is an update; a run takes 2,000 at most (NOTES.md). */
const MAX_UPDATES_PER_RUN = 1_000;
/**
 * Continue-as-new this many events before the cap: one more turn (and a fold) must fit. A turn
 * with tools takes at most 5 model steps and 5 tool calls per step (assistant-turn.ts), about
 * 200 events; runs from before tool calling keep the headroom they decided with.
 */
const HISTORY_HEADROOM = { withTools: 250, legacy: 100 };
/** However long a burst goes on, it is answered after this many quiet periods. */
const MAX_BURST_QUIET_PERIODS = 5;
/**
 * Turns with tool calls (a step activity per model round, a tool activity per call) and voice
 * notes transcribed first, instead of one generateReply activity per turn.
 */
const ASSISTANT_TOOLS_PATCH = 'assistant-tools';

/**
 * FROZEN: the conversation as it ran before engine v2 (patch `engine-v2`), kept byte for byte so
 * that runs started before it replay. Continue-as-new and the next session start on v2. Delete
 * this folder once no v1 run remains (then `deprecatePatch('engine-v2')`).
 *
 * One customer's conversation on one channel. Signal handlers only record; the loop below does
 * the work one step at a time, so replies never interleave and nothing is lost or repeated.
 */
export async function conversationWorkflowV1(input: ConversationInput): Promise<ConversationState> {
  const { settings } = input;
  const inbox: Inbox = input.inbox ?? { pending: [], staffMessages: [], resumeRequested: false };
  const state: ConversationState = input.carried ?? {
    tenantId: input.tenantId,
    channel: input.channel,
    contactId: input.contactId,
    status: 'active',
    // A new session: the first run, or the run that follows a close.
    sessionId: workflowInfo().runId,
    startedAt: new Date().toISOString(),
    summary: '',
    transcript: [],
    nextSeq: 0,
    inbox,
    recentMessageIds: inbox.pending.map((message) => message.id),
    recentStaffMessageIds: inbox.staffMessages.map((message) => message.id),
    memoryLoaded: false,
    usage: { promptTokens: 0, completionTokens: 0 },
    turns: 0,
    appointmentConfirmed: false,
  };
  const ref = { tenantId: state.tenantId, channel: state.channel, contactId: state.contactId };
  let updatesThisRun = 0;
  let runEnding = false;

  setHandler(inboundMessageSignal, (message) => {
    if (state.recentMessageIds.includes(message.id)) return; // a provider's redelivery
    state.recentMessageIds = rememberId(state.recentMessageIds, message.id, REMEMBERED_MESSAGE_IDS);
    state.inbox.pending.push(message);
    if (message.context) state.context = message.context;
    if (message.sender?.name) state.displayName = message.sender.name;
  });
  setHandler(handoffSignal, ({ reason }) => {
    state.inbox.handoffRequest = reason;
  });
  setHandler(staffMessageSignal, (message) => {
    if (state.recentStaffMessageIds.includes(message.id)) return; // a retried request
    state.recentStaffMessageIds = rememberId(state.recentStaffMessageIds, message.id, REMEMBERED_MESSAGE_IDS);
    state.inbox.staffMessages.push(message);
  });
  setHandler(resumeSignal, () => {
    state.inbox.resumeRequested = true;
  });
  setHandler(
    awaitReplyUpdate,
    async ({ messageId }) => {
      updatesThisRun++;
      await condition(() => runEnding || outcomeOf(state, messageId) !== undefined);
      return outcomeOf(state, messageId) ?? { answered: false, reason: 'ask_again' };
    },
    {
      validator: ({ messageId }) => {
        if (!state.recentMessageIds.includes(messageId)) throw new Error(`No message ${messageId} in this conversation`);
      },
    },
  );
  setHandler(stateQuery, () => state);

  /** Adds an entry to the transcript; returns its sequence number. */
  const append = (entry: NewEntry): number => {
    state.transcript.push({ ...entry, seq: state.nextSeq } as TranscriptEntry);
    return state.nextSeq++;
  };
  const setStatus = (status: ConversationStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: ConversationStatusKey, value: status }]);
  };
  const send = async (text: string, seq: number) => {
    try {
      await sendToContact({ ref, text, idempotencyKey: `${state.sessionId}:${seq}` });
    } catch (error) {
      // A channel that refuses for good (contact blocked the bot…) must not end the conversation.
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('message could not be delivered', { seq, error: error.cause?.message });
    }
  };
  const hasWork = () => {
    const { pending, staffMessages, handoffRequest, resumeRequested } = state.inbox;
    return pending.length > 0 || staffMessages.length > 0 || handoffRequest !== undefined || resumeRequested;
  };
  /** Staff asked for the conversation, or spoke in it: the assistant must not talk now. */
  const staffWaiting = () => state.inbox.handoffRequest !== undefined || state.inbox.staffMessages.length > 0;
  /**
   * Before the run closes, running handlers must finish. New work stops the wait: a new
   * message's awaitReply handler finishes only once the loop has answered it.
   */
  const handlersDoneWithoutNewWork = async () => {
    await condition(() => allHandlersFinished() || hasWork());
    return !hasWork();
  };

  const startHandoff = async (reason: string) => {
    const now = new Date().toISOString();
    if (state.status !== 'handoff') {
      // Notified first: whoever sees status handoff can count on staff knowing.
      await notifyStaff({ ref, workflowId: workflowInfo().workflowId, reason, idempotencyKey: `${state.sessionId}:handoff:${now}` });
      setStatus('handoff');
    }
    state.handoff = { reason, since: state.handoff?.since ?? now, lastStaffActivity: now };
  };
  const endHandoff = () => {
    state.handoff = undefined;
    setStatus('active');
  };

  /** Waits until the customer has stopped typing: no new message for one quiet period. */
  const waitForQuiet = async () => {
    for (let period = 0; settings.quietPeriodMs > 0 && period < MAX_BURST_QUIET_PERIODS; period++) {
      const before = state.inbox.pending.length;
      if (!(await condition(() => state.inbox.pending.length > before, settings.quietPeriodMs))) return;
    }
  };

  /** Folds entries into the running summary; keeps the old summary if that fails. */
  const summarize = async (entries: TranscriptEntry[]) => {
    try {
      const { summary, usage } = await summarizeConversation({ previousSummary: state.summary, entries });
      state.summary = summary;
      addUsage(state, usage);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('summary not updated', { error: error.cause?.message });
    }
  };

  /** Moves the oldest messages out of the transcript: archived, then folded into the summary. */
  const foldMemory = async () => {
    const count = entriesToFold(state.transcript, settings);
    if (count === 0) return;
    const folded = state.transcript.slice(0, count);
    await archiveMessages({ sessionId: state.sessionId, tenantId: state.tenantId, entries: folded });
    await summarize(folded);
    state.transcript = state.transcript.slice(count);
  };

  const answer = async () => {
    await waitForQuiet();
    const withTools = patched(ASSISTANT_TOOLS_PATCH);
    // In place, while they are still pending: a message is never out of both inbox and transcript.
    // The length is read each time: a message that arrives meanwhile is transcribed too.
    for (let i = 0; withTools && i < state.inbox.pending.length; i++) {
      const message = state.inbox.pending[i]!;
      if (message.media) message.media = await transcribeVoiceNotes(message.media, ref);
    }
    const batch = state.inbox.pending.splice(0);
    for (const message of batch) {
      append({ role: 'customer', messageId: message.id, text: message.text, at: message.receivedAt, media: message.media });
    }
    if (state.status === 'handoff') return silence(state, batch, 'handoff');
    if (state.appointmentConfirmed && batch.every((message) => isBareCourtesy(message.text))) {
      return silence(state, batch, 'courtesy');
    }
    await foldMemory();
    const conversation = { tenantId: state.tenantId, transcript: state.transcript, summary: state.summary, context: state.context };
    let reply: AssistantReply | undefined;
    let toolsUsed: ToolUse[] = [];
    try {
      if (withTools) {
        const turn = await runAssistantTurn(ref, conversation);
        reply = turn.reply;
        toolsUsed = turn.tools;
        state.bookings = mergeBookings(state.bookings ?? [], turn.bookings);
      } else {
        reply = await generateReply(conversation);
      }
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
    }
    if (!reply) {
      // The turn itself kept failing (not the providers: the assistant apologises for those).
      // A person takes it from here; the messages stay in the transcript, and staff are told
      // what the tools had done already (a booking made, say).
      silence(state, batch, 'handoff');
      return startHandoff(failedTurnReason(toolsUsed));
    }
    if (staffWaiting()) return silence(state, batch, 'handoff'); // staff stepped in while the model thought
    const seq = append({ role: 'assistant', ...reply, at: new Date().toISOString(), inReplyTo: batch.map((m) => m.id) });
    addUsage(state, reply.usage);
    state.turns++;
    if (reply.appointmentConfirmed) state.appointmentConfirmed = true;
    await send(reply.text, seq);
    if (reply.escalation) await startHandoff(reply.escalation.reason);
  };

  // A session opened by the previous one's close inherits its search attributes: reopen it.
  if (input.inbox) setStatus('active');
  showDetails(state);
  if (!state.memoryLoaded) {
    const memory = await loadContactMemory(ref);
    state.summary = memory.summary;
    state.displayName ??= memory.displayName;
    // A late redelivery of a message the previous session already handled.
    state.inbox.pending = state.inbox.pending.filter((message) => !memory.recentMessageIds.includes(message.id));
    // The earlier session's ids first: the bound forgets the oldest.
    state.recentMessageIds = [...memory.recentMessageIds, ...state.recentMessageIds].slice(-REMEMBERED_MESSAGE_IDS);
    state.memoryLoaded = true;
  }

  for (;;) {
    const waitMs = state.handoff
      ? Math.max(1, Date.parse(state.handoff.lastStaffActivity) + settings.handoffTimeoutMs - Date.now())
      : settings.idleTimeoutMs;
    // Don't trust the timeout's verdict: work and the timer can land in one activation.
    await condition(hasWork, waitMs);
    if (!hasWork()) {
      if (state.handoff) {
        endHandoff(); // staff went quiet: the assistant takes the conversation back
        continue;
      }
      // Idle: let running handlers finish; anything that arrives meanwhile keeps us open.
      if (await handlersDoneWithoutNewWork()) break;
      continue;
    }

    if (state.inbox.handoffRequest !== undefined) {
      await startHandoff(state.inbox.handoffRequest);
      state.inbox.handoffRequest = undefined;
    }
    while (state.inbox.staffMessages.length > 0) {
      const message = state.inbox.staffMessages.shift()!;
      await startHandoff(state.handoff?.reason ?? 'staff replied'); // a staff reply is a takeover
      const seq = append({ role: 'staff', text: message.text, author: message.author, at: new Date().toISOString() });
      await send(message.text, seq);
    }
    if (state.inbox.resumeRequested) {
      state.inbox.resumeRequested = false;
      if (state.handoff) endHandoff();
    }
    if (state.inbox.pending.length > 0) await answer();
    await foldMemory(); // also while staff talk, so the carried state stays bounded
    showDetails(state);

    const info = workflowInfo();
    const headroom = patched(ASSISTANT_TOOLS_PATCH) ? HISTORY_HEADROOM.withTools : HISTORY_HEADROOM.legacy;
    const historyFull = info.historyLength + headroom >= settings.historyEventCap;
    if (info.continueAsNewSuggested || historyFull || updatesThisRun >= MAX_UPDATES_PER_RUN) {
      // Don't wait for a lull that a busy chat never has: whoever waits on a reply is told to
      // ask again (the next run answers), and pending messages travel with the state.
      runEnding = true;
      await condition(allHandlersFinished);
      await continueAsNew<typeof conversationWorkflowV1>({ ...input, carried: state });
    }
  }

  setStatus('closed');
  showDetails(state);
  await archiveMessages({ sessionId: state.sessionId, tenantId: state.tenantId, entries: state.transcript });
  if (state.transcript.length > 0) await summarize(state.transcript);
  // Ids of messages still waiting belong to the next session, which answers them.
  const waiting = new Set(state.inbox.pending.map((message) => message.id));
  await saveSession({
    ...ref,
    sessionId: state.sessionId,
    workflowId: workflowInfo().workflowId,
    startedAt: state.startedAt,
    closedAt: new Date().toISOString(),
    summary: state.summary,
    displayName: state.displayName,
    recentMessageIds: state.recentMessageIds.filter((id) => !waiting.has(id)).slice(-100),
    usage: state.usage,
  });
  if (hasWork()) {
    // Something arrived while the session was closing: it opens the next session.
    runEnding = true;
    await condition(allHandlersFinished);
    await continueAsNew<typeof conversationWorkflowV1>({ ...ref, settings, inbox: state.inbox });
  }
  return state;
}
