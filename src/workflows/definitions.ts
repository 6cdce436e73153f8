import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ConversationRef, InboundMessage } from '../domain/conversation';
import type { ConversationState, Inbox, ProactiveMessage, ReplyOutcome, StaffMessage } from '../domain/conversation-session';
import type { ConversationSettings } from '../domain/conversation-settings';

export type { ConversationState, Inbox, ProactiveMessage, ReplyOutcome, StaffMessage } from '../domain/conversation-session';

/** The conversation workflow's interface: what the API and ops send it and read from it. */

export interface ConversationInput extends ConversationRef {
  settings: ConversationSettings;
  /** Set by continue-as-new within a session: the conversation so far, exactly as it stood. */
  carried?: ConversationState;
  /** Set by continue-as-new after a close: what arrived while the session was closing. */
  inbox?: Inbox;
}

/** A customer message from a channel (webhooks): recorded, answered through the channel. */
export const inboundMessageSignal = defineSignal<[InboundMessage]>('inboundMessage');
/**
 * A web chat message, delivered with update-with-start: the update records the message and
 * resolves with its outcome, so one call both hands the message over and waits for the reply.
 */
export const chatUpdate = defineUpdate<ReplyOutcome, [InboundMessage]>('chat');
/** Staff take the conversation over: the assistant stays silent until `resume`. */
export const handoffSignal = defineSignal<[{ reason: string }]>('handoff');
export const staffMessageSignal = defineSignal<[StaffMessage]>('staffMessage');
export const resumeSignal = defineSignal<[]>('resume');
/** A reminder from the conversation's appointment: written into the transcript, then sent. */
export const proactiveMessageSignal = defineSignal<[ProactiveMessage]>('proactiveMessage');
/** Resolves once the given customer message has been handled (a message already delivered). */
export const awaitReplyUpdate = defineUpdate<ReplyOutcome, [{ messageId: string }]>('awaitReply');
export const stateQuery = defineQuery<ConversationState>('state');
