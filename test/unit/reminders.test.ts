import { reminderTimes, type ReminderRequest } from '../../src/domain/scheduling/reminders';

const NIGHT = { start: '21:00', end: '08:00' };

/** A Madrid tenant (CEST, +02:00, in June) booked well in advance, unless told otherwise. */
const remind = (appointmentStart: string, rest: Partial<ReminderRequest> = {}) =>
  reminderTimes({ appointmentStart, quietHours: NIGHT, timeZone: 'Europe/Madrid', now: '2026-06-01T00:00:00Z', ...rest });

test('24 h and 1 h before an afternoon appointment, in time order', () => {
  const expected = [
    { offsetMinutes: 1440, at: '2026-06-09T13:00:00.000Z' },
    { offsetMinutes: 60, at: '2026-06-10T12:00:00.000Z' },
  ];
  expect(remind('2026-06-10T15:00:00+02:00')).toEqual(expected);
  expect(remind('2026-06-10T15:00:00+02:00', { offsetsMinutes: [60, 1440] })).toEqual(expected);
});

test('a reminder at 07:30 for an 08:30 appointment moves to 20:59 the evening before', () => {
  expect(remind('2026-06-10T08:30:00+02:00')).toEqual([
    { offsetMinutes: 1440, at: '2026-06-09T06:30:00.000Z' },
    { offsetMinutes: 60, at: '2026-06-09T18:59:00.000Z' },
  ]);
});

test('a reminder late in the evening moves to 20:59 the same evening', () => {
  expect(remind('2026-06-11T00:00:00+02:00', { offsetsMinutes: [60] })).toEqual([{ offsetMinutes: 60, at: '2026-06-10T18:59:00.000Z' }]);
});

test('quiet hours start at 21:00 exactly and are over at 08:00 exactly', () => {
  expect(remind('2026-06-10T22:00:00+02:00', { offsetsMinutes: [60] })).toEqual([{ offsetMinutes: 60, at: '2026-06-10T18:59:00.000Z' }]);
  expect(remind('2026-06-10T09:00:00+02:00', { offsetsMinutes: [60] })).toEqual([{ offsetMinutes: 60, at: '2026-06-10T06:00:00.000Z' }]);
});

test('quiet hours within one day (a siesta) work too', () => {
  const siesta = { start: '13:00', end: '15:00' };
  expect(remind('2026-06-10T15:00:00+02:00', { offsetsMinutes: [60], quietHours: siesta })).toEqual([{ offsetMinutes: 60, at: '2026-06-10T10:59:00.000Z' }]);
});

test('two reminders moved to the same minute are sent once, as the longer offset', () => {
  // 21:00 and 23:00 the evening before both move to 20:59.
  expect(remind('2026-06-10T09:00:00+02:00', { offsetsMinutes: [720, 600] })).toEqual([{ offsetMinutes: 720, at: '2026-06-09T18:59:00.000Z' }]);
});

test('reminders already due are dropped', () => {
  expect(remind('2026-06-10T15:00:00+02:00', { now: '2026-06-10T14:30:00+02:00' })).toEqual([]);
  // At 21:30 the 1 h reminder for 08:30 would have to go out at 20:59, already past.
  expect(remind('2026-06-10T08:30:00+02:00', { now: '2026-06-09T21:30:00+02:00' })).toEqual([]);
  expect(remind('2026-06-10T15:00:00+02:00', { now: '2026-06-10T14:00:00+02:00' })).toEqual([]);
});

describe('offsets are real elapsed time, quiet hours are on the tenant’s clock across DST changes', () => {
  test('New York falling back: 24 h before 08:30 EST is 09:30 EDT; 07:30 moves to 20:59 EDT', () => {
    expect(remind('2026-11-01T13:30:00Z', { timeZone: 'America/New_York' })).toEqual([
      { offsetMinutes: 1440, at: '2026-10-31T13:30:00.000Z' },
      { offsetMinutes: 60, at: '2026-11-01T00:59:00.000Z' },
    ]);
  });

  test('Santiago springing forward: both reminders fall at 07:30 and move to 20:59 -04 the evening before', () => {
    expect(remind('2026-09-06T08:30:00-03:00', { timeZone: 'America/Santiago', now: '2026-09-01T00:00:00Z' })).toEqual([
      { offsetMinutes: 1440, at: '2026-09-05T00:59:00.000Z' },
      { offsetMinutes: 60, at: '2026-09-06T00:59:00.000Z' },
    ]);
  });

  test('Madrid springing forward: 24 h before 10:00 CEST is 09:00 CET', () => {
    expect(remind('2026-03-29T10:00:00+02:00', { now: '2026-03-01T00:00:00Z' })).toEqual([
      { offsetMinutes: 1440, at: '2026-03-28T08:00:00.000Z' },
      { offsetMinutes: 60, at: '2026-03-29T07:00:00.000Z' },
    ]);
  });
});
