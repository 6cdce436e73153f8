import type { BookingSummary, SlotOffer } from '../../src/domain/booking';
import type { ModelMessage } from '../../src/domain/model-turn';
import { freeAt, offlineBooking, offlineTurn, reply, slotIn, user, type FakeTools, type OfflineClock } from '../helpers/offline-turn';

// Monday 30 November 2026, 09:00 in Buenos Aires.
const NOW = '2026-11-30T12:00:00Z';
const ZONE = 'America/Argentina/Buenos_Aires';
const MONDAY = '2026-11-30';
const WEDNESDAY = '2026-12-02';
const THURSDAY = '2026-12-03';
const FRIDAY = '2026-12-04';
const SATURDAY = '2026-12-05';

const BOOKING_ID = '5b0f3c1e-8a4d-4c4e-9a57-3f1f6c2d9a01';
const LASER_SEARCH = {
  services: [{ id: 'laser', name: 'Depilación láser', description: 'Depilación definitiva con láser de diodo, por zona. Laser hair removal.', durationMinutes: 45, price: 25_000, currency: 'ARS' }],
};

const slot = (date: string, time: string): SlotOffer => slotIn(ZONE, date, time);
function booking(service: string, date: string, time: string): BookingSummary {
  return { ...slot(date, time), id: BOOKING_ID, serviceId: 'svc', service, status: 'confirmed' };
}

const turn = (history: ModelMessage[], said: string, tools: FakeTools = {}) => offlineTurn({ now: NOW, zone: ZONE }, history, said, tools);
/** A booking's two turns: the time checked and summarised, then the customer's yes (see offlineBooking). */
const askThenBook = (history: ModelMessage[], said: string, tools: FakeTools, yes = 'sí') =>
  offlineBooking({ now: NOW, zone: ZONE }, history, said, tools, yes);

const freeOn = (date: string, times: string[]) => () => ({ date, available: true, slots: times.map((time) => slot(date, time)) });
const checked = (args: any) => ({ date: args.date, available: true, slots: ['09:00', '10:00', '11:00', '15:00', '16:00', '18:00'].map((time) => slot(args.date, time)) });
const books = (service: string) => (args: any) => ({ booking: booking(service, args.date, args.time) });
/** The check and the booking of that service, the time asked free. */
const bookable = (service: string): FakeTools => ({ check_availability: freeAt(ZONE, service), create_booking: books(service) });
const names = (calls: { name: string }[]) => calls.map((call) => call.name);

