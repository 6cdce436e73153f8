import type { Logger } from '../logger';
import type { Pool } from '../db/pool';
import { insertStaffNotification } from '../db/staff-notifications';
import type { ConversationRef } from '../domain/conversation';
import { USAGE_METRICS } from '../domain/usage-metrics';
import { eventCounter, recordUsage } from './usage';

export function createHandoffActivities(deps: { pool: Pool; logger: Logger }) {
  return {
    /** Puts the conversation in the staff inbox (and the log) as waiting for a person. */
    async notifyStaff(input: { ref: ConversationRef; workflowId: string; reason: string; idempotencyKey: string }) {
      await insertStaffNotification(deps.pool, {
        idempotencyKey: input.idempotencyKey,
        tenantId: input.ref.tenantId,
        workflowId: input.workflowId,
        reason: input.reason,
      });
      await recordUsage(deps.pool, [eventCounter(USAGE_METRICS.handoffs, input.ref.tenantId, { channel: input.ref.channel })]);
      deps.logger.warn({ tenant: input.ref.tenantId, workflowId: input.workflowId, reason: input.reason }, 'conversation handed to staff');
    },
  };
}
