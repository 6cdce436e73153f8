import type { Client } from '@temporalio/client';
import type { Child } from './children';
import { conciergeDelivery, floorDelivery, type DeliveryCheck } from './delivery';
import { floorWorkflowId } from './floor/definitions';
import { descendantsNamed, singleProcess, type ProcessRole } from './meter';
import type { ConciergeStack, FloorProcess } from './stack';

export type DesignName = 'concierge' | 'floor';

/** One of the two designs measured: where to send messages, where to look, what to sample. */
export interface Design {
  name: DesignName;
  process: Child;
  chatUrl: string;
  chatHeaders: Record<string, string>;
  workflowId(sessionId: string): string;
  delivery: DeliveryCheck;
  /** The processes whose CPU counts for this design's messages. */
  roles: ProcessRole[];
}

/** The Temporal server both designs share; its CPU counts for whichever design is under load. */
function temporalRoles(stack: ConciergeStack): ProcessRole[] {
  return stack.embeddedTemporalComm ? [descendantsNamed('temporal', stack.process.pid, stack.embeddedTemporalComm)] : [];
}

export function conciergeDesign(stack: ConciergeStack, client: Client): Design {
  const pid = stack.process.pid;
  return {
    name: 'concierge',
    process: stack.process,
    chatUrl: stack.chatUrl,
    chatHeaders: stack.chatHeaders,
    // CONTRACT: the web chat's conversation of session `s` in tenant `demo`.
    workflowId: (sessionId) => `conversation:demo:web:${sessionId}`,
    delivery: conciergeDelivery(client),
    roles: [
      singleProcess('concierge', pid),
      ...temporalRoles(stack),
      ...(stack.embedsPostgres ? [descendantsNamed('postgres', pid, 'postgres')] : []),
    ],
  };
}

export function floorDesign(floor: FloorProcess, stack: ConciergeStack, client: Client): Design {
  return {
    name: 'floor',
    process: floor.process,
    chatUrl: floor.chatUrl,
    chatHeaders: floor.chatHeaders,
    workflowId: floorWorkflowId,
    delivery: floorDelivery(client),
    roles: [singleProcess('floor', floor.process.pid), ...temporalRoles(stack)],
  };
}
