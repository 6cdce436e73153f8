import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { mapLimit } from './concurrency';

/** What one worker did for a set of conversations, as their histories record it. */
export interface TaskCounts {
  /** Workflow tasks it completed (local activities, such as reading tools, run inside them). */
  workflowTasks: number;
  /** Activity tasks it started and saw through (a history records the last attempt's worker). */
  activityTasks: number;
}

export interface TaskAttribution {
  /** By worker identity (`<pid>@<hostname>`). */
  byIdentity: Record<string, TaskCounts>;
  /** Work the server took back from a worker and gave out again. */
  redone: Redone;
}

export interface Redone {
  /**
   * Workflow tasks left on a worker's sticky queue too long (it was busy or dead): the server
   * handed them to the shared queue, and whichever worker takes them replays the conversation.
   */
  stickyTimeouts: number;
  /** Workflow tasks a worker took and never completed (killed with them). */
  workflowTaskTimeouts: number;
  /** Activities that needed more than one attempt (e.g. their worker was killed while running them). */
  activityRetries: number;
}

const { TimeoutType } = temporal.api.enums.v1;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Who did the work of these conversations: every run of each (continue-as-new included), read from Temporal. */
export async function attributeTasks(client: Client, workflowIds: readonly string[], concurrency: number): Promise<TaskAttribution> {
  const byIdentity: Record<string, TaskCounts> = {};
  const redone: Redone = { stickyTimeouts: 0, workflowTaskTimeouts: 0, activityRetries: 0 };
  const count = (identity: string | null | undefined, kind: keyof TaskCounts) => {
    const counts = (byIdentity[identity || 'unknown'] ??= { workflowTasks: 0, activityTasks: 0 });
    counts[kind] += 1;
  };
  const histories = await mapLimit(workflowIds, concurrency, (workflowId) => allRuns(client, workflowId));
  for (const event of histories.flat()) {
    if (event.workflowTaskCompletedEventAttributes) count(event.workflowTaskCompletedEventAttributes.identity, 'workflowTasks');
    const activity = event.activityTaskStartedEventAttributes;
    if (activity) {
      count(activity.identity, 'activityTasks');
      if ((activity.attempt ?? 1) > 1) redone.activityRetries += 1;
    }
    const timeout = event.workflowTaskTimedOutEventAttributes?.timeoutType;
    if (timeout === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) redone.stickyTimeouts += 1;
    else if (timeout !== undefined && timeout !== null) redone.workflowTaskTimeouts += 1;
  }
  return { byIdentity, redone };
}

/** The events of the latest run and of each run it continued from. */
async function allRuns(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let runId: string | undefined;
  do {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    events.push(...(history.events ?? []));
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  } while (runId);
  return events;
}
