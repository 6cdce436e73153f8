import { leadChangedSignal, leadSyncWorkflowId, type LeadSyncInput } from '../workflows/lead-sync-definitions';
import type { WorkflowPlace } from './appointments';
import { TenantIdKey } from './search-attributes';

/**
 * Tells the lead's sync workflow that the lead changed, starting it if it is not running. Safe to
 * repeat: each push reads the lead as it stands, and updates the CRM's copy once it has one.
 */
export async function requestLeadSync(temporal: WorkflowPlace, lead: LeadSyncInput): Promise<void> {
  await temporal.client.workflow.signalWithStart('leadSyncWorkflow', {
    workflowId: leadSyncWorkflowId(lead),
    taskQueue: temporal.taskQueue,
    args: [lead],
    typedSearchAttributes: [{ key: TenantIdKey, value: lead.tenantId }],
    signal: leadChangedSignal,
    signalArgs: [],
  });
}