describe('days and times as customers write them', () => {
  test('"el 9 a las 11 tenes?" after times were offered on the 30th asks about the 9th, never the 30th', () => {
    const offered = turn([], 'quiero turno para depilación', { suggest_slots: () => ({ service: 'Depilación láser', slots: [slot(MONDAY, '11:00'), slot(MONDAY, '12:00')] }) });
    const asked = turn(offered.history, 'el 9 a las 11 tenes?', { check_availability: checked });
    expect(asked.calls).toEqual([{ name: 'check_availability', args: { service: 'depilación', date: '2026-12-09', time: '11:00' } }]);
  });

  test('a day not understood never books an offered one', () => {
    const offered = turn([], 'quiero turno para depilación', { suggest_slots: () => ({ service: 'Depilación láser', slots: [slot(MONDAY, '11:00'), slot(MONDAY, '12:00')] }) });
    const unclear = turn(offered.history, 'el 40 a las 11', { check_availability: checked, suggest_slots: () => ({ service: 'x', slots: [] }) });
    expect(names(unclear.calls)).not.toContain('create_booking');
  });

  test('"hola tenes algo el sabado a la mañana para limpieza facial?" is a question about Saturday morning, not a greeting', () => {
    const asked = turn([], 'hola tenes algo el sabado a la mañana para limpieza facial?', { check_availability: checked });
    expect(asked.calls).toEqual([{ name: 'check_availability', args: { service: 'limpieza facial', date: SATURDAY } }]);
    expect(asked.text).toContain('09:00, 10:00, 11:00');
    expect(asked.text).not.toContain('15:00');
  });

  test('English: "hi, i\'d like laser hair removal on thursday january 7 at 3pm" is summarised, and "yes" books it, in English', () => {
    const { summary, booked } = askThenBook([], "hi, i'd like laser hair removal on thursday january 7 at 3pm", bookable('Depilación láser'), 'yes');
    expect(summary.calls).toEqual([{ name: 'check_availability', args: { service: 'laser hair removal', date: '2027-01-07', time: '15:00' } }]);
    expect(summary.text).toBe('Yes! Thursday, January 7 at 15:00 is free for Depilación láser. Shall I book it for you?');
    expect(booked.calls).toEqual([{ name: 'create_booking', args: { service: 'laser hair removal', date: '2027-01-07', time: '15:00' } }]);
    expect(booked.text).toMatch(/You're booked for Depilación láser on Thursday, January 7 at 15:00/);
  });

  test('"Quiero un masaje descontracturante el jueves 3 de diciembre a las 11:00" is a booking without the verb "reservar": summarised, then booked on "dale"', () => {
    const { summary, booked } = askThenBook([], 'Quiero un masaje descontracturante el jueves 3 de diciembre a las 11:00', bookable('Masaje descontracturante'), 'dale');
    expect(summary.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje descontracturante', date: THURSDAY, time: '11:00' } }]);
    expect(summary.text).toBe('¡Sí! El jueves 3 de diciembre a las 11:00 está libre para Masaje descontracturante. ¿Te lo reservo?');
    expect(booked.calls).toEqual([{ name: 'create_booking', args: { service: 'masaje descontracturante', date: THURSDAY, time: '11:00' } }]);
  });
});

describe("bare hours within the business's opening hours", () => {
  const openFrom = (start: string, end: string): OfflineClock => ({ now: NOW, zone: ZONE, openingHours: { start, end } });

  test('open 09:00 to 19:00: "a las 5" is 17:00, "a las 9" is 09:00', () => {
    const clock = openFrom('09:00', '19:00');
    const five = offlineTurn(clock, [], 'quiero masaje el jueves a las 5', { check_availability: checked });
    expect(five.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: THURSDAY, time: '17:00' } }]);
    const nine = offlineTurn(clock, five.history, 'a las 9', { check_availability: checked });
    expect(nine.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: THURSDAY, time: '09:00' } }]);
  });

  test('open 14:00 to 22:00: "a las 8" is 20:00, where without opening hours it is 08:00', () => {
    const late = offlineTurn(openFrom('14:00', '22:00'), [], 'quiero masaje el jueves a las 8', { check_availability: checked });
    expect(late.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: THURSDAY, time: '20:00' } }]);
    expect(turn([], 'quiero masaje el jueves a las 8', { check_availability: checked }).calls[0].args.time).toBe('08:00');
  });
});

describe('regional and typed phrasing', () => {
  test('"ya po, y tienen hora pal jueves?" after a price keeps the service', () => {
    const history = [user('cuánto sale la limpieza facial?'), reply('Limpieza facial cuesta $ 18.000 y dura 1 h. ¿Te ayudo con algo más?')];
    const asked = turn(history, 'ya po, y tienen hora pal jueves?', { check_availability: checked });
    expect(asked.calls).toEqual([{ name: 'check_availability', args: { service: 'limpieza facial', date: THURSDAY } }]);
  });

  test.each([
    ['wena, kiero hora pa limpiesa facial', 'limpiesa facial'],
    ['i wanna book a masage', 'masaje'],
  ])('%j asks for free times of %j', (said, service) => {
    const asked = turn([], said, { suggest_slots: () => ({ service: 'x', slots: [slot(THURSDAY, '10:00'), slot(THURSDAY, '11:00')] }) });
    expect(asked.calls).toEqual([{ name: 'suggest_slots', args: { service } }]);
  });

  test('"que turnos tengo?" lists the bookings', () => {
    const listed = turn([], 'que turnos tengo?', { list_my_bookings: () => ({ bookings: [booking('Masaje descontracturante', THURSDAY, '10:00')] }) });
    expect(listed.calls).toEqual([{ name: 'list_my_bookings', args: {} }]);
    expect(listed.text).toContain('Masaje descontracturante: jueves 3 de diciembre, 10:00');
  });

  test('"¿hacen depilación con cera?" gets a no and what is offered', () => {
    const answered = turn([], '¿hacen depilación con cera?', { search_services: () => LASER_SEARCH });
    expect(answered.text).toMatch(/^No, /);
    expect(answered.text).toContain('Depilación láser');
  });
});

