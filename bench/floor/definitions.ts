import { defineQuery, defineUpdate } from '@temporalio/workflow';

/**
 * The floor: the least a Temporal conversation can do per web message. Its interface is shared
 * by the workflow (bench/floor/workflow.ts), its HTTP server and the benchmark's checks.
 */

export const FLOOR_TASK_QUEUE = 'bench-floor';

/** Same idle close as Concierge's default `IDLE_TIMEOUT`, so idle conversations stay open alike. */
export const FLOOR_IDLE_MS = 30 * 60_000;

export interface FloorMessage {
  messageId: string;
  text: string;
}

export interface FloorReply {
  messageId: string;
  text: string;
}

export interface FloorInput {
  sessionId: string;
  /** Carried across continue-as-new: the benchmark's per-message reply counts (see `handledQuery`). */
  handled?: Record<string, number>;
}

export function floorWorkflowId(sessionId: string): string {
  return `floor:${sessionId}`;
}

/** One web message: accepted, answered by one activity, and the answer returned to the caller. */
export const chatUpdate = defineUpdate<FloorReply, [FloorMessage]>('chat');

/** How many replies each message id got: the benchmark's lost/duplicated check (1 each is right). */
export const handledQuery = defineQuery<Record<string, number>>('handled');
