import { defineSignal } from '@temporalio/workflow';

/** The lead sync workflow's interface: one per lead, pushing it to the tenant's CRM. */

export interface LeadSyncInput {
  tenantId: string;
  leadId: string;
}

/** `lead-sync:<tenant>:<leadId>`: every change of a lead wakes the same workflow, or starts it. */
export function leadSyncWorkflowId({ tenantId, leadId }: LeadSyncInput): string {
  return `lead-sync:${tenantId}:${leadId}`;
}

/** The lead changed (or staff asked for a push again): push it as it now stands. */
export const leadChangedSignal = defineSignal<[]>('leadChanged');
