import { ActivityFailure, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { CRM_PUSH, STORAGE } from './activity-options';
import { leadChangedSignal, type LeadSyncInput } from './lead-sync-definitions';

const { pushLeadToCrm } = proxyActivities<Activities>(CRM_PUSH);
const { recordLeadPushFailure } = proxyActivities<Activities>(STORAGE);

/** With nothing new to push for this long, the workflow ends; the next change starts it again. */
const IDLE_END = '1 hour';

/**
 * Pushes one lead to its tenant's CRM, beside the conversation so a CRM that is down never delays
 * a reply. Changes that come while a push runs or waits are folded into the next push, which
 * reads the lead as it then stands. The push is exactly-once by its own means (the CRM id is
 * stored as soon as known; a retried push finds the lead by its idempotency key).
 */
export async function leadSyncWorkflow(input: LeadSyncInput): Promise<void> {
  let changed = true;
  setHandler(leadChangedSignal, () => {
    changed = true;
  });
  for (;;) {
    if (!(await condition(() => changed, IDLE_END))) return;
    changed = false;
    try {
      await pushLeadToCrm(input);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // Refused (4xx), or down for longer than the push may take: staff see why; a new change or a
      // push asked again from /admin/leads tries anew.
      await recordLeadPushFailure({ ...input, error: error.cause?.message ?? error.message });
    }
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof leadSyncWorkflow>(input);
  }
}
