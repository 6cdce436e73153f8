import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

/** How often every booking still ahead is checked for its appointment workflow. */
const EVERY = '10 minutes';

/** One schedule per task queue: deployments (and test runs) sharing a namespace stay apart. */
export const reconcileScheduleId = (taskQueue: string) => `reconcile-appointments:${taskQueue}`;

/**
 * Creates the Temporal Schedule that runs `reconcileAppointmentsWorkflow`, unless it exists.
 * Every worker calls this at start; the first one creates it.
 */
export async function ensureReconcileSchedule(client: Client, taskQueue: string): Promise<void> {
  const scheduleId = reconcileScheduleId(taskQueue);
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: EVERY }] },
      action: { type: 'startWorkflow', workflowType: 'reconcileAppointmentsWorkflow', taskQueue, workflowId: scheduleId },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
