import type { BookingSummary } from './booking';
import type { AssistantReply, Channel, Choice, ConversationStatus, InboundMessage, TokenUsage, ToolUse, TranscriptEntry } from './conversation';
import type { ConversationSettings } from './conversation-settings';
import { entriesToFold, rememberId } from './memory';
import { sumUsage } from './usage';
import type { LeadSummary } from './leads';

/**
 * One conversation's state and every transition of it, as pure code: the workflow's handlers and
 * loop call these and do the I/O (activities, timers, search attributes) around them. Nothing here
 * reads a clock or the environment, so it is unit-tested without Temporal and replays the same.
 */

/** Provider ids remembered for de-duplication: redeliveries come within minutes, not 500 messages. */
export const REMEMBERED_MESSAGE_IDS = 500;

export interface StaffMessage {
  /** Chosen by the sender (the admin API): a retried request is delivered once. */
  id: string;
  text: string;
  author?: string;
}

/**
 * A message the business starts (an appointment reminder): written into the transcript, so the
 * customer's answer to it ("cancelar", a button) is understood, and sent through the channel.
 */
export interface ProactiveMessage {
  /** The sender's key (a reminder's): the outbox sends it once, the conversation records it once. */
  id: string;
  text: string;
  /** Its approved template's parameters, for channels that cannot send free text now. */
  templateParameters: string[];
  /** What the customer can answer with a tap. */
  choices?: Choice[];
}

/** Work received by the handlers and not yet done by the loop; travels across runs. */
export interface Inbox {
  /** Customer messages, in arrival order. */
  pending: InboundMessage[];
  staffMessages: StaffMessage[];
  /** Absent in state carried from before reminders went through the conversation. */
  proactive?: ProactiveMessage[];
  handoffRequest?: string;
  resumeRequested: boolean;
}

export interface ConversationState {
  tenantId: string;
  channel: Channel;
  contactId: string;
  status: ConversationStatus;
  /** The first run's id: one session from first message to idle close, across continue-as-new. */
  sessionId: string;
  startedAt: string;
  /** Earlier sessions and messages folded out of `transcript`, summarised. */
  summary: string;
  /** The recent messages, verbatim (older ones are archived in PostgreSQL). */
  transcript: TranscriptEntry[];
  nextSeq: number;
  inbox: Inbox;
  /** Provider message ids already received (bounded): the exactly-once memory. */
  recentMessageIds: string[];
  /** The same for staff messages, whose ids the admin API chooses. */
  recentStaffMessageIds: string[];
  /** Whether the contact's memory (earlier summary, ids) has been read from PostgreSQL. */
  memoryLoaded: boolean;
  /**
   * Entries below this sequence number are written to PostgreSQL, where the model's steps read
   * them. Absent in state carried from before write-through: then nothing is assumed written.
   */
  persistedSeq?: number;
  /** Whether the session's row (and its running summary) exists in PostgreSQL. */
  sessionRecorded?: boolean;
  /** When the loop last did work: the idle close counts from here. */
  lastActivityAt?: string;
  displayName?: string;
  /** The latest metadata a caller attached (CRM, web page); goes into the prompt. */
  context?: InboundMessage['context'];
  usage: TokenUsage;
  turns: number;
  /** Once true, bare courtesies ("gracias", "👍") get no reply. */
  appointmentConfirmed: boolean;
  /** Bookings the assistant made or changed in this session, as they now stand. */
  bookings?: BookingSummary[];
  /** The contact's lead, as this session's tools last left it. */
  lead?: LeadSummary;
  handoff?: { reason: string; since: string; lastStaffActivity: string };
}

/**
 * What became of one customer message. `ask_again`: this run is making way for the next
 * (continue-as-new) before the message was handled; the next run answers.
 */
export type ReplyOutcome =
  | { answered: true; reply: AssistantReply }
  | { answered: false; reason: 'handoff' | 'courtesy' | 'forgotten' | 'ask_again' };

export type SilenceReason = 'handoff' | 'courtesy';

/** How a reminder shows where replies show their model: written by Concierge, no tokens spent. */
const PROACTIVE_AUTHOR = { provider: 'concierge', model: 'reminder', usage: { promptTokens: 0, completionTokens: 0 } } as const;

export class ConversationSession {
  constructor(
    readonly state: ConversationState,
    private readonly settings: ConversationSettings,
  ) {}

  /** A new session: the first run, or the run after an idle close (with what arrived meanwhile). */
  static open(ref: Pick<ConversationState, 'tenantId' | 'channel' | 'contactId'>, sessionId: string, now: string, inbox?: Inbox): ConversationState {
    const received = inbox ?? { pending: [], staffMessages: [], resumeRequested: false };
    return {
      ...ref,
      status: 'active',
      sessionId,
      startedAt: now,
      summary: '',
      transcript: [],
      nextSeq: 0,
      inbox: received,
      recentMessageIds: [...received.pending, ...(received.proactive ?? [])].map((message) => message.id),
      recentStaffMessageIds: received.staffMessages.map((message) => message.id),
      memoryLoaded: false,
      persistedSeq: 0,
      lastActivityAt: now,
      usage: { promptTokens: 0, completionTokens: 0 },
      turns: 0,
      appointmentConfirmed: false,
    };
  }

