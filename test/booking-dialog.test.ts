import { DateTime } from 'luxon';
import { appointmentStateQuery } from '../src/workflows';
import { policy, seedBookingTenant, weekdayAhead, ZONE } from './helpers/booking-fixtures';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';


describe('booking through the web chat with the offline model', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  const say = async (sessionId: string, message: string): Promise<string> => {
    const response = await stack.request('POST', '/api/chat', { session_id: sessionId, message });
    expect(response.status).toBe(200);
    return String(response.body.reply).replace(/\u00a0/g, ' ');
  };
  const bookingsOf = async (contactId: string) =>
    (
      await stack.db.pool.query(
        `SELECT id, status, starts_at, service_id FROM bookings WHERE tenant_id = 'demo' AND contact_id = $1 ORDER BY created_at`,
        [contactId],
      )
    ).rows as { id: string; status: string; starts_at: Date; service_id: string }[];
  /** The appointment workflow follows the database: same start, or done once cancelled. */
  const workflowAgrees = async (booking: { id: string; status: string; starts_at: Date }) => {
    const handle = stack.client.workflow.getHandle(`appointment:${booking.id}`);
    if (booking.status === 'cancelled') {
      await waitFor('the appointment workflow to finish', async () => (await handle.describe()).status.name === 'COMPLETED');
      return;
    }
    await waitFor('the appointment workflow to follow the booking', async () => {
      const state = await handle.query(appointmentStateQuery);
      return state.start === booking.starts_at.toISOString() && state.reminders.length > 0;
    });
  };

  test.each([
    {
      language: 'Spanish',
      session: 'dialog-es',
      ask: (day: DateTime) => `¿Tienen turno el ${day.toFormat('d/M')} para depilación láser?`,
      book: 'Quiero reservar a las 10',
      yes: 'sí',
      move: (day: DateTime) => `Quiero cambiar mi turno al ${day.toFormat('d/M')} a las 11`,
      cancel: 'Quiero cancelar mi turno',
      thanks: '¡Gracias! 👍',
      service: 'depilacion-laser',
    },
    {
      language: 'English',
      session: 'dialog-en',
      ask: (day: DateTime) => `Do you have availability on ${day.setLocale('en').toFormat('MMMM d')} for a chemical peel?`,
      book: 'Please book it at 10 am',
      yes: 'yes please',
      move: (day: DateTime) => `Can I move my appointment to ${day.setLocale('en').toFormat('MMMM d')} at 11 am?`,
      cancel: 'Please cancel my appointment',
      thanks: 'Thanks!',
      service: 'peeling-quimico',
    },
  ])('$language: availability, book, reschedule, cancel — the database and the appointment workflow agree', async (script) => {
    const first = weekdayAhead(2);
    const second = weekdayAhead(first.diff(DateTime.now().setZone(ZONE).startOf('day'), 'days').days + 1);

    const availability = await say(script.session, script.ask(first));
    expect(availability).toContain('10:00');
    expect(await bookingsOf(script.session)).toEqual([]);

    // Nothing is booked before the customer says yes to the summary.
    expect(await say(script.session, script.book)).toMatch(/10:00/);
    expect(await bookingsOf(script.session)).toEqual([]);
    const booked = await say(script.session, script.yes);
    expect(booked).toMatch(/10:00/);
    const [created] = await bookingsOf(script.session);
    expect(created).toMatchObject({ status: 'confirmed', service_id: script.service });
    expect(created!.starts_at.toISOString()).toBe(first.set({ hour: 10 }).toUTC().toISO({ suppressMilliseconds: false }));
    await workflowAgrees(created!);

    // Smart ending: with the appointment confirmed, a bare thank-you needs no answer.
    const thanks = await stack.request('POST', '/api/chat', { session_id: script.session, message: script.thanks });
    expect(thanks.body).toMatchObject({ reply: null, status: 'courtesy' });

    const moved = await say(script.session, script.move(second));
    expect(moved).toMatch(/11:00/);
    const [rescheduled] = await bookingsOf(script.session);
    expect(rescheduled!.id).toBe(created!.id);
    expect(rescheduled!.starts_at.toISOString()).toBe(second.set({ hour: 11 }).toUTC().toISO());
    await workflowAgrees(rescheduled!);

    await say(script.session, script.cancel);
    const [cancelled] = await bookingsOf(script.session);
    expect(cancelled).toMatchObject({ id: created!.id, status: 'cancelled' });
    await workflowAgrees(cancelled!);
  }, 60_000);
});

test("booking-link mode: the assistant sends the business's booking page, books nothing, and the chat may end there", async () => {
  const stack = await startTestStack();
  try {
    const bookingUrl = 'https://reservas.example.com/clinica-link';
    await seedBookingTenant(stack.db.pool, 'clinica-link', policy({}, { bookingMode: 'link', bookingUrl }), [
      { id: 'eva', serviceIds: ['depilacion-laser'] },
    ]);
    const chat = (message: string) => stack.request('POST', '/api/chat', { tenant: 'clinica-link', session_id: 'link-1', message });
    const day = weekdayAhead(3);
    await chat(`Quiero reservar depilación láser el ${day.toFormat('d/M')} a las 10`);
    const answer = await chat('sí');
    expect(answer.body.reply).toContain(bookingUrl);
    expect((await stack.db.pool.query('SELECT count(*)::int AS n FROM bookings')).rows[0].n).toBe(0);
    expect((await chat('Perfecto, gracias')).body).toMatchObject({ reply: null, status: 'courtesy' });
  } finally {
    await stack.stop();
  }
});
