import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { RECONCILIATION } from './activity-options';

const { reconcileAppointments } = proxyActivities<Activities>(RECONCILIATION);

/** Run by a Temporal Schedule: every booking still ahead has its appointment workflow running. */
export async function reconcileAppointmentsWorkflow(): Promise<{ checked: number; started: number }> {
  return reconcileAppointments();
}
