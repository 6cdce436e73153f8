import { reminderText, type ReminderTextRequest } from '../../src/domain/reminder-text';

/** A held booking at the Buenos Aires demo clinic (UTC-3 all year), Tuesday 24 November 2026 at 10:00. */
const remind = (sentAt: string, rest: Partial<ReminderTextRequest> = {}) =>
  reminderText({
    language: 'es',
    serviceName: 'Depilación láser',
    customerName: null,
    confirmed: false,
    appointmentStart: '2026-11-24T10:00:00-03:00',
    sentAt,
    timeZone: 'America/Argentina/Buenos_Aires',
    ...rest,
  });

test('the day before: "mañana", the date and the time; a held booking is asked to confirm or cancel', () => {
  expect(remind('2026-11-23T10:00:00-03:00')).toBe(
    'Recordatorio: tu turno de Depilación láser es mañana, martes 24 de noviembre a las 10:00. ' +
      'Responde «confirmo» para confirmarlo o «cancelar» para cancelarlo.',
  );
});

test('the same day: "hoy" and the time; further ahead: the weekday and date', () => {
  expect(remind('2026-11-24T09:00:00-03:00')).toContain('es hoy a las 10:00.');
  expect(remind('2026-11-21T10:00:00-03:00')).toContain('es el martes 24 de noviembre a las 10:00.');
});

test('"mañana" is on the tenant\'s clock, not UTC\'s', () => {
  // 22:00 in Buenos Aires is already the 24th in UTC, the appointment's UTC date.
  expect(remind('2026-11-23T22:00:00-03:00', { appointmentStart: '2026-11-24T08:30:00-03:00' })).toContain(
    'es mañana, martes 24 de noviembre a las 8:30.',
  );
});

test('"mañana" across a spring-forward night, 23 hours ahead', () => {
  const request = { timeZone: 'Europe/Madrid', appointmentStart: '2026-03-29T10:00:00+02:00' };
  expect(remind('2026-03-28T10:00:00+01:00', request)).toContain('es mañana, domingo 29 de marzo a las 10:00.');
});

test('a confirmed booking is only offered to cancel; the customer is greeted by name', () => {
  expect(remind('2026-11-24T00:10:00-03:00', { confirmed: true, customerName: 'Lucía', appointmentStart: '2026-11-24T01:15:00-03:00' })).toBe(
    'Hola, Lucía. Recordatorio: tu turno de Depilación láser es hoy a la 1:15. Si no puedes venir, responde «cancelar» para cancelarlo.',
  );
});

test('in English', () => {
  const english = { language: 'en' as const, serviceName: 'Laser hair removal' };
  expect(remind('2026-11-23T10:00:00-03:00', english)).toBe(
    'Reminder: your Laser hair removal appointment is tomorrow, Tuesday, November 24 at 10:00 AM. ' +
      'Reply “confirm” to confirm it or “cancel” to cancel it.',
  );
  expect(remind('2026-11-24T08:00:00-03:00', { ...english, confirmed: true, customerName: 'Ann' })).toBe(
    'Hi Ann. Reminder: your Laser hair removal appointment is today at 10:00 AM. If you cannot make it, reply “cancel” to cancel it.',
  );
  expect(remind('2026-11-20T10:00:00-03:00', english)).toContain('is on Tuesday, November 24 at 10:00 AM.');
});
