import type { BookingSummary, SlotOffer } from '../../src/domain/booking';
import type { ModelMessage } from '../../src/domain/model-turn';
import { freeAt, offlineBooking, offlineTurn, reply, slotIn, user, type FakeTools } from '../helpers/offline-turn';

// Monday 23 November 2026, 10:00 in Buenos Aires: "el martes" is the 24th, "el jueves" the 26th.
const NOW = '2026-11-23T13:00:00Z';
const ZONE = 'America/Argentina/Buenos_Aires';
const TUESDAY = '2026-11-24';
const WEDNESDAY = '2026-11-25';
const THURSDAY = '2026-11-26';

const slot = (date: string, time: string): SlotOffer => slotIn(ZONE, date, time);

function booking(id: string, service: string, serviceId: string, date: string, time: string): BookingSummary {
  return { ...slot(date, time), id, serviceId, service, status: 'held' };
}

const LASER = booking('5b0f3c1e-8a4d-4c4e-9a57-3f1f6c2d9a01', 'Depilación láser', 'laser', TUESDAY, '10:00');
const MASSAGE = booking('9d2e7b44-1c3a-4f0e-8b6d-2a5c7e9f1b02', 'Masaje descontracturante', 'masaje', WEDNESDAY, '17:00');

/** One customer turn, as the workflow runs it (see offlineTurn). */
const turn = (history: ModelMessage[], said: string, tools: FakeTools = {}, language: 'es' | 'en' = 'es') =>
  offlineTurn({ now: NOW, zone: ZONE, language }, history, said, tools);
/** A booking's two turns: the time checked and summarised, then the customer's yes (see offlineBooking). */
const askThenBook = (history: ModelMessage[], said: string, tools: FakeTools, yes = 'sí') =>
  offlineBooking({ now: NOW, zone: ZONE }, history, said, tools, yes);

/** A create_booking that books whatever it is asked. */
const books = (service = 'Depilación láser') => (args: any) => ({
  booking: { ...booking(LASER.id, service, 'laser', args.date, args.time), status: 'confirmed' },
});
const freeOn = (date: string, times: string[]) => () => ({ date, available: true, slots: times.map((time) => slot(date, time)) });
/** A check_availability that finds the time asked free for that service. */
const free = (service = 'Depilación láser') => freeAt(ZONE, service);

