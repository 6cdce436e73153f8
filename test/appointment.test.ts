import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { signalAppointment, type TemporalAccess } from '../src/temporal/appointments';
import type { appointmentWorkflow } from '../src/workflows/appointment';
import { appointmentStateQuery, appointmentWorkflowId } from '../src/workflows/appointment-definitions';
import { FakeTelegram } from './helpers/fake-telegram';
import { type TestDatabase } from './helpers/services';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/time-skipping';
import { waitFor } from './helpers/wait-for';

/** The demo clinic's clock (Buenos Aires, UTC-3, no DST): quiet hours 21:00-08:00, reminders 24 h and 1 h before. */
const zone = DEMO_TENANT.timeZone;
/** Each test books its own room: appointments of different tests may overlap. */
const ROOMS = ['sala-1', 'sala-2', 'sala-3', 'sala-4', 'sala-5', 'sala-6'];
const APPOINTMENT_MINUTES = 45;

describe('appointment reminders (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let telegram: FakeTelegram;
  let stack: TimeSkippingStack;
  let temporal: TemporalAccess;

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    stack = await startTimeSkippingStack({ channels: { telegram: telegram.credentials() } });
    ({ env, db, temporal } = stack);
    // The demo tenant's policy (reminders 24 h and 1 h before, quiet 21:00–08:00), with rooms of its own.
    for (const room of ROOMS) {
      await db.pool.query(`INSERT INTO resources (tenant_id, id, name) VALUES ('demo', $1, $1)`, [room]);
      await db.pool.query(`INSERT INTO resource_services (tenant_id, resource_id, service_id) VALUES ('demo', $1, 'depilacion-laser')`, [room]);
    }
  });
  afterAll(async () => {
    await stack.stop();
    await telegram.stop();
  });

  /** The test server's clock, which the workflows live by, on the clinic's wall clock. */
  const serverNow = async () => DateTime.fromMillis(await env.currentTimeMs(), { zone, locale: 'es' });
  /** A wall-clock time `days` after today, on the server's clock. */
  const daysAhead = async (days: number, hour: number, minute = 0) =>
    (await serverNow()).plus({ days }).set({ hour, minute, second: 0, millisecond: 0 });
  /** Skips the server's clock to `instant`, firing every timer due on the way. */
  const skipTo = async (instant: DateTime) => env.sleep(instant.toMillis() - (await env.currentTimeMs()));
  /** What the customer's Telegram chat received, in order. */
  const received = (contactId: string) => telegram.sent.filter((message) => message.chat_id === Number(contactId)).map((message) => message.text);

  /** Books as the booking tools do: the row first, then the signal that starts its workflow. */
  async function book(room: string, contactId: string, start: DateTime) {
    const { rows } = await db.pool.query(
      `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, customer_name, status, starts_at, ends_at, blocked, idempotency_key)
       VALUES ('demo', $1, 'depilacion-laser', 'telegram', $2, 'Lucía', 'held', $3, $4, tstzrange($3, $4), $5) RETURNING id`,
      [room, contactId, start.toJSDate(), start.plus({ minutes: APPOINTMENT_MINUTES }).toJSDate(), randomUUID()],
    );
    const bookingId: string = rows[0].id;
    await signalAppointment(temporal, { tenantId: DEMO_TENANT.id, bookingId });
    return { bookingId, handle: env.client.workflow.getHandle<typeof appointmentWorkflow>(appointmentWorkflowId(bookingId)) };
  }

  /** The customer gets their `count`th message within a minute after `due` on the server's clock, and not before. */
  async function expectNthMessageAt(contactId: string, count: number, due: DateTime) {
    await skipTo(due.minus({ minutes: 1 }));
    expect(received(contactId)).toHaveLength(count - 1);
    await skipTo(due.plus({ minutes: 1 }));
    await waitFor(`message ${count} to ${contactId}`, () => received(contactId).length >= count);
    expect(received(contactId)).toHaveLength(count);
  }

  const dayLabel = (start: DateTime) => start.toFormat("cccc d 'de' LLLL");
  const asksToConfirm = 'Responde «confirmo» para confirmarlo o «cancelar» para cancelarlo.';

  test('a booking three days ahead is reminded 24 h and 1 h before, once each; the workflow ends with the appointment', async () => {
    const start = await daysAhead(3, 15);
    const { handle } = await book('sala-1', '4001', start);

    await expectNthMessageAt('4001', 1, start.minus({ hours: 24 }));
    await expectNthMessageAt('4001', 2, start.minus({ hours: 1 }));
    expect(received('4001')).toEqual([
      `Hola, Lucía. Recordatorio: tu turno de Depilación láser es mañana, ${dayLabel(start)} a las 15:00. ${asksToConfirm}`,
      `Hola, Lucía. Recordatorio: tu turno de Depilación láser es hoy a las 15:00. ${asksToConfirm}`,
    ]);

    const final = await handle.result();
    expect(final).toMatchObject({ phase: 'done', start: start.toUTC().toISO() });
    expect(final.reminders).toEqual([
      { offsetMinutes: 1440, at: start.minus({ hours: 24 }).toUTC().toISO(), sent: true },
      { offsetMinutes: 60, at: start.minus({ hours: 1 }).toUTC().toISO(), sent: true },
    ]);
    const { closeTime } = await handle.describe();
    expect(closeTime!.getTime()).toBeGreaterThanOrEqual(start.plus({ minutes: APPOINTMENT_MINUTES }).toMillis());
    expect(received('4001')).toHaveLength(2);
  });

  test('rescheduling moves both reminders: nothing at the old times, both at the new ones', async () => {
    const oldStart = await daysAhead(3, 15);
    const newStart = await daysAhead(5, 11);
    const { bookingId, handle } = await book('sala-2', '4002', oldStart);
    await skipTo(oldStart.minus({ hours: 30 }));
    await db.pool.query('UPDATE bookings SET starts_at = $2, ends_at = $3, blocked = tstzrange($2, $3) WHERE id = $1', [
      bookingId,
      newStart.toJSDate(),
      newStart.plus({ minutes: APPOINTMENT_MINUTES }).toJSDate(),
    ]);
    await signalAppointment(temporal, { tenantId: DEMO_TENANT.id, bookingId });

    await skipTo(oldStart.plus({ minutes: 1 }));
    expect(received('4002')).toEqual([]);
    await expectNthMessageAt('4002', 1, newStart.minus({ hours: 24 }));
    await expectNthMessageAt('4002', 2, newStart.minus({ hours: 1 }));
    expect(received('4002')).toEqual([
      expect.stringContaining(`es mañana, ${dayLabel(newStart)} a las 11:00.`),
      expect.stringContaining('es hoy a las 11:00.'),
    ]);
    expect(await handle.result()).toMatchObject({ phase: 'done', start: newStart.toUTC().toISO() });
  });

  test('a cancelled booking is not reminded, and its workflow ends', async () => {
    const start = await daysAhead(3, 15);
    const { bookingId, handle } = await book('sala-3', '4003', start);
    await db.pool.query("UPDATE bookings SET status = 'cancelled' WHERE id = $1", [bookingId]);
    await signalAppointment(temporal, { tenantId: DEMO_TENANT.id, bookingId });

    expect(await handle.result()).toMatchObject({ phase: 'done' });
    await skipTo(start.plus({ minutes: APPOINTMENT_MINUTES }));
    expect(received('4003')).toEqual([]);
  });

  test('a booking cancelled with no signal is not reminded either: the booking is read again when a reminder is due', async () => {
    const start = await daysAhead(3, 15);
    const { bookingId, handle } = await book('sala-4', '4004', start);
    // Cancelled once the reminders are planned: only the read at fire time can see it.
    await waitFor('reminders planned', async () => (await handle.query(appointmentStateQuery)).reminders.length === 2);
    await db.pool.query("UPDATE bookings SET status = 'cancelled' WHERE id = $1", [bookingId]);

    await skipTo(start.minus({ hours: 24 }).plus({ minutes: 1 }));
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    await skipTo(start.plus({ minutes: APPOINTMENT_MINUTES }));
    expect(received('4004')).toEqual([]);
  });

  test('a booking 30 minutes ahead gets neither reminder (both are past), and its workflow ends after the appointment', async () => {
    const start = (await serverNow()).plus({ minutes: 30 });
    const { handle } = await book('sala-5', '4005', start);

    expect(await handle.result()).toMatchObject({ phase: 'done', reminders: [] });
    const { closeTime } = await handle.describe();
    expect(closeTime!.getTime()).toBeGreaterThanOrEqual(start.plus({ minutes: APPOINTMENT_MINUTES }).toMillis());
    expect(received('4005')).toEqual([]);
  });

  test('the 1 h reminder of an 08:30 appointment goes out at 20:59 the evening before, not at 07:30 in quiet hours', async () => {
    const start = await daysAhead(3, 8, 30);
    const { handle } = await book('sala-6', '4006', start);

    await expectNthMessageAt('4006', 1, start.minus({ hours: 24 }));
    await expectNthMessageAt('4006', 2, start.minus({ days: 1 }).set({ hour: 20, minute: 59 }));
    await skipTo(start.minus({ hours: 1 }).plus({ minutes: 1 }));
    expect(received('4006')).toEqual([
      expect.stringContaining(`es mañana, ${dayLabel(start)} a las 8:30.`),
      expect.stringContaining(`es mañana, ${dayLabel(start)} a las 8:30.`),
    ]);
    expect((await handle.result()).reminders.map((reminder) => reminder.offsetMinutes)).toEqual([1440, 60]);
  });
});
