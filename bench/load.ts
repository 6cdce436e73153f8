import { ANSWERED, postChat } from './http';
import { customerMessage } from './script';
import { sum } from './stats';

export interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  sessionIds: readonly string[];
  messagesPerSession: number;
  /** Sessions served at once. A customer sends its next message once the last one is answered. */
  concurrency: number;
  /** No message is sent after this long; in-flight ones still get `requestTimeoutMs`. */
  deadlineMs: number;
  requestTimeoutMs: number;
  abort: AbortSignal;
}

export interface SessionLog {
  sessionId: string;
  /** The message ids actually sent, in order: what the lost/duplicated check looks for. */
  messageIds: string[];
  /** What each of them got back (`200 answered`, `504`…), in the same order. */
  outcomes: string[];
}

export interface LoadResult {
  durationMs: number;
  sent: number;
  answered: number;
  /** Count per outcome (`200 answered`, `504`, `timeout`…). */
  outcomes: Record<string, number>;
  /** Of answered messages only. */
  latenciesMs: number[];
  sessions: SessionLog[];
  /** Whether the deadline cut the load short (some messages were never sent). */
  cutShort: boolean;
}

export function messageIdFor(sessionId: string, index: number): string {
  return `${sessionId}-m${index}`;
}

/** Closed-loop load: `concurrency` customers at a time, each waiting for its reply before writing again. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const started = performance.now();
  const deadline = started + plan.deadlineMs;
  const outcomes: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const sessions: SessionLog[] = [];
  let next = 0;
  let cutShort = false;

  const customer = async () => {
    while (next < plan.sessionIds.length) {
      const customerIndex = next++;
      const log: SessionLog = { sessionId: plan.sessionIds[customerIndex], messageIds: [], outcomes: [] };
      sessions.push(log);
      for (let index = 0; index < plan.messagesPerSession; index++) {
        if (plan.abort.aborted) return;
        if (performance.now() >= deadline) {
          cutShort = true;
          return;
        }
        const messageId = messageIdFor(log.sessionId, index);
        log.messageIds.push(messageId);
        const body = { session_id: log.sessionId, message: customerMessage(customerIndex, index), message_id: messageId };
        const { outcome, latencyMs } = await postChat(plan.url, body, plan.requestTimeoutMs, plan.abort, plan.headers);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        log.outcomes.push(outcome);
        if (outcome === ANSWERED) latenciesMs.push(latencyMs);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.sessionIds.length) }, customer));

  const sent = sum(sessions.map((log) => log.messageIds.length));
  return {
    durationMs: performance.now() - started,
    sent,
    answered: latenciesMs.length,
    outcomes,
    latenciesMs,
    sessions,
    cutShort,
  };
}
