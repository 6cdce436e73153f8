import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { handledQuery } from './floor/definitions';
import { mapLimit, sleep } from './concurrency';
import type { SessionLog } from './load';
import { sum } from './stats';

/** Of one conversation: the sent message ids not answered once, and those answered (or recorded) twice. */
export interface SessionDelivery {
  lost: string[];
  /** Of the lost, those the conversation never recorded at all (not merely left unanswered). */
  unrecorded: string[];
  duplicated: string[];
}

export type DeliveryCheck = (workflowId: string, messageIds: readonly string[]) => Promise<SessionDelivery>;

export interface DeliveryReport {
  checked: number;
  lost: number;
  /** Of the lost, never recorded by the conversation (rather than recorded and unanswered). */
  lostUnrecorded: number;
  duplicated: number;
  /** Messages of conversations that could not be queried (not counted as lost). */
  unverified: number;
  /** A few ids, to look up in the Temporal UI. */
  examples: string[];
  lostIds: string[];
}

/**
 * What the benchmark relies on in Concierge's `state` query (README, CONTRACT): the transcript
 * holds each customer message as a `customer` entry with its `messageId`, and each reply as an
 * `assistant` entry whose `inReplyTo` lists the messages it answers.
 */
interface ConciergeStateView {
  transcript: Array<{ role: string; messageId?: string; inReplyTo?: string[] }>;
}

export function transcriptDelivery(transcript: ConciergeStateView['transcript'], messageIds: readonly string[]): SessionDelivery {
  const lost: string[] = [];
  const unrecorded: string[] = [];
  const duplicated: string[] = [];
  for (const id of messageIds) {
    const recorded = transcript.filter((entry) => entry.role === 'customer' && entry.messageId === id).length;
    const replies = transcript.filter((entry) => entry.role === 'assistant' && entry.inReplyTo?.includes(id)).length;
    if (recorded === 0 || replies === 0) lost.push(id);
    if (recorded === 0) unrecorded.push(id);
    if (recorded > 1 || replies > 1) duplicated.push(id);
  }
  return { lost, unrecorded, duplicated };
}

export function conciergeDelivery(client: Client): DeliveryCheck {
  return async (workflowId, messageIds) => {
    const state = await client.workflow.getHandle(workflowId).query<ConciergeStateView>('state');
    return transcriptDelivery(state.transcript, messageIds);
  };
}

/** The floor counts the replies it produced per message id (bench/floor/workflow.ts). */
export function floorDelivery(client: Client): DeliveryCheck {
  return async (workflowId, messageIds) => {
    const handled = await client.workflow.getHandle(workflowId).query(handledQuery);
    const lost = messageIds.filter((id) => !handled[id]);
    // The floor keeps nothing but replies: a message it did not answer, it does not have.
    return { lost, unrecorded: lost, duplicated: messageIds.filter((id) => (handled[id] ?? 0) > 1) };
  };
}

export interface CheckOptions {
  workflowId: (sessionId: string) => string;
  /** A message that timed out is still answered later: lost ones are asked again until this long has passed. */
  settleMs: number;
  concurrency: number;
}

export async function checkDelivery(check: DeliveryCheck, sessions: readonly SessionLog[], options: CheckOptions): Promise<DeliveryReport> {
  const settleBy = Date.now() + options.settleMs;
  const results = await mapLimit(sessions, options.concurrency, async ({ sessionId, messageIds }) => {
    const none = { lost: [], unrecorded: [], duplicated: [] };
    if (messageIds.length === 0) return { ...none, unverified: 0 };
    const workflowId = options.workflowId(sessionId);
    for (;;) {
      try {
        const delivery = await check(workflowId, messageIds);
        if (delivery.lost.length === 0 || Date.now() >= settleBy) return { ...delivery, unverified: 0 };
      } catch (error) {
        // No workflow at all: none of its messages arrived.
        if (error instanceof WorkflowNotFoundError && Date.now() >= settleBy) {
          return { ...none, lost: [...messageIds], unrecorded: [...messageIds], unverified: 0 };
        }
        if (Date.now() >= settleBy) return { ...none, unverified: messageIds.length };
      }
      await sleep(500);
    }
  });
  const lost = results.flatMap((result) => result.lost);
  const duplicated = results.flatMap((result) => result.duplicated);
  return {
    checked: sum(sessions.map((session) => session.messageIds.length)),
    lost: lost.length,
    lostUnrecorded: sum(results.map((result) => result.unrecorded.length)),
    duplicated: duplicated.length,
    unverified: sum(results.map((result) => result.unverified)),
    examples: [...lost, ...duplicated].slice(0, 5),
    lostIds: lost,
  };
}