describe('answers to its own offers', () => {
  const listed = () => turn([], '¿tienen turno el jueves para masaje?', { check_availability: freeOn(THURSDAY, ['09:00', '10:00', '11:00']) });

  test('"a las 10 puede ser?" asks to confirm the offered 10:00, then books it on sí', () => {
    const { summary, booked } = askThenBook(listed().history, 'a las 10 puede ser?', bookable('Masaje descontracturante'));
    expect(summary.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: THURSDAY, time: '10:00' } }]);
    expect(summary.text).toBe('¡Sí! El jueves 3 de diciembre a las 10:00 está libre para Masaje descontracturante. ¿Te lo reservo?');
    expect(booked.calls).toEqual([{ name: 'create_booking', args: { service: 'masaje', date: THURSDAY, time: '10:00' } }]);
  });

  test('"whats the latest you have that day?" shows the latest times of that day', () => {
    const later = turn(listed().history, 'whats the latest you have that day?', { check_availability: checked });
    expect(later.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: THURSDAY } }]);
    expect(later.text).toContain('18:00');
  });

  test('a 10 pm request on an open day is outside hours and offers that evening; "y a las 6 de la tarde?" takes the 18:00 offered, on a sí', () => {
    const evening = [slot(FRIDAY, '18:00'), slot(FRIDAY, '18:30')];
    const refused = turn([], 'quiero reservar masaje el viernes a las 22', {
      check_availability: () => ({ date: FRIDAY, service: 'Masaje descontracturante', available: false, closed: true, slots: evening }),
    });
    expect(refused.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: FRIDAY, time: '22:00' } }]);
    expect(refused.text).toMatch(/^A esa hora no atendemos\. Lo más cercano que tengo:\n• viernes 4 de diciembre: 18:00, 18:30/);
    // Taken rather than closed, it says so.
    const taken = turn([], 'quiero reservar masaje el viernes a las 17', {
      check_availability: () => ({ date: FRIDAY, service: 'Masaje descontracturante', available: false, slots: evening }),
    });
    expect(taken.text).toMatch(/^El viernes 4 de diciembre a las 17:00 no está disponible\. Lo más cercano que tengo:/);
    // A day the business does not open.
    const sunday = turn([], 'tenés turno el domingo para masaje?', {
      check_availability: () => ({ date: '2026-12-06', service: 'Masaje descontracturante', available: false, closed: true, slots: [slot('2026-12-07', '09:00')] }),
    });
    expect(sunday.text).toMatch(/^Ese día no atendemos\. Lo más cercano que tengo:\n• lunes 7 de diciembre: 09:00/);
    const again = askThenBook(refused.history, 'y a las 6 de la tarde?', bookable('Masaje descontracturante'));
    expect(again.summary.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: FRIDAY, time: '18:00' } }]);
    expect(again.booked.calls).toEqual([{ name: 'create_booking', args: { service: 'masaje', date: FRIDAY, time: '18:00' } }]);
    // Not offered, a time that day is checked first.
    const other = turn(refused.history, 'y a las 4 de la tarde?', { check_availability: checked });
    expect(other.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: FRIDAY, time: '16:00' } }]);
  });
});