  // --- What the handlers record -------------------------------------------------------------

  /** Queues a customer message; false for a provider's redelivery of one already received. */
  receive(message: InboundMessage): boolean {
    if (this.state.recentMessageIds.includes(message.id)) return false;
    this.state.recentMessageIds = rememberId(this.state.recentMessageIds, message.id, REMEMBERED_MESSAGE_IDS);
    this.state.inbox.pending.push(message);
    if (message.context) this.state.context = message.context;
    if (message.sender?.name) this.state.displayName = message.sender.name;
    return true;
  }

  knows(messageId: string): boolean {
    return this.state.recentMessageIds.includes(messageId);
  }

  requestHandoff(reason: string): void {
    this.state.inbox.handoffRequest = reason;
  }

  /** Queues a staff message; false for a retried request. */
  receiveStaffMessage(message: StaffMessage): boolean {
    if (this.state.recentStaffMessageIds.includes(message.id)) return false;
    this.state.recentStaffMessageIds = rememberId(this.state.recentStaffMessageIds, message.id, REMEMBERED_MESSAGE_IDS);
    this.state.inbox.staffMessages.push(message);
    return true;
  }

  requestResume(): void {
    this.state.inbox.resumeRequested = true;
  }

  /** Queues a reminder to write and send; false for one already received (a retried signal). */
  receiveProactive(message: ProactiveMessage): boolean {
    if (this.knows(message.id)) return false;
    this.state.recentMessageIds = rememberId(this.state.recentMessageIds, message.id, REMEMBERED_MESSAGE_IDS);
    (this.state.inbox.proactive ??= []).push(message);
    return true;
  }

  // --- What the loop reads ------------------------------------------------------------------

  hasWork(): boolean {
    const { pending, staffMessages, proactive, handoffRequest, resumeRequested } = this.state.inbox;
    return pending.length > 0 || staffMessages.length > 0 || (proactive?.length ?? 0) > 0 || handoffRequest !== undefined || resumeRequested;
  }

  /** Staff asked for the conversation, or spoke in it: the assistant must not talk now. */
  staffWaiting(): boolean {
    return this.state.inbox.handoffRequest !== undefined || this.state.inbox.staffMessages.length > 0;
  }

  /**
   * When the loop must wake with nothing to do: the handoff times out (staff went quiet), or the
   * session has been idle long enough to close. Epoch milliseconds.
   */
  wakeUpAt(): number {
    if (this.state.handoff) return Date.parse(this.state.handoff.lastStaffActivity) + this.settings.handoffTimeoutMs;
    return Date.parse(this.state.lastActivityAt ?? this.state.startedAt) + this.settings.idleTimeoutMs;
  }

  /** The outcome of a customer message, or undefined while it is still being handled. */
  outcomeOf(messageId: string): ReplyOutcome | undefined {
    return outcomeOf(this.state, messageId);
  }

  // --- What the loop does -------------------------------------------------------------------

  /** Drops pending messages that an earlier session already handled (late redeliveries). */
  rememberEarlierSession(memory: { summary: string; displayName?: string; recentMessageIds: string[]; lead?: LeadSummary }): void {
    const { state } = this;
    state.summary = memory.summary;
    state.displayName ??= memory.displayName;
    state.lead ??= memory.lead;
    state.inbox.pending = state.inbox.pending.filter((message) => !memory.recentMessageIds.includes(message.id));
    // The earlier session's ids first: the bound forgets the oldest.
    state.recentMessageIds = [...memory.recentMessageIds, ...state.recentMessageIds].slice(-REMEMBERED_MESSAGE_IDS);
    state.memoryLoaded = true;
  }

  takeHandoffRequest(): string | undefined {
    const reason = this.state.inbox.handoffRequest;
    this.state.inbox.handoffRequest = undefined;
    return reason;
  }

  takeStaffMessage(): StaffMessage | undefined {
    return this.state.inbox.staffMessages.shift();
  }

  takeProactive(): ProactiveMessage | undefined {
    return this.state.inbox.proactive?.shift();
  }

  takeResumeRequest(): boolean {
    const requested = this.state.inbox.resumeRequested;
    this.state.inbox.resumeRequested = false;
    return requested;
  }

  /** Moves every pending message into the transcript; returns them, the burst to answer. */
  takeBurst(): InboundMessage[] {
    const burst = this.state.inbox.pending.splice(0);
    for (const message of burst) {
      this.append({ role: 'customer', messageId: message.id, text: message.text, at: message.receivedAt, media: message.media });
    }
    return burst;
  }

  /** Whether a burst needs no answer: only thanks and 👍 after a confirmed appointment. */
  isOnlyCourtesy(burst: readonly InboundMessage[]): boolean {
    return this.state.appointmentConfirmed && burst.every((message) => message.bareCourtesy === true);
  }

  silence(burst: readonly InboundMessage[], reason: SilenceReason): void {
    silence(this.state, burst, reason);
  }