describe('availability, then booking', () => {
  test('es: asks what is free on Tuesday, lists the times, asks to confirm the one picked, then books it on sí', () => {
    const asked = turn([], '¿tienen turno el martes para depilación?', { check_availability: freeOn(TUESDAY, ['09:00', '09:30', '10:00']) });
    expect(asked.calls).toEqual([{ name: 'check_availability', args: { service: 'depilación', date: TUESDAY } }]);
    expect(asked.text).toContain('martes 24 de noviembre: 09:00, 09:30, 10:00');
    expect(asked.text).toMatch(/¿Cuál prefieres\?/);

    const picked = askThenBook(asked.history, 'a las 10', { check_availability: free(), create_booking: books() });
    expect(picked.summary.calls).toEqual([{ name: 'check_availability', args: { service: 'depilación', date: TUESDAY, time: '10:00' } }]);
    expect(picked.summary.text).toBe('¡Sí! El martes 24 de noviembre a las 10:00 está libre para Depilación láser. ¿Te lo reservo?');
    expect(picked.booked.calls).toEqual([{ name: 'create_booking', args: { service: 'depilación', date: TUESDAY, time: '10:00' } }]);
    expect(picked.booked.text).toContain('Depilación láser');
    expect(picked.booked.text).toContain('martes 24 de noviembre, 10:00');
  });

  test('es: "la primera" picks the first time listed; a "sí" to its summary books it', () => {
    const asked = turn([], '¿tienen turno el martes para depilación?', { check_availability: freeOn(TUESDAY, ['09:00', '09:30']) });
    const picked = askThenBook(asked.history, 'la primera', { check_availability: free(), create_booking: books() });
    expect(picked.summary.calls).toEqual([{ name: 'check_availability', args: { service: 'depilación', date: TUESDAY, time: '09:00' } }]);
    expect(picked.summary.text).toMatch(/martes 24 de noviembre a las 09:00 está libre para Depilación láser\. ¿Te lo reservo\?$/);
    expect(picked.booked.calls).toEqual([{ name: 'create_booking', args: { service: 'depilación', date: TUESDAY, time: '09:00' } }]);
  });

  test('es: asked with a time, it checks that time; a "sí" books it', () => {
    const free = () => ({ date: TUESDAY, available: true, slots: [slot(TUESDAY, '10:00')] });
    const asked = turn([], '¿hay lugar mañana a las 10 para limpieza facial?', { check_availability: free });
    expect(asked.calls).toEqual([{ name: 'check_availability', args: { service: 'limpieza facial', date: TUESDAY, time: '10:00' } }]);
    expect(asked.text).toMatch(/martes 24 de noviembre a las 10:00 está libre\. ¿Te lo reservo\?/);

    const yes = turn(asked.history, 'sí, dale', { create_booking: books('Limpieza facial') });
    expect(yes.calls).toEqual([{ name: 'create_booking', args: { service: 'limpieza facial', date: TUESDAY, time: '10:00' } }]);
    expect(yes.text).toContain('Limpieza facial');
  });

  test('es: words that are no answer to the list of times leave the dialog alone', () => {
    const asked = turn([], '¿tienen turno el martes para depilación?', { check_availability: freeOn(TUESDAY, ['09:00']) });
    const thanks = turn(asked.history, 'gracias, lo pienso');
    expect(thanks.calls).toEqual([]);
    expect(thanks.text).not.toMatch(/✅/);
  });

  test('es: a taken time offers the nearest ones', () => {
    const taken = () => ({ date: TUESDAY, available: false, slots: [slot(TUESDAY, '11:00'), slot(TUESDAY, '11:30')] });
    const asked = turn([], '¿tienen disponibilidad el martes a las 10 para masaje?', { check_availability: taken });
    expect(asked.text).toMatch(/a las 10:00 no está disponible/);
    expect(asked.text).toContain('11:00, 11:30');
  });

  test('es: a full day asks for another', () => {
    const full = () => ({ date: TUESDAY, available: false, slots: [] });
    const asked = turn([], '¿tienen turno el martes para masaje?', { check_availability: full });
    expect(asked.text).toMatch(/ya no me quedan horarios libres\. ¿Qué día y hora te quedan bien\?/);
    const other = turn(asked.history, 'el jueves', { check_availability: freeOn(THURSDAY, ['15:00']) });
    expect(other.calls[0].args).toEqual({ service: 'masaje', date: THURSDAY });
  });

  test('en: availability on Tuesday for a facial, then "at 3 pm" is summarised, and "yes" books it', () => {
    const asked = turn([], 'Do you have availability on Tuesday for a facial?', { check_availability: freeOn(TUESDAY, ['14:00', '15:00']) }, 'es');
    expect(asked.calls).toEqual([{ name: 'check_availability', args: { service: 'facial', date: TUESDAY } }]);
    expect(asked.text).toContain('Tuesday, November 24: 14:00, 15:00');
    expect(asked.text).toMatch(/Which one suits you\?/);

    const picked = askThenBook(asked.history, 'at 3 pm please', { check_availability: free('Limpieza facial'), create_booking: books('Limpieza facial') }, 'yes');
    expect(picked.summary.calls).toEqual([{ name: 'check_availability', args: { service: 'facial', date: TUESDAY, time: '15:00' } }]);
    expect(picked.summary.text).toBe('Yes! Tuesday, November 24 at 15:00 is free for Limpieza facial. Shall I book it for you?');
    expect(picked.booked.calls).toEqual([{ name: 'create_booking', args: { service: 'facial', date: TUESDAY, time: '15:00' } }]);
    expect(picked.booked.text).toMatch(/You're booked for Limpieza facial on Tuesday, November 24 at 15:00/);
  });
});

describe('booking', () => {
  test('es: service, day and time in one message: it asks to confirm, then books on sí', () => {
    const { summary, booked } = askThenBook([], 'quiero reservar depilación láser el martes a las 10', { check_availability: free(), create_booking: books() });
    expect(summary.calls).toEqual([{ name: 'check_availability', args: { service: 'depilación láser', date: TUESDAY, time: '10:00' } }]);
    expect(summary.text).toBe('¡Sí! El martes 24 de noviembre a las 10:00 está libre para Depilación láser. ¿Te lo reservo?');
    expect(booked.calls).toEqual([{ name: 'create_booking', args: { service: 'depilación láser', date: TUESDAY, time: '10:00' } }]);
    expect(booked.text).toMatch(/Te reservé Depilación láser para el martes 24 de noviembre, 10:00/);
  });

  test.each(['no', 'mejor no'])('es: nothing is booked before a yes: the summary waits, and %j books nothing and asks for another time', (no) => {
    const asked = turn([], 'quiero reservar depilación láser el martes a las 10', { check_availability: free() });
    expect(asked.calls).toEqual([{ name: 'check_availability', args: { service: 'depilación láser', date: TUESDAY, time: '10:00' } }]);
    expect(asked.text).toMatch(/¿Te lo reservo\?$/);
    expect(asked.text).not.toMatch(/✅/);
    const declined = turn(asked.history, no, { check_availability: free(), create_booking: books() });
    expect(declined.calls).toEqual([]);
    expect(declined.text).toBe('De acuerdo, no lo reservo. ¿Qué día y hora te quedan bien?');
    // The service is still the one asked about: a day and time now are checked for it.
    const other = turn(declined.history, 'el miércoles a las 11', { check_availability: free() });
    expect(other.calls).toEqual([{ name: 'check_availability', args: { service: 'depilación láser', date: '2026-11-25', time: '11:00' } }]);
  });

  test('es: "sí, pero a las 11" to the summary checks 11:00 and asks again; "sí" books 11:00', () => {
    const asked = turn([], 'quiero reservar depilación láser el martes a las 10', { check_availability: free() });
    const changed = askThenBook(asked.history, 'sí, pero a las 11', { check_availability: free(), create_booking: books() });
    expect(changed.summary.calls).toEqual([{ name: 'check_availability', args: { service: 'depilación láser', date: TUESDAY, time: '11:00' } }]);
    expect(changed.summary.text).toBe('¡Sí! El martes 24 de noviembre a las 11:00 está libre para Depilación láser. ¿Te lo reservo?');
    expect(changed.booked.calls).toEqual([{ name: 'create_booking', args: { service: 'depilación láser', date: TUESDAY, time: '11:00' } }]);
    expect(changed.booked.text).toMatch(/Te reservé Depilación láser para el martes 24 de noviembre, 11:00/);
  });

  test('en: the summary and the booking name the service as English speakers read it', () => {
    const english = { en: 'Laser hair removal' };
    const tools = {
      check_availability: freeAt(ZONE, 'Depilación láser', english),
      create_booking: (args: any) => ({ booking: { ...books('Depilación láser')(args).booking, serviceNames: english } }),
    };
    const { summary, booked } = askThenBook([], "I'd like to book laser hair removal on Tuesday at 10am", tools, 'yes');
    expect(summary.calls).toEqual([{ name: 'check_availability', args: { service: 'laser hair removal', date: TUESDAY, time: '10:00' } }]);
    expect(summary.text).toBe('Yes! Tuesday, November 24 at 10:00 is free for Laser hair removal. Shall I book it for you?');
    expect(booked.calls).toEqual([{ name: 'create_booking', args: { service: 'laser hair removal', date: TUESDAY, time: '10:00' } }]);
    expect(booked.text).toMatch(/You're booked for Laser hair removal on Tuesday, November 24 at 10:00/);
    expect(`${summary.text}\n${booked.text}`).not.toMatch(/Depilación/);
  });

  test('en: "I\'d like to book a laser hair removal on Tuesday at 3 pm" is summarised in English; "yes" books it', () => {
    const { summary, booked } = askThenBook([], "I'd like to book a laser hair removal on Tuesday at 3 pm", { check_availability: free(), create_booking: books() }, 'yes');
    expect(summary.calls).toEqual([{ name: 'check_availability', args: { service: 'laser hair removal', date: TUESDAY, time: '15:00' } }]);
    expect(summary.text).toBe('Yes! Tuesday, November 24 at 15:00 is free for Depilación láser. Shall I book it for you?');
    expect(booked.calls).toEqual([{ name: 'create_booking', args: { service: 'laser hair removal', date: TUESDAY, time: '15:00' } }]);
    expect(booked.text).toMatch(/^✅ Done! You're booked/);
  });

  test('es: missing pieces are asked for, and the answers add up', () => {
    const start = turn([], 'Hola, quiero un turno');
    expect(start.calls).toEqual([]);
    expect(start.text).toMatch(/¿Para qué servicio sería\?/);

    const suggestions = () => ({ service: 'Depilación láser', slots: [slot(TUESDAY, '09:00'), slot(TUESDAY, '09:30'), slot(WEDNESDAY, '14:00')] });
    const service = turn(start.history, 'depilación láser', { suggest_slots: suggestions });
    expect(service.calls).toEqual([{ name: 'suggest_slots', args: { service: 'depilación láser' } }]);
    expect(service.text).toContain('• martes 24 de noviembre: 09:00, 09:30\n• miércoles 25 de noviembre: 14:00');

    const picked = askThenBook(service.history, 'el último', { check_availability: free(), create_booking: books() });
    expect(picked.summary.calls).toEqual([{ name: 'check_availability', args: { service: 'depilación láser', date: WEDNESDAY, time: '14:00' } }]);
    expect(picked.summary.text).toMatch(/miércoles 25 de noviembre a las 14:00 está libre para Depilación láser\. ¿Te lo reservo\?$/);
    expect(picked.booked.calls).toEqual([{ name: 'create_booking', args: { service: 'depilación láser', date: WEDNESDAY, time: '14:00' } }]);
  });

  test('es: the service from an earlier price question carries over', () => {
    const history = [user('¿cuánto sale la depilación láser?'), reply('Depilación láser cuesta $ 25.000 y dura 45 min. ¿Te ayudo con algo más?')];
    const asked = turn(history, 'genial, ¿tienen turno mañana?', { check_availability: freeOn(TUESDAY, ['09:00']) });
    expect(asked.calls[0].args).toEqual({ service: 'depilación láser', date: TUESDAY });
  });

  test('es: a time taken before the sí offers the alternatives; "la primera" is summarised, and a sí books it', () => {
    const taken = () => ({ error: 'slot_taken', message: 'taken', alternatives: [slot(TUESDAY, '10:30'), slot(TUESDAY, '11:00')] });
    const first = askThenBook([], 'quiero reservar depilación el martes a las 10', { check_availability: free(), create_booking: taken }).booked;
    expect(first.calls).toEqual([{ name: 'create_booking', args: { service: 'depilación', date: TUESDAY, time: '10:00' } }]);
    expect(first.text).toMatch(/se acaba de ocupar/);
    expect(first.text).toContain('martes 24 de noviembre: 10:30, 11:00');
    expect(first.text).not.toMatch(/✅/);

    const again = askThenBook(first.history, 'la primera', { check_availability: free(), create_booking: books() });
    expect(again.summary.calls[0].args).toEqual({ service: 'depilación', date: TUESDAY, time: '10:30' });
    expect(again.booked.calls[0].args).toEqual({ service: 'depilación', date: TUESDAY, time: '10:30' });
  });

  test('es: after a booking, a new one starts afresh', () => {
    const done = askThenBook([], 'quiero reservar depilación el martes a las 10', { check_availability: free(), create_booking: books() }).booked;
    expect(done.text).toMatch(/^✅/);
    const next = turn(done.history, 'quiero otro turno');
    expect(next.calls).toEqual([]);
    expect(next.text).toMatch(/¿Para qué servicio sería\?/);
    expect(turn(done.history, 'gracias!').text).toMatch(/Con gusto/);
  });

  test('es: an unknown service offers the catalogue; a "sí" lists it', () => {
    const unknown = () => ({ error: 'unknown_service', message: 'no such service' });
    const asked = turn([], 'quiero un turno de botox el martes a las 10', { check_availability: unknown });
    expect(asked.text).toMatch(/No encontré «botox»/);
    const yes = turn(asked.history, 'sí', { search_services: () => ({ services: [] }) });
    expect(yes.calls).toEqual([{ name: 'search_services', args: {} }]);
  });

  test('es: a day closed by the time of the sí, without alternatives, asks for another; no schedule offers a person', () => {
    const closed = askThenBook([], 'quiero reservar masaje el domingo a las 10', {
      check_availability: free('Masaje descontracturante'),
      create_booking: () => ({ error: 'closed', message: 'closed' }),
    }).booked;
    expect(closed.calls).toEqual([{ name: 'create_booking', args: { service: 'masaje', date: '2026-11-29', time: '10:00' } }]);
    expect(closed.text).toMatch(/no atendemos\. ¿Qué día y hora te quedan bien\?/);
    const noSchedule = turn([], 'quiero reservar masaje el martes a las 10', { check_availability: () => ({ error: 'no_schedule', message: '' }) });
    expect(noSchedule.text).toMatch(/persona del equipo/);
  });

  test('booking-link mode sends the link', () => {
    const link = () => ({ bookingUrl: 'https://reservas.example.test/clinica' });
    // The availability tools still answer in link mode: the link comes when the customer says yes.
    expect(askThenBook([], 'quiero reservar depilación el martes a las 10', { check_availability: free(), create_booking: link }).booked.text).toBe(
      'Puedes reservar aquí: https://reservas.example.test/clinica',
    );
    expect(turn([], 'Can I book a massage?', { suggest_slots: link }).text).toBe('You can book here: https://reservas.example.test/clinica');
  });

  test('a tool that failed gets an apology and the offer of a person', () => {
    const down = () => ({ error: 'This tool is not working right now.' });
    expect(turn([], 'quiero reservar depilación el martes a las 10', { check_availability: down }).text).toMatch(/Perdona.*persona/);
    const { booked } = askThenBook([], 'quiero reservar depilación el martes a las 10', { check_availability: free(), create_booking: down });
    expect(booked.calls).toEqual([{ name: 'create_booking', args: { service: 'depilación', date: TUESDAY, time: '10:00' } }]);
    expect(booked.text).toMatch(/Perdona.*persona/);
  });
});

describe('rescheduling', () => {
  test('es: one booking is moved straight to the day and time asked', () => {
    const moved = (args: any) => ({ booking: booking(LASER.id, LASER.service, 'laser', args.date, args.time) });
    const done = turn([], 'quiero cambiar mi turno al jueves a las 16', {
      list_my_bookings: () => ({ bookings: [LASER] }),
      reschedule_booking: moved,
    });
    expect(done.calls).toEqual([
      { name: 'list_my_bookings', args: {} },
      { name: 'reschedule_booking', args: { booking_id: LASER.id, date: THURSDAY, time: '16:00' } },
    ]);
    expect(done.text).toMatch(/pasé tu cita de Depilación láser al jueves 26 de noviembre, 16:00/);
  });

  test('es: with several bookings it asks which, then moves that one', () => {
    const list = () => ({ bookings: [LASER, MASSAGE] });
    const asked = turn([], 'quiero cambiar mi turno al jueves a las 16', { list_my_bookings: list });
    expect(asked.text).toContain('• Depilación láser: martes 24 de noviembre, 10:00');
    expect(asked.text).toContain('• Masaje descontracturante: miércoles 25 de noviembre, 17:00');
    expect(asked.text).toMatch(/¿Cuál quieres cambiar\?/);

    const moved = (args: any) => ({ booking: booking(MASSAGE.id, MASSAGE.service, 'masaje', args.date, args.time) });
    const chosen = turn(asked.history, 'el del miércoles', { list_my_bookings: list, reschedule_booking: moved });
    expect(chosen.calls[1]).toEqual({ name: 'reschedule_booking', args: { booking_id: MASSAGE.id, date: THURSDAY, time: '16:00' } });
  });

  test('es: "del martes al jueves" moves the Tuesday booking', () => {
    const moved = (args: any) => ({ booking: booking(LASER.id, LASER.service, 'laser', args.date, args.time) });
    const done = turn([], 'quiero pasar mi turno del martes al jueves a las 16', {
      list_my_bookings: () => ({ bookings: [LASER, MASSAGE] }),
      reschedule_booking: moved,
    });
    expect(done.calls[1].args).toEqual({ booking_id: LASER.id, date: THURSDAY, time: '16:00' });
  });

  test('es: without a new time, it asks; a day gets its free times; the time picked moves it', () => {
    const list = () => ({ bookings: [LASER] });
    const asked = turn([], 'necesito reprogramar mi cita', { list_my_bookings: list });
    expect(asked.text).toMatch(/Tu cita de Depilación láser es el martes 24 de noviembre, 10:00\. ¿Qué día y hora te quedan bien\?/);

    const day = turn(asked.history, 'el jueves', { list_my_bookings: list, check_availability: freeOn(THURSDAY, ['15:00', '16:00']) });
    expect(day.calls).toEqual([
      { name: 'list_my_bookings', args: {} },
      { name: 'check_availability', args: { service: 'laser', date: THURSDAY } },
    ]);
    expect(day.text).toContain('jueves 26 de noviembre: 15:00, 16:00');

    const moved = (args: any) => ({ booking: booking(LASER.id, LASER.service, 'laser', args.date, args.time) });
    const time = turn(day.history, 'a las 16', { list_my_bookings: list, reschedule_booking: moved });
    expect(time.calls[1]).toEqual({ name: 'reschedule_booking', args: { booking_id: LASER.id, date: THURSDAY, time: '16:00' } });
  });

  test('en: "Can I move my appointment to Thursday at 4pm?"', () => {
    const moved = (args: any) => ({ booking: booking(LASER.id, LASER.service, 'laser', args.date, args.time) });
    const done = turn([], 'Can I move my appointment to Thursday at 4pm?', {
      list_my_bookings: () => ({ bookings: [LASER] }),
      reschedule_booking: moved,
    }, 'es');
    expect(done.calls[1].args).toEqual({ booking_id: LASER.id, date: THURSDAY, time: '16:00' });
    expect(done.text).toMatch(/your Depilación láser appointment is now on Thursday, November 26 at 16:00/);
  });

  test('es: a slot taken while moving offers the alternatives, and the one picked is moved to', () => {
    const list = () => ({ bookings: [LASER] });
    const taken = () => ({ error: 'slot_taken', message: 'taken', alternatives: [slot(THURSDAY, '16:30')] });
    const first = turn([], 'quiero cambiar mi turno al jueves a las 16', { list_my_bookings: list, reschedule_booking: taken });
    expect(first.text).toMatch(/se acaba de ocupar/);
    const moved = (args: any) => ({ booking: booking(LASER.id, LASER.service, 'laser', args.date, args.time) });
    const again = turn(first.history, 'la primera', { list_my_bookings: list, reschedule_booking: moved });
    expect(again.calls[1].args).toEqual({ booking_id: LASER.id, date: THURSDAY, time: '16:30' });
  });
});

describe('cancelling', () => {
  const cancelled = (booked: BookingSummary) => () => ({ booking: { ...booked, status: 'cancelled' } });

  test.each(['quiero cancelar mi turno', 'cancelar'])('es: %j cancels the one booking', (said) => {
    const done = turn([], said, { list_my_bookings: () => ({ bookings: [LASER] }), cancel_booking: cancelled(LASER) });
    expect(done.calls).toEqual([
      { name: 'list_my_bookings', args: {} },
      { name: 'cancel_booking', args: { booking_id: LASER.id } },
    ]);
    expect(done.text).toMatch(/cancelé tu cita de Depilación láser del martes 24 de noviembre, 10:00/);
  });

  test('es: with several, it asks which; "la segunda" cancels the second', () => {
    const list = () => ({ bookings: [LASER, MASSAGE] });
    const asked = turn([], 'quiero cancelar mi turno', { list_my_bookings: list });
    expect(asked.calls).toEqual([{ name: 'list_my_bookings', args: {} }]);
    expect(asked.text).toMatch(/¿Cuál quieres cancelar\?/);
    const chosen = turn(asked.history, 'la segunda', { list_my_bookings: list, cancel_booking: cancelled(MASSAGE) });
    expect(chosen.calls[1]).toEqual({ name: 'cancel_booking', args: { booking_id: MASSAGE.id } });
  });

  test('es: naming the service picks the booking at once', () => {
    const done = turn([], 'quiero cancelar el masaje', {
      list_my_bookings: () => ({ bookings: [LASER, MASSAGE] }),
      cancel_booking: cancelled(MASSAGE),
    });
    expect(done.calls[1].args).toEqual({ booking_id: MASSAGE.id });
  });

  test('cancelled bookings are not upcoming ones; none left says so', () => {
    const done = turn([], 'I need to cancel my appointment', { list_my_bookings: () => ({ bookings: [{ ...LASER, status: 'cancelled' }] }) }, 'es');
    expect(done.calls).toHaveLength(1);
    expect(done.text).toMatch(/couldn't find any upcoming appointments/);
  });

  test('en: cancels and says so in English', () => {
    const done = turn([], 'I need to cancel my appointment', { list_my_bookings: () => ({ bookings: [LASER] }), cancel_booking: cancelled(LASER) }, 'es');
    expect(done.text).toMatch(/^✅ Done: I cancelled your Depilación láser appointment/);
  });

  test('a request for a person wins over cancelling', () => {
    expect(turn([], 'quiero cancelar, pasame con una persona', { escalate_to_human: () => ({ handedOver: true }) }).calls).toMatchObject([
      { name: 'escalate_to_human' },
    ]);
  });
});

describe('answers to a reminder', () => {
  const reminder = reply(
    'Recordatorio: tu turno de Depilación láser es mañana, martes 24 de noviembre a las 10:00. ' +
      'Responde «confirmo» para confirmarlo o «cancelar» para cancelarlo.',
  );
  const confirmed = () => ({ booking: { ...LASER, status: 'confirmed' } });
  test.each([
    ['es', 'sí, confirmo', /Gracias por confirmar! Te esperamos el martes 24 de noviembre, 10:00 para Depilación láser/],
    ['es', 'Confirmo', /Gracias por confirmar/],
    ['en', 'confirm', /Thanks for confirming! See you on Tuesday, November 24 at 10:00/],
  ])('%s: %j confirms the booking', (_language, said, thanks) => {
    const done = turn([reminder], said, { list_my_bookings: () => ({ bookings: [LASER] }), confirm_booking: confirmed });
    expect(done.calls).toEqual([
      { name: 'list_my_bookings', args: {} },
      { name: 'confirm_booking', args: { booking_id: LASER.id } },
    ]);
    expect(done.text).toMatch(thanks);
  });

  test('«cancelar» cancels it', () => {
    const done = turn([reminder], 'cancelar', {
      list_my_bookings: () => ({ bookings: [LASER] }),
      cancel_booking: () => ({ booking: { ...LASER, status: 'cancelled' } }),
    });
    expect(done.calls[1]).toEqual({ name: 'cancel_booking', args: { booking_id: LASER.id } });
  });
});

describe("the customer's bookings", () => {
  test.each([
    ['mis turnos', /Estas son tus próximas citas:\n• Depilación láser: martes 24 de noviembre, 10:00\n• Masaje/],
    ['my appointments', /These are your upcoming appointments:\n• Depilación láser/],
  ])('%j lists them', (said, list) => {
    const done = turn([], said, { list_my_bookings: () => ({ bookings: [LASER, MASSAGE] }) });
    expect(done.calls).toEqual([{ name: 'list_my_bookings', args: {} }]);
    expect(done.text).toMatch(list);
  });

  test('after the list, "cancelá la segunda" cancels the second', () => {
    const list = () => ({ bookings: [LASER, MASSAGE] });
    const listed = turn([], '¿cuáles son mis turnos?', { list_my_bookings: list });
    const done = turn(listed.history, 'cancelá la segunda', {
      list_my_bookings: list,
      cancel_booking: () => ({ booking: { ...MASSAGE, status: 'cancelled' } }),
    });
    expect(done.calls[1]).toEqual({ name: 'cancel_booking', args: { booking_id: MASSAGE.id } });
  });
});

test('the other intents still answer: services, greeting, courtesy, business info', () => {
  expect(turn([], '¿cuánto sale el masaje?', { search_services: () => ({ services: [] }) }).calls[0].name).toBe('search_services');
  expect(turn([], 'Hola!').text).toMatch(/reservar, cambiar o cancelar/);
  expect(turn([], 'muchas gracias').text).toMatch(/Con gusto/);
  expect(turn([], '¿Qué horario tienen?').text).toMatch(/No tengo ese dato/);
});