describe('changes of mind after booking move that booking', () => {
  const booked = () => askThenBook([], 'quiero reservar masaje el jueves a las 10', bookable('Masaje descontracturante')).booked;
  const list = () => ({ bookings: [booking('Masaje descontracturante', THURSDAY, '10:00')] });
  const moved = (args: any) => ({ booking: booking('Masaje descontracturante', args.date, args.time) });

  test('"no espera, mejor a las 5 de la tarde" moves it to 17:00 the same day', () => {
    const changed = turn(booked().history, 'no espera, mejor a las 5 de la tarde', { list_my_bookings: list, reschedule_booking: moved });
    expect(changed.calls).toEqual([
      { name: 'list_my_bookings', args: {} },
      { name: 'reschedule_booking', args: { booking_id: BOOKING_ID, date: THURSDAY, time: '17:00' } },
    ]);
  });

  test('"can i move it to wednesday instead? same time" moves it to Wednesday at 10:00', () => {
    const changed = turn(booked().history, 'can i move it to wednesday instead? same time', { list_my_bookings: list, reschedule_booking: moved });
    expect(changed.calls.at(-1)).toEqual({ name: 'reschedule_booking', args: { booking_id: BOOKING_ID, date: WEDNESDAY, time: '10:00' } });
    expect(changed.text).toMatch(/Wednesday, December 2 at 10:00/);
  });

  test('right after booking, "puedo pasarlo al viernes?" moves it to Friday at the same time', () => {
    const changed = turn(booked().history, 'puedo pasarlo al viernes?', { list_my_bookings: list, reschedule_booking: moved });
    expect(changed.calls.at(-1)).toEqual({ name: 'reschedule_booking', args: { booking_id: BOOKING_ID, date: FRIDAY, time: '10:00' } });
  });

  test('later on, "puedo pasarlo al viernes?" asks for the time; "a la misma hora" keeps it', () => {
    const history = [user('hola'), reply('¡Hola! ¿En qué te ayudo?')];
    const asked = turn(history, 'puedo pasarlo al viernes?', { list_my_bookings: list, check_availability: checked });
    expect(asked.calls.at(-1)).toEqual({ name: 'check_availability', args: { service: 'svc', date: FRIDAY } });
    const same = turn(asked.history, 'a la misma hora', { list_my_bookings: list, reschedule_booking: moved });
    expect(same.calls.at(-1)).toEqual({ name: 'reschedule_booking', args: { booking_id: BOOKING_ID, date: FRIDAY, time: '10:00' } });
    expect(names(same.calls)).not.toContain('create_booking');
  });
});

describe('more changes of mind and offers', () => {
  const booked = () => askThenBook([], 'I need a massage on Thursday at 4pm', bookable('Masaje descontracturante'), 'yes').booked;
  const list = () => ({ bookings: [booking('Masaje descontracturante', THURSDAY, '16:00')] });

  test('"actually make it a facial instead" swaps the service at the same time: the old booking goes, the new one comes', () => {
    const swapped = turn(booked().history, 'actually make it a facial instead', {
      list_my_bookings: list,
      cancel_booking: () => ({ booking: { ...booking('Masaje descontracturante', THURSDAY, '16:00'), status: 'cancelled' } }),
      create_booking: books('Limpieza facial profunda'),
    });
    expect(names(swapped.calls)).toEqual(['list_my_bookings', 'cancel_booking', 'create_booking']);
    expect(swapped.calls.at(-1)!.args).toEqual({ service: 'facial', date: THURSDAY, time: '16:00' });
  });

  test('"mmm no, pensándolo bien no" right after booking cancels it', () => {
    const done = askThenBook([], 'Quiero reservar depilación láser el viernes a las 12', bookable('Depilación láser')).booked;
    const undone = turn(done.history, 'mmm no, pensándolo bien no. Gracias igual', {
      list_my_bookings: () => ({ bookings: [booking('Depilación láser', FRIDAY, '12:00')] }),
      cancel_booking: () => ({ booking: { ...booking('Depilación láser', FRIDAY, '12:00'), status: 'cancelled' } }),
    });
    expect(names(undone.calls)).toEqual(['list_my_bookings', 'cancel_booking']);
  });

  test('"la más tarde que tengan ese día" offers the last time; a yes books it', () => {
    const refused = turn([], 'puedo ir a las 22 el jueves pa un masaje?', { check_availability: () => ({ date: THURSDAY, available: false, slots: [slot(THURSDAY, '18:00')] }) });
    const latest = turn(refused.history, 'ya, entonces la más tarde que tengan ese día', { check_availability: checked });
    expect(latest.text).toMatch(/18:00 está libre\. ¿Te lo reservo\?/);
    const yes = turn(latest.history, 'ya po', { create_booking: books('Masaje descontracturante') });
    expect(yes.calls).toEqual([{ name: 'create_booking', args: { service: 'masaje', date: THURSDAY, time: '18:00' } }]);
  });

  test('a long day keeps its last time in view, and "la última" takes it, on a sí', () => {
    const times = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '12:00', '14:00', '14:30', '18:30'];
    const listed = turn([], '¿qué horas tienen el viernes pa limpieza facial?', { check_availability: freeOn(FRIDAY, times) });
    expect(listed.text).toContain('12:00 … 18:30');
    const last = askThenBook(listed.history, 'la última po', bookable('Limpieza facial profunda'), 'ya po');
    expect(last.summary.calls[0].args).toMatchObject({ date: FRIDAY, time: '18:30' });
    expect(last.booked.calls[0]).toMatchObject({ name: 'create_booking', args: { date: FRIDAY, time: '18:30' } });
  });
});