  /** Records the assistant's reply to a burst; returns its sequence number (the send's key). */
  recordReply(reply: AssistantReply, burst: readonly InboundMessage[], at: string, bookings: readonly BookingSummary[], lead?: LeadSummary): number {
    const seq = this.append({ role: 'assistant', ...reply, at, inReplyTo: burst.map((message) => message.id) });
    this.addUsage(reply.usage);
    this.state.turns++;
    if (reply.appointmentConfirmed) this.state.appointmentConfirmed = true;
    if (bookings.length > 0) this.state.bookings = mergeBookings(this.state.bookings ?? [], bookings);
    if (lead) this.state.lead = lead;
    return seq;
  }

  /** Records a reminder as the business's own words in the conversation; returns its sequence number. */
  recordProactive(message: ProactiveMessage, at: string): number {
    return this.append({ role: 'assistant', text: message.text, ...PROACTIVE_AUTHOR, at, inReplyTo: [] });
  }

  recordStaffMessage(message: StaffMessage, at: string): number {
    return this.append({ role: 'staff', text: message.text, author: message.author, at });
  }

  /** Whether starting a handoff now needs staff to be told (they are told before the status changes). */
  needsStaffNotice(): boolean {
    return this.state.status !== 'handoff';
  }

  startHandoff(reason: string, now: string): void {
    this.state.status = 'handoff';
    this.state.handoff = { reason, since: this.state.handoff?.since ?? now, lastStaffActivity: now };
  }

  endHandoff(): void {
    this.state.handoff = undefined;
    this.state.status = 'active';
  }

  markActive(now: string): void {
    this.state.lastActivityAt = now;
  }

  addUsage(usage: TokenUsage): void {
    this.state.usage = sumUsage(this.state.usage, usage);
  }

  // --- Memory and its storage ---------------------------------------------------------------

  /** Where the model's window starts: the oldest entry not folded into the summary. */
  windowStart(): number {
    return this.state.transcript[0]?.seq ?? this.state.nextSeq;
  }

  /** Entries not yet written to PostgreSQL, oldest first. */
  unpersisted(): TranscriptEntry[] {
    const from = this.state.persistedSeq ?? this.windowStart();
    return this.state.transcript.filter((entry) => entry.seq >= from);
  }

  markPersisted(entries: readonly TranscriptEntry[]): void {
    const last = entries.at(-1);
    if (last) this.state.persistedSeq = Math.max(this.state.persistedSeq ?? 0, last.seq + 1);
  }

  /** The oldest entries to fold into the summary now (none until the window overflows). */
  foldable(): TranscriptEntry[] {
    return this.state.transcript.slice(0, entriesToFold(this.state.transcript, this.settings));
  }

  /** The entries were folded into `summary`: they leave the window. */
  fold(entries: readonly TranscriptEntry[], summary: string | undefined): void {
    if (summary !== undefined) this.state.summary = summary;
    this.state.transcript = this.state.transcript.slice(entries.length);
  }

  private append(entry: DistributiveOmit<TranscriptEntry, 'seq'>): number {
    this.state.transcript.push({ ...entry, seq: this.state.nextSeq } as TranscriptEntry);
    return this.state.nextSeq++;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The outcome of a customer message, or undefined while it is still being handled. */
export function outcomeOf(state: ConversationState, messageId: string): ReplyOutcome | undefined {
  if (state.inbox.pending.some((message) => message.id === messageId)) return undefined;
  const received = state.transcript.find((entry) => entry.role === 'customer' && entry.messageId === messageId);
  if (!received) return state.memoryLoaded ? { answered: false, reason: 'forgotten' } : undefined;
  if (received.role === 'customer' && received.silenced) return { answered: false, reason: received.silenced };
  const reply = state.transcript.find((entry) => entry.role === 'assistant' && entry.inReplyTo.includes(messageId));
  if (reply?.role !== 'assistant') return undefined;
  const { text, provider, model, usage, appointmentConfirmed } = reply;
  return { answered: true, reply: { text, provider, model, usage, appointmentConfirmed } };
}

/** Marks the burst's messages as deliberately left unanswered. */
export function silence(state: ConversationState, burst: readonly InboundMessage[], reason: SilenceReason): void {
  const ids = new Set(burst.map((message) => message.id));
  for (const entry of state.transcript) {
    if (entry.role === 'customer' && ids.has(entry.messageId)) entry.silenced = reason;
  }
}

/** Why staff take over after a turn that failed partway, with what its tools had done by then. */
export function failedTurnReason(tools: readonly ToolUse[]): string {
  const done = tools.filter((tool) => tool.outcome === 'ok').map((tool) => `${tool.name} ${tool.arguments}`);
  return 'the assistant could not answer' + (done.length > 0 ? `; before failing it ran: ${done.join('; ')}` : '');
}

/** The contact's bookings this session knows of, each as it last stood, soonest first. */
export function mergeBookings(known: readonly BookingSummary[], changed: readonly BookingSummary[]): BookingSummary[] {
  const byId = new Map(known.map((booking) => [booking.id, booking]));
  for (const booking of changed) byId.set(booking.id, booking);
  return [...byId.values()].sort((a, b) => a.start.localeCompare(b.start));
}
