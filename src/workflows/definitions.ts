import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AssistantReply,
  ConversationRef,
  ConversationStatus,
  InboundMessage,
  RequestContext,
  TokenUsage,
  TranscriptEntry,
} from '../domain/conversation';
import type { BookingSummary } from '../domain/booking';
import type { ConversationSettings } from '../domain/conversation-settings';

/** The conversation workflow's interface: what the API and ops send it and read from it. */

export interface ConversationInput extends ConversationRef {
  settings: ConversationSettings;
  /** Set by continue-as-new within a session: the conversation so far. */
  carried?: ConversationState;
  /** Set by continue-as-new after a close: what arrived while the session was closing. */
  inbox?: Inbox;
}

/** Work received by the handlers and not yet done by the loop; travels across runs. */
export interface Inbox {
  /** Customer messages, in arrival order. */
  pending: InboundMessage[];
  staffMessages: StaffMessage[];
  handoffRequest?: string;
  resumeRequested: boolean;
}

export interface ConversationState extends ConversationRef {
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
  displayName?: string;
  /** The latest metadata a caller attached (CRM, web page); goes into the prompt. */
  context?: RequestContext;
  usage: TokenUsage;
  turns: number;
  /** Once true, bare courtesies ("gracias", "👍") get no reply. */
  appointmentConfirmed: boolean;
  /** Bookings the assistant made or changed in this session, as they now stand. */
  bookings?: BookingSummary[];
  handoff?: { reason: string; since: string; lastStaffActivity: string };
}

export interface StaffMessage {
  /** Chosen by the sender (the admin API): a retried request is delivered once. */
  id: string;
  text: string;
  author?: string;
}

/**
 * What became of one customer message. `ask_again`: this run is making way for the next
 * (continue-as-new) before the message was handled; the next run answers.
 */
export type ReplyOutcome =
  | { answered: true; reply: AssistantReply }
  | { answered: false; reason: 'handoff' | 'courtesy' | 'forgotten' | 'ask_again' };

export const inboundMessageSignal = defineSignal<[InboundMessage]>('inboundMessage');
/** Staff take the conversation over: the assistant stays silent until `resume`. */
export const handoffSignal = defineSignal<[{ reason: string }]>('handoff');
export const staffMessageSignal = defineSignal<[StaffMessage]>('staffMessage');
export const resumeSignal = defineSignal<[]>('resume');
/** Resolves once the given customer message has been handled (web chat waits on it). */
export const awaitReplyUpdate = defineUpdate<ReplyOutcome, [{ messageId: string }]>('awaitReply');
export const stateQuery = defineQuery<ConversationState>('state');