describe('cases the dialog set found', () => {
  const list = (service: string, date: string, time: string) => () => ({ bookings: [booking(service, date, time)] });
  const moved = (service: string) => (args: any) => ({ booking: booking(service, args.date, args.time) });

  test('"¿y me la puedes mover al jueves 3? a la misma hora" after booking moves it, and never cancels it', () => {
    const done = askThenBook([], 'quiero hora pa limpieza facial el martes a las 9', bookable('Limpieza facial profunda')).booked;
    const history = [...done.history, user('sí')];
    const changed = turn(history, '¿y me la puedes mover al jueves 3? a la misma hora', {
      list_my_bookings: list('Limpieza facial profunda', '2026-12-01', '09:00'),
      reschedule_booking: moved('Limpieza facial profunda'),
    });
    expect(names(changed.calls)).toEqual(['list_my_bookings', 'reschedule_booking']);
    expect(changed.calls[1].args).toMatchObject({ date: THURSDAY, time: '09:00' });
  });

  test.each([
    ['no, espere, mejor a las 12', { date: THURSDAY, time: '12:00' }],
    ['wait, make it 12 instead', { date: THURSDAY, time: '12:00' }],
    ['no, perdón, el viernes', { date: FRIDAY, time: '10:00' }],
  ])('after booking, %j moves it', (said, to) => {
    const done = askThenBook([], 'Quiero una cita de masaje para el jueves a las 10', bookable('Masaje descontracturante')).booked;
    const changed = turn(done.history, said, { list_my_bookings: list('Masaje descontracturante', THURSDAY, '10:00'), reschedule_booking: moved('Masaje descontracturante') });
    expect(names(changed.calls)).toEqual(['list_my_bookings', 'reschedule_booking']);
    expect(changed.calls[1].args).toMatchObject(to);
  });

  test('"es para peeling" to "¿Te lo reservo?" checks that time for peeling; "sí, reservalo" books it', () => {
    const asked = turn([], 'buenas, tenés algo el miércoles a las 11?', { check_availability: () => ({ date: WEDNESDAY, available: true, slots: [slot(WEDNESDAY, '11:00')] }) });
    const service = turn(asked.history, 'es para peeling', { check_availability: () => ({ date: WEDNESDAY, available: true, slots: [slot(WEDNESDAY, '11:00')] }) });
    expect(service.calls).toEqual([{ name: 'check_availability', args: { service: 'peeling', date: WEDNESDAY, time: '11:00' } }]);
    const yes = turn(service.history, 'sí, reservalo', { create_booking: books('Peeling químico') });
    expect(yes.calls).toEqual([{ name: 'create_booking', args: { service: 'peeling', date: WEDNESDAY, time: '11:00' } }]);
  });

  test('"cancelame el turno del jueves, el del viernes lo mantengo" cancels Thursday\'s', () => {
    const thursday = booking('Limpieza facial profunda', THURSDAY, '09:00');
    const friday = { ...booking('Masaje descontracturante', FRIDAY, '16:00'), id: '9d2e7b44-1c3a-4f0e-8b6d-2a5c7e9f1b02' };
    const done = turn([], 'cancelame el turno del jueves porfa, el del viernes lo mantengo', {
      list_my_bookings: () => ({ bookings: [thursday, friday] }),
      cancel_booking: () => ({ booking: { ...thursday, status: 'cancelled' } }),
    });
    expect(done.calls.at(-1)).toEqual({ name: 'cancel_booking', args: { booking_id: thursday.id } });
  });

  test.each([
    ['Quisiera una cita para peeling el viernes de la próxima semana a las 10', '2026-12-11'],
    ['¿tienen hora pa depilación láser el martes de la otra semana a las 14?', '2026-12-08'],
  ])('%j is next week\'s', (said, date) => {
    const out = turn([], said, { create_booking: books('x'), check_availability: checked });
    expect(out.calls[0].args.date).toBe(date);
  });

  test('"hii can i book a facail for tmrw afternoon" asks about tomorrow afternoon for a facial', () => {
    const asked = turn([], 'hii can i book a facail for tmrw afternoon', { check_availability: checked });
    expect(asked.calls).toEqual([{ name: 'check_availability', args: { service: 'facial', date: '2026-12-01' } }]);
    expect(asked.text).toContain('15:00, 16:00, 18:00');
    expect(asked.text).not.toContain('09:00');
  });

  test('"What\'s the earliest you have tomorrow for a facial?" offers the first time; "book it" books it', () => {
    const asked = turn([], "What's the earliest you have tomorrow for a facial?", { check_availability: checked });
    expect(asked.text).toMatch(/09:00 is free\. Shall I book it for you\?/);
    const yes = turn(asked.history, 'book it', { create_booking: books('Limpieza facial profunda') });
    expect(yes.calls).toEqual([{ name: 'create_booking', args: { service: 'facial', date: '2026-12-01', time: '09:00' } }]);
  });
});

