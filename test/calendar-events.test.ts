import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { createBookingActivities } from '../src/activities/bookings';
import { createCalendarEventActivities } from '../src/activities/calendar-events';
import { createBusyReader } from '../src/calendars/busy-cache';
import { createExternalCalendars } from '../src/calendars/external-calendars';
import { channelSetupLookup } from '../src/channels/setup';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { signalAppointment, type TemporalAccess } from '../src/temporal/appointments';
import type { appointmentWorkflow } from '../src/workflows/appointment';
import { appointmentWorkflowId } from '../src/workflows/appointment-definitions';
import { FakeGoogleCalendar } from './helpers/fake-google-calendar';
import { FakeTelegram } from './helpers/fake-telegram';
import type { TestDatabase } from './helpers/services';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/time-skipping';
import { waitFor } from './helpers/wait-for';

const zone = DEMO_TENANT.timeZone;
const ROOM = 'consultorio-google';
const CALENDAR = 'consultorio@clinica.example';
const SERVICE = 'asesoria-online';
/** A room with the built-in calendar alone, which performs no service: bookings are only moved to it. */
const PLAIN_ROOM = 'consultorio-2';

describe('a resource kept in Google Calendar (time-skipping server, fake Google)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let stack: TimeSkippingStack;
  let temporal: TemporalAccess;
  let telegram: FakeTelegram;
  let google: FakeGoogleCalendar;

  beforeAll(async () => {
    [telegram, google] = await Promise.all([new FakeTelegram().start(), new FakeGoogleCalendar().start()]);
    stack = await startTimeSkippingStack({ channels: { telegram: telegram.credentials() } });
    ({ env, db, temporal } = stack);
    // A video consultation only this room offers: its free times are this calendar's alone.
    await db.pool.query(
      `INSERT INTO services (tenant_id, id, name, description, duration_minutes, price, currency) VALUES ('demo', $1, 'Asesoría online', 'Por videollamada', 60, 0, 'ARS')`,
      [SERVICE],
    );
    await db.pool.query(`INSERT INTO resources (tenant_id, id, name, calendar) VALUES ('demo', $1, 'Consultorio', $2)`, [
      ROOM,
      { provider: 'google', calendarId: CALENDAR },
    ]);
    await db.pool.query(`INSERT INTO resource_services (tenant_id, resource_id, service_id) VALUES ('demo', $1, $2)`, [ROOM, SERVICE]);
    await db.pool.query(`INSERT INTO resources (tenant_id, id, name) VALUES ('demo', $1, 'Consultorio 2')`, [PLAIN_ROOM]);
    await db.pool.query(`INSERT INTO tenant_calendars (tenant_id, provider, config) VALUES ('demo', 'google', $1)`, [google.settings(true)]);
  });
  afterAll(async () => {
    await stack.stop();
    await Promise.all([telegram.stop(), google.stop()]);
  });

  /** The first Wednesday at least three days ahead on the server's clock, at `hour` on the clinic's wall clock. */
  const wednesdayAt = async (hour: number) => {
    let day = DateTime.fromMillis(await env.currentTimeMs(), { zone }).plus({ days: 3 }).startOf('day');
    while (day.weekday !== 3) day = day.plus({ days: 1 });
    return day.set({ hour });
  };
  /** The booking tools in this process, on the stack's database and a busy reader of their own. */
  const tools = (calendarTimeoutMs = 2_500) => {
    const calendars = createExternalCalendars(db.pool, createBusyReader({ ttlMs: 0, callTimeoutMs: calendarTimeoutMs, failuresToOpen: 1 }));
    return {
      calendars,
      booking: createBookingActivities({ pool: db.pool, calendars, syncLead: async () => undefined, contactKeySecret: temporal.contactKeySecret }),
      events: createCalendarEventActivities({ pool: db.pool, calendars, temporal, channels: channelSetupLookup(db.pool, { telegram: telegram.credentials() }) }),
    };
  };
  const ref = (contactId: string) => ({ tenantId: DEMO_TENANT.id, channel: 'telegram' as const, contactId });
  const freeTimes = async (day: DateTime, calendarTimeoutMs?: number) => {
    const answer = await tools(calendarTimeoutMs).booking.checkAvailabilityTool({ ref: ref('5000'), args: { date: day.toISODate()!, service: SERVICE } });
    if (answer.outcome !== 'ok') throw new Error(`check_availability refused: ${JSON.stringify(answer.content)}`);
    return answer.content.slots.map((slot) => slot.time);
  };

  /** Books as the booking tools do: the row first, then the signal that starts its workflow. */
  async function book(contactId: string, start: DateTime) {
    const { rows } = await db.pool.query(
      `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, customer_name, status, starts_at, ends_at, blocked, idempotency_key)
       VALUES ('demo', $1, $2, 'telegram', $3, 'Lucía', 'confirmed', $4, $5, tstzrange($4, $5), $6) RETURNING id`,
      [ROOM, SERVICE, contactId, start.toJSDate(), start.plus({ hours: 1 }).toJSDate(), randomUUID()],
    );
    const bookingId: string = rows[0].id;
    await signalAppointment(temporal, { tenantId: DEMO_TENANT.id, bookingId });
    return bookingId;
  }
  const eventOf = (bookingId: string) => google.events(CALENDAR).filter((event) => event.description?.includes(bookingId));
  const telegramTo = (contactId: string) => telegram.sent.filter((message) => message.chat_id === Number(contactId)).map((message) => message.text);

  test('an external busy block at 10:00 takes 10:00 out of availability, and a booking there is refused', async () => {
    const day = await wednesdayAt(10);
    const before = await freeTimes(day);
    google.setBusy(CALENDAR, [{ start: day.toUTC().toISO()!, end: day.plus({ hours: 1 }).toUTC().toISO()! }]);
    try {
      const times = await freeTimes(day);
      expect(before).toContain('10:00');
      expect(times).not.toContain('10:00');
      // Only times next to the block go (an hour's service and the clinic's buffers reach into it).
      const removed = before.filter((time) => !times.includes(time));
      expect(times.every((time) => before.includes(time))).toBe(true);
      expect(removed.every((time) => time >= '09:00' && time <= '11:00')).toBe(true);
      expect(times).toContain('14:00');
      const answer = await tools().booking.checkAvailabilityTool({ ref: ref('5000'), args: { date: day.toISODate()!, time: '10:00', service: SERVICE } });
      expect(answer.content).toMatchObject({ available: false });
      const createBooking = tools().booking.createBookingTool;
      const booked: Awaited<ReturnType<typeof createBooking>> = await new MockActivityEnvironment().run(createBooking, {
        ref: ref('5000'),
        args: { service: SERVICE, date: day.toISODate()!, time: '10:00', customer_name: 'Ana' },
      });
      expect(booked.content).toMatchObject({ error: 'slot_taken' });
    } finally {
      google.setBusy(CALENDAR, []);
    }
  });

  test('a booking gets one event with a Meet link, which reaches the customer; a move patches it, a cancel deletes it', async () => {
    const start = await wednesdayAt(11);
    const bookingId = await book('5101', start);
    await waitFor('the booking’s event', () => eventOf(bookingId).length === 1);
    const [event] = eventOf(bookingId);
    expect(Date.parse(event!.start.dateTime)).toBe(start.toMillis());
    expect(event!.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    await waitFor('the Meet link on Telegram', () => telegramTo('5101').some((text) => text.includes(event!.hangoutLink!)));

    // A retry after the event was made but before it was recorded finds the same event.
    await db.pool.query('DELETE FROM booking_calendar_events WHERE booking_id = $1', [bookingId]);
    await tools().events.syncCalendarEvent({ tenantId: DEMO_TENANT.id, bookingId });
    expect(eventOf(bookingId)).toHaveLength(1);

    const moved = start.plus({ hours: 3 });
    await db.pool.query(`UPDATE bookings SET starts_at = $2, ends_at = $3, blocked = tstzrange($2, $3) WHERE id = $1`, [bookingId, moved.toJSDate(), moved.plus({ hours: 1 }).toJSDate()]);
    await signalAppointment(temporal, { tenantId: DEMO_TENANT.id, bookingId });
    await waitFor('the event moved', () => Date.parse(eventOf(bookingId)[0]!.start.dateTime) === moved.toMillis());

    await db.pool.query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [bookingId]);
    await signalAppointment(temporal, { tenantId: DEMO_TENANT.id, bookingId });
    await env.client.workflow.getHandle<typeof appointmentWorkflow>(appointmentWorkflowId(bookingId)).result();
    expect(eventOf(bookingId).map((gone) => gone.status)).toEqual(['cancelled']);
    expect(google.events(CALENDAR).filter((other) => other.description?.includes(bookingId))).toHaveLength(1);
    expect(telegramTo('5101').filter((text) => text.includes('meet.google.com'))).toHaveLength(1);
  });

  test('a booking moved to a room without an external calendar has its event deleted', async () => {
    const start = await wednesdayAt(17);
    const bookingId = await book('5303', start);
    await waitFor('the booking’s event', () => eventOf(bookingId).length === 1);
    await db.pool.query(`UPDATE bookings SET resource_id = $2 WHERE id = $1`, [bookingId, PLAIN_ROOM]);
    await signalAppointment(temporal, { tenantId: DEMO_TENANT.id, bookingId });
    await waitFor('the event deleted', () => eventOf(bookingId)[0]?.status === 'cancelled');
  });

  test('with Google down, availability answers from the built-in calendar and the event is made once Google is back', async () => {
    const day = await wednesdayAt(15);
    google.setBusy(CALENDAR, [{ start: day.toUTC().toISO()!, end: day.plus({ hours: 1 }).toUTC().toISO()! }]);
    google.down = true;
    try {
      const times = await freeTimes(day);
      // The block Google would have reported is unknown while it is down: the day is offered whole.
      expect(times).toContain('15:00');
      const bookingId = await book('5202', day.plus({ hours: 2 }));
      // Retried meanwhile, with backoff: nothing reaches the calendar.
      await env.sleep(60_000);
      expect(eventOf(bookingId)).toHaveLength(0);
      google.down = false;
      await env.sleep(120_000);
      await waitFor('the event once Google is back', () => eventOf(bookingId).length === 1);
      expect(eventOf(bookingId)).toHaveLength(1);
    } finally {
      google.down = false;
      google.setBusy(CALENDAR, []);
    }
  });
});
