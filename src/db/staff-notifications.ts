import type { Pool } from './pool';

export async function insertStaffNotification(
  pool: Pool,
  notification: { idempotencyKey: string; tenantId: string; workflowId: string; reason: string },
): Promise<void> {
  await pool.query(
    `INSERT INTO staff_notifications (idempotency_key, tenant_id, workflow_id, reason) VALUES ($1, $2, $3, $4)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [notification.idempotencyKey, notification.tenantId, notification.workflowId, notification.reason],
  );
}
