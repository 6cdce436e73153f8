import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { createBookingActivities } from '../src/activities/bookings';
import { createBooking, findCustomerBooking, listBookings } from '../src/db/bookings';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { insertTenantIfAbsent } from '../src/db/tenants';
import { createPool, type Pool } from '../src/db/pool';
import { readCounters } from '../src/db/usage-counters';
import { USAGE_METRICS } from '../src/domain/usage-metrics';
import { activityRunner, comingMonday, customer, instant, isoDate, policy, seedBookingTenant, ZONE } from './helpers/booking-fixtures';
import { createTestDatabase, silentLogger, type TestDatabase } from './helpers/services';

const LASER = 'depilacion-laser'; // 45 minutes
const FACIAL = 'limpieza-facial'; // 60 minutes

describe('booking tools', () => {
  let db: TestDatabase;
  let toolsPool: Pool;
  // Web customers who gave no name or contact: their leads stay local, no CRM hears of them.
  let tools: ReturnType<typeof createBookingActivities>;
  const monday = comingMonday();
  const date = isoDate(monday);

  beforeAll(async () => {
    db = await createTestDatabase();
    // The production pool gives up on a connection after 3 s and lets Temporal retry the activity; here 50
    // activities queue at once on a loaded machine, and there are no retries: the race is the point, not the wait.
    toolsPool = createPool(db.url, silentLogger, { connectionTimeoutMs: 60_000 });
    tools = createBookingActivities({ pool: toolsPool, syncLead: () => Promise.reject(new Error('a web customer with no name or contact reached the CRM')) });
  });
  afterAll(async () => {
    await toolsPool?.end();
    await db?.drop();
  });

  /** Runs a tool as an activity of a conversation workflow of its own. */
  const run = <Input, Output>(tool: (input: Input) => Promise<Output>, input: Input) =>
    activityRunner({ workflowId: `conversation:${randomUUID()}` })(tool, input);
  const book = (tenantId: string, contactId: string, service: string, time: string, day = date) =>
    run(tools.createBookingTool, { ref: customer(tenantId, contactId), args: { service, date: day, time } });
  const rows = async (tenantId: string) => (await listBookings(db.pool, { tenantId })).filter((booking) => booking.status !== 'cancelled');
  const starts = (slots: { start: string }[]) => slots.map((slot) => slot.start);

  test('of 50 customers racing for the last slot, one books it and 49 are offered other times', async () => {
    await seedBookingTenant(db.pool, 'race', policy(), [{ id: 'ana', serviceIds: [LASER] }]);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => book('race', `customer-${i}`, LASER, '10:00')));

    const booked = answers.filter((answer) => answer.outcome === 'ok');
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({
      content: { booking: { serviceId: LASER, status: 'confirmed', start: instant(monday, '10:00'), date, time: '10:00' } },
      effects: { appointmentConfirmed: true },
    });
    const refused = answers.filter((answer) => answer.outcome === 'error');
    expect(refused).toHaveLength(49);
    for (const { content } of refused) {
      expect(content).toMatchObject({ error: 'slot_taken', alternatives: expect.arrayContaining([expect.anything()]) });
      expect(starts(content.alternatives as { start: string }[])).not.toContain(instant(monday, '10:00'));
    }
    expect(await rows('race')).toHaveLength(1);

    const calls = (await readCounters(db.pool)).filter((counter) => counter.tenantId === 'race' && counter.metric === USAGE_METRICS.toolCalls.name);
    expect(calls).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: 'tool="create_booking",outcome="ok"', value: 1 }),
        expect.objectContaining({ labels: 'tool="create_booking",outcome="error"', value: 49 }),
      ]),
    );
  });

  test('a retried create (a crash after the insert) answers with the booking the first attempt made', async () => {
    await seedBookingTenant(db.pool, 'retry', policy(), [{ id: 'ana', serviceIds: [LASER] }]);
    const request = { workflowId: 'conversation:retry:web:alice', runId: randomUUID(), activityId: '7' };
    const input = { ref: customer('retry', 'alice'), args: { service: LASER, date, time: '10:00' } };
    const first = await activityRunner({ ...request, attempt: 1 })(tools.createBookingTool, input);
    // Even if the time stopped being bookable before the retry (here the business closed that day).
    await db.pool.query(`INSERT INTO schedule_overrides (tenant_id, date, ranges) VALUES ('retry', $1, '[]')`, [date]);
    const retried = await activityRunner({ ...request, attempt: 2 })(tools.createBookingTool, input);

    expect(first.outcome).toBe('ok');
    expect(retried).toEqual(first);
    expect(await rows('retry')).toHaveLength(1);
  });

  test('two attempts of one request running at once make one booking, whichever resource each tries first', async () => {
    await seedBookingTenant(db.pool, 'attempts', policy(), [{ id: 'ana', serviceIds: [LASER] }, { id: 'bruno', serviceIds: [LASER] }]);
    const request = {
      customer: customer('attempts', 'alice'), serviceId: LASER, status: 'confirmed' as const, idempotencyKey: 'conversation:attempts:run:1',
      start: new Date(instant(monday, '10:00')), end: new Date(instant(monday, '10:45')), buffers: { beforeMinutes: 0, afterMinutes: 0 },
    };
    const [one, other] = await Promise.all([createBooking(db.pool, request, ['ana', 'bruno']), createBooking(db.pool, request, ['bruno', 'ana'])]);

    expect(one).toEqual(other);
    expect(await rows('attempts')).toHaveLength(1);
  });

  test('with two resources able to do the service, two bookings fit one slot and the third is taken', async () => {
    await seedBookingTenant(db.pool, 'pair', policy(), [{ id: 'ana', serviceIds: [FACIAL] }, { id: 'bruno', serviceIds: [FACIAL] }, { id: 'carla', serviceIds: [LASER] }]);
    const answers = [];
    for (const contact of ['alice', 'bob', 'carol']) answers.push(await book('pair', contact, FACIAL, '11:00'));

    expect(answers.map((answer) => answer.outcome)).toEqual(['ok', 'ok', 'error']);
    expect(answers[2]!.content).toMatchObject({ error: 'slot_taken' });
    expect((await rows('pair')).map((booking) => booking.resourceId).sort()).toEqual(['ana', 'bruno']);
  });

  test('one customer cannot hold two appointments at once, nor more than three upcoming', async () => {
    await seedBookingTenant(db.pool, 'greedy', policy(), [{ id: 'ana', serviceIds: [FACIAL] }, { id: 'bruno', serviceIds: [FACIAL] }]);
    expect((await book('greedy', 'gina', FACIAL, '09:00')).outcome).toBe('ok');
    // The same call repeated (as models do): the other free resource must not take it.
    const again = await book('greedy', 'gina', FACIAL, '09:00');
    expect(again.content).toMatchObject({ error: 'already_booked', booking: { time: '09:00' } });
    for (const time of ['10:00', '11:00']) expect((await book('greedy', 'gina', FACIAL, time)).outcome).toBe('ok');
    expect((await book('greedy', 'gina', FACIAL, '12:00')).content).toMatchObject({ error: 'too_many_bookings' });
    expect((await rows('greedy')).filter((booking) => booking.contactId === 'gina')).toHaveLength(3);
  });

  test('an appointment that has started can be neither moved nor cancelled', async () => {
    await seedBookingTenant(db.pool, 'history', policy(), [{ id: 'ana', serviceIds: [LASER] }]);
    const hank = customer('history', 'hank');
    const started = DateTime.now().minus({ minutes: 10 });
    const times = { start: started.toJSDate(), end: started.plus({ minutes: 45 }).toJSDate(), buffers: { beforeMinutes: 0, afterMinutes: 0 } };
    const made = await createBooking(db.pool, { customer: hank, serviceId: LASER, status: 'confirmed', idempotencyKey: 'hank-now', ...times }, ['ana']);
    const id = made.taken ? '' : made.booking.id;
    expect((await run(tools.cancelBookingTool, { ref: hank, args: { booking_id: id } })).content).toMatchObject({ error: 'past' });
    const move = { booking_id: id, date, time: '11:00' };
    expect((await run(tools.rescheduleBookingTool, { ref: hank, args: move })).content).toMatchObject({ error: 'past' });
    expect((await findCustomerBooking(db.pool, hank, id))?.status).toBe('confirmed');
  });

  test('the buffer after a booking keeps the next one off until it has passed', async () => {
    await seedBookingTenant(db.pool, 'buffers', policy({ slotIntervalMinutes: 15, bufferAfterMinutes: 15 }), [{ id: 'ana', serviceIds: [LASER] }]);
    expect((await book('buffers', 'alice', LASER, '10:00')).outcome).toBe('ok'); // until 10:45, blocked until 11:00

    const check = (time: string) => run(tools.checkAvailabilityTool, { ref: customer('buffers', 'bob'), args: { service: LASER, date, time } });
    expect((await check('10:45')).content).toMatchObject({ available: false });
    expect((await check('11:00')).content).toMatchObject({ available: true });
    // The stored range carries the buffer, so the database refuses it too.
    expect((await book('buffers', 'bob', LASER, '10:45')).content).toMatchObject({ error: 'slot_taken' });
    expect((await book('buffers', 'bob', LASER, '11:00')).outcome).toBe('ok');
  });

  describe('times the schedule does not offer', () => {
    beforeAll(() => seedBookingTenant(db.pool, 'rules', policy(), [{ id: 'ana', serviceIds: [LASER, FACIAL] }]));

    test('an unknown service is refused and nothing is written', async () => {
      expect((await book('rules', 'alice', 'corte de pelo', '10:00')).content).toMatchObject({ error: 'unknown_service' });
      expect(await rows('rules')).toEqual([]);
    });

    test.each([
      ['a closed day (Sunday)', monday.minus({ days: 1 }), '10:00', 'closed'],
      ['after closing', monday, '14:00', 'closed'],
      ['off the half-hour grid', monday, '10:10', 'closed'],
      ['a day gone', DateTime.now().setZone(ZONE).minus({ days: 1 }), '10:00', 'past'],
      ['past the 30 days ahead', monday.plus({ days: 35 }), '10:00', 'too_far_ahead'],
    ])('%s: refused with the nearest free times', async (_case, day, time, error) => {
      const answer = await book('rules', 'alice', 'depilación láser', time, isoDate(day));
      expect(answer).toMatchObject({ outcome: 'error', content: { error, message: expect.any(String) } });
      expect((answer.content as any).alternatives.length).toBeGreaterThan(0);
      expect(await rows('rules')).toEqual([]);
    });

    test('inside the minimum notice: refused with times after it', async () => {
      await seedBookingTenant(db.pool, 'notice', policy({ minNoticeMinutes: 14 * 24 * 60 }), [{ id: 'ana', serviceIds: [LASER] }]);
      const earliest = Date.now() + 14 * 86_400_000;
      const answer = await book('notice', 'alice', LASER, '10:00');
      expect(answer.content).toMatchObject({ error: 'closed', message: expect.stringContaining('notice') });
      expect((answer.content as any).alternatives.every((slot: any) => Date.parse(slot.start) >= earliest)).toBe(true);
    });
  });

  describe("a customer's bookings", () => {
    const alice = customer('changes', 'alice');
    const bob = customer('changes', 'bob');
    let aliceBooking: string;

    beforeAll(async () => {
      await seedBookingTenant(db.pool, 'changes', policy(), [{ id: 'ana', serviceIds: [LASER] }]);
      aliceBooking = ((await book('changes', 'alice', LASER, '09:00')).content as any).booking.id;
      expect((await book('changes', 'bob', LASER, '11:00')).outcome).toBe('ok');
    });

    test('moving one: to an overlapping time, to a free time, to the time it has (nothing changes), to a taken time', async () => {
      const move = (time: string) => run(tools.rescheduleBookingTool, { ref: alice, args: { booking_id: aliceBooking, date, time } });
      expect((await move('09:30')).content).toMatchObject({ booking: { time: '09:30' } });
      expect(await move('12:00')).toMatchObject({ outcome: 'ok', content: { booking: { id: aliceBooking, time: '12:00' } }, effects: { booking: { time: '12:00' } } });
      const before = await findCustomerBooking(db.pool, alice, aliceBooking);
      expect((await move('12:00')).content).toMatchObject({ booking: { time: '12:00' } });
      expect(await findCustomerBooking(db.pool, alice, aliceBooking)).toEqual(before);
      const taken = await move('11:00');
      expect(taken.content).toMatchObject({ error: 'slot_taken' });
      expect(starts((taken.content as any).alternatives)).not.toContain(instant(monday, '11:00'));
      // 09:00 is free again: someone else can have it.
      expect((await book('changes', 'carol', LASER, '09:00')).outcome).toBe('ok');
    });

    test("another customer's booking is not found, whatever they try", async () => {
      const bookingId = { booking_id: aliceBooking };
      expect((await run(tools.cancelBookingTool, { ref: bob, args: bookingId })).content).toMatchObject({ error: 'not_found' });
      expect((await run(tools.confirmBookingTool, { ref: bob, args: bookingId })).content).toMatchObject({ error: 'not_found' });
      expect((await run(tools.rescheduleBookingTool, { ref: bob, args: { ...bookingId, date, time: '10:00' } })).content).toMatchObject({ error: 'not_found' });
      const otherTenant = customer('race', 'alice');
      expect((await run(tools.cancelBookingTool, { ref: otherTenant, args: bookingId })).content).toMatchObject({ error: 'not_found' });
      expect((await run(tools.cancelBookingTool, { ref: alice, args: { booking_id: randomUUID() } })).content).toMatchObject({ error: 'not_found' });
      expect(await findCustomerBooking(db.pool, alice, 'not-a-booking-id')).toBeUndefined();
    });

    test("listing shows only the customer's own upcoming bookings", async () => {
      const yesterday = DateTime.now().minus({ days: 1 });
      const past = { start: yesterday.toJSDate(), end: yesterday.plus({ minutes: 45 }).toJSDate(), buffers: { beforeMinutes: 0, afterMinutes: 0 } };
      await createBooking(db.pool, { customer: bob, serviceId: LASER, status: 'confirmed', idempotencyKey: 'bob-yesterday', ...past }, ['ana']);
      const listed = await run(tools.listMyBookingsTool, { ref: bob, args: {} });
      expect(listed).toEqual({ outcome: 'ok', content: { bookings: [expect.objectContaining({ time: '11:00', service: 'Depilación láser', label: expect.any(String) })] } });
    });

    test('confirming, then cancelling: the slot is free again, and a cancelled booking cannot be confirmed', async () => {
      const bookingId = { booking_id: aliceBooking };
      expect(await run(tools.confirmBookingTool, { ref: alice, args: bookingId })).toMatchObject({ outcome: 'ok', effects: { appointmentConfirmed: true } });
      const cancelled = await run(tools.cancelBookingTool, { ref: alice, args: bookingId });
      expect(cancelled).toMatchObject({ outcome: 'ok', content: { booking: { status: 'cancelled' } }, effects: { booking: { status: 'cancelled' } } });
      expect(cancelled.effects?.appointmentConfirmed).toBeUndefined();

      expect((await run(tools.confirmBookingTool, { ref: alice, args: bookingId })).content).toMatchObject({ error: 'not_found' });
      expect((await run(tools.listMyBookingsTool, { ref: alice, args: {} })).content).toEqual({ bookings: [] });
      expect((await book('changes', 'dave', LASER, '12:00')).outcome).toBe('ok');
    });
  });

  describe('availability', () => {
    beforeAll(async () => {
      await seedBookingTenant(db.pool, 'calendar', policy(), [{ id: 'ana', serviceIds: [LASER] }]);
      await book('calendar', 'alice', LASER, '10:00');
    });
    const ref = customer('calendar', 'bob');

    test("a day's free times, in the tenant's clock and language", async () => {
      const answer = await run(tools.checkAvailabilityTool, { ref, args: { service: 'laser', date } });
      expect(answer.content).toMatchObject({ date, service: 'Depilación láser', available: true });
      const slots = (answer.content as any).slots;
      // 45 minutes in 09:00–13:00 every 30 minutes, less 10:00 and the 09:30 and 10:30 it overlaps.
      expect(slots.map((slot: any) => slot.time)).toEqual(['09:00', '11:00', '11:30', '12:00']);
      expect(slots[0]).toEqual({ start: instant(monday, '09:00'), date, time: '09:00', label: expect.stringMatching(/^lunes \d+ de \p{L}+, 09:00$/u) });
    });

    test('a taken time: not available, with the nearest free ones', async () => {
      const answer = await run(tools.checkAvailabilityTool, { ref, args: { service: LASER, date, time: '10:00' } });
      expect(answer.content).toMatchObject({ available: false });
      expect((answer.content as any).slots.map((slot: any) => slot.time)).toEqual(['09:00', '11:00', '11:30']);
    });

    test('without a service, a time is free when some service can be booked then', async () => {
      const answer = await run(tools.checkAvailabilityTool, { ref, args: { date, time: '12:00' } });
      expect(answer.content).toMatchObject({ date, available: true });
      expect(answer.content).not.toHaveProperty('service');
    });

    test('suggestions: the first free times from a date', async () => {
      const answer = await run(tools.suggestSlotsTool, { ref, args: { service: LASER, from: date } });
      expect(answer.content).toMatchObject({ service: 'Depilación láser' });
      expect((answer.content as any).slots.map((slot: any) => `${slot.date} ${slot.time}`)).toEqual(
        [`${date} 09:00`, `${date} 11:00`, `${date} 11:30`, `${date} 12:00`, `${isoDate(monday.plus({ days: 1 }))} 09:00`],
      );
    });
  });

  test('in booking-link mode, creating a booking sends the link and writes nothing; availability still answers', async () => {
    const url = 'https://example.com/book';
    await seedBookingTenant(db.pool, 'link', policy({}, { bookingMode: 'link', bookingUrl: url }), [{ id: 'ana', serviceIds: [LASER] }]);
    expect(await book('link', 'alice', LASER, '10:00')).toEqual({ outcome: 'ok', content: { bookingUrl: url }, effects: { appointmentConfirmed: true } });
    expect(await rows('link')).toEqual([]);
    const availability = await run(tools.checkAvailabilityTool, { ref: customer('link', 'alice'), args: { service: LASER, date, time: '10:00' } });
    expect(availability.content).toMatchObject({ available: true });
  });

  test('a tenant without a schedule takes no bookings', async () => {
    await insertTenantIfAbsent(db.pool, { ...DEMO_TENANT, id: 'unscheduled' });
    expect((await book('unscheduled', 'alice', LASER, '10:00')).content).toMatchObject({ error: 'no_schedule' });
  });
});