test('a burst read together later: "¿tenés algo el miércoles a las 11?" + "es para peeling", then "sí, reservalo"', () => {
  const history = [
    user('buenas, tenés algo el miércoles a las 11?'),
    user('es para peeling'),
    reply('¡Sí! El miércoles 2 de diciembre a las 11:00 está libre. ¿Te lo reservo?'),
  ];
  const yes = turn(history, 'sí, reservalo', { create_booking: books('Peeling químico') });
  expect(yes.calls).toEqual([{ name: 'create_booking', args: { service: 'peeling', date: WEDNESDAY, time: '11:00' } }]);
});

describe('phrasings outside the dialog set', () => {
  test.each([
    ['is 2:30 tomorrow ok for laser?', { service: 'laser', date: '2026-12-01', time: '14:30' }, 'yes'],
    ['quisiera reservar masaje para el lunes que viene a las diez', { service: 'masaje', date: '2026-12-07', time: '10:00' }, 'sí'],
    ['hola, queria ver si hay lugar a las 18 para masajes hoy', { service: 'masajes', date: MONDAY, time: '18:00' }, 'ok perfecto'],
    ['I want to book a facial for the 12th at 11', { service: 'facial', date: '2026-12-12', time: '11:00' }, 'ok perfect'],
  ])('%j checks that time, and a yes to its summary books it', (said, args, yes) => {
    const { summary, booked } = askThenBook([], said, bookable('x'), yes);
    expect(summary.calls).toEqual([{ name: 'check_availability', args }]);
    expect(summary.text).toMatch(/(¿Te lo reservo|Shall I book it for you)\?$/);
    expect(booked.calls).toEqual([{ name: 'create_booking', args }]);
  });

  test('a name is no service: "mi nombre es Juan, quiero turno" keeps the name, thanks him and asks which service', () => {
    const saved = turn([], 'mi nombre es Juan, quiero turno', { save_lead_details: (args) => ({ lead: { name: args.name, missing: ['email or phone'] } }) });
    expect(saved.calls).toEqual([{ name: 'save_lead_details', args: { name: 'Juan' } }]);
    expect(saved.text).toBe('¡Gracias, Juan! Ya tengo tus datos. ¿Para qué servicio sería?');
  });
});

test('"ninguna me sirve, tenés el viernes?" keeps the service and asks about Friday', () => {
  const listed = turn([], '¿tienen turno el jueves para masaje?', { check_availability: freeOn(THURSDAY, ['09:00', '10:00']) });
  const other = turn(listed.history, 'ninguna me sirve, tenés el viernes?', { check_availability: checked });
  expect(other.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: FRIDAY } }]);
});

test('right after a booking, "mejor reservame también otro el viernes a las 10" is a second booking, not a move: summarised, then booked on sí', () => {
  const done = askThenBook([], 'quiero reservar masaje el jueves a las 10', bookable('Masaje descontracturante')).booked;
  const second = askThenBook(done.history, 'genial! reservame también otro masaje el viernes a las 10, mejor', bookable('Masaje descontracturante'));
  expect(second.summary.calls).toEqual([{ name: 'check_availability', args: { service: 'masaje', date: FRIDAY, time: '10:00' } }]);
  expect(second.booked.calls).toEqual([{ name: 'create_booking', args: { service: 'masaje', date: FRIDAY, time: '10:00' } }]);
});
