import { randomUUID } from 'node:crypto';
import { signalAppointment } from '../src/temporal/appointments';
import { ensureReconcileSchedule, reconcileScheduleId } from '../src/temporal/reconcile-schedule';
import { appointmentStateQuery, appointmentWorkflowId } from '../src/workflows';
import { instant, weekdayAhead } from './helpers/booking-fixtures';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

/** Reminders follow every booking, even one whose appointment workflow was lost. */
describe('the appointment reconciliation schedule', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.client.schedule.getHandle(reconcileScheduleId(stack.taskQueue)).delete().catch(() => undefined);
    await stack.stop();
  });

  async function book(contactId: string, status: 'confirmed' | 'cancelled', daysAhead: number): Promise<string> {
    const day = weekdayAhead(daysAhead);
    const [start, end] = [instant(day, '10:00'), instant(day, '10:45')];
    const { rows } = await stack.db.pool.query(
      `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, customer_name, status, starts_at, ends_at, blocked, idempotency_key)
       VALUES ('demo', 'ana', 'depilacion-laser', 'telegram', $1, 'Lucía', $2, $3, $4, tstzrange($3, $4), $5) RETURNING id`,
      [contactId, status, start, end, randomUUID()],
    );
    return rows[0].id;
  }

  test('a booking whose appointment workflow was terminated gets a new one; a running one is left alone', async () => {
    const lost = await book('7001', 'confirmed', 7);
    const kept = await book('7002', 'confirmed', 8);
    const cancelled = await book('7003', 'cancelled', 9);
    for (const bookingId of [lost, kept]) await signalAppointment({ client: stack.client, taskQueue: stack.taskQueue }, { tenantId: 'demo', bookingId });
    const handle = (bookingId: string) => stack.client.workflow.getHandle(appointmentWorkflowId(bookingId));
    await waitFor('both planned', async () => (await handle(lost).query(appointmentStateQuery)).reminders.length === 2);
    const keptRun = (await handle(kept).describe()).runId;
    await handle(lost).terminate('lost in an accident');

    await ensureReconcileSchedule(stack.client, stack.taskQueue);
    await ensureReconcileSchedule(stack.client, stack.taskQueue); // every worker calls it: the second is a no-op
    await stack.client.schedule.getHandle(reconcileScheduleId(stack.taskQueue)).trigger();

    await waitFor('a new appointment workflow', async () => (await handle(lost).describe()).status.name === 'RUNNING', 30_000);
    await waitFor('its reminders planned again', async () => (await handle(lost).query(appointmentStateQuery)).reminders.length === 2);
    expect((await handle(kept).describe()).runId).toBe(keptRun);
    await expect(handle(cancelled).describe()).rejects.toThrow(/not found/i);
  });
});
