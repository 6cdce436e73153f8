import type { z } from 'zod';
import { availableSlots, formatSlot, localDateTimeToInstant, nearestSlots, type AvailabilityRequest } from '../../src/domain/scheduling/availability';
import { ScheduleSchema, WEEKDAYS, type Booking, type OpeningRange } from '../../src/domain/scheduling/schedule';

const HAIRCUT = { id: 'haircut', durationMinutes: 30 };
const ANA = { id: 'ana', serviceIds: ['haircut'] };
const BRUNO = { id: 'bruno', serviceIds: ['haircut', 'colour'] };
const MORNING = [{ start: '09:00', end: '13:00' }];

const everyDay = (ranges: OpeningRange[]) => Object.fromEntries(WEEKDAYS.map((weekday) => [weekday, ranges]));
const onlyOn = (date: string, ranges: OpeningRange[]) => ({ weeklyHours: {}, dateOverrides: [{ date, ranges }] });

/** A New York tenant open nowhere unless told, with no notice or horizon limits in the way. */
function request(schedule: Partial<z.input<typeof ScheduleSchema>>, rest: Partial<AvailabilityRequest> = {}): AvailabilityRequest {
  return {
    schedule: ScheduleSchema.parse({ timeZone: 'America/New_York', weeklyHours: {}, minNoticeMinutes: 0, maxDaysAhead: 400, ...schedule }),
    service: HAIRCUT,
    resources: [ANA],
    bookings: [],
    from: '2026-01-01T00:00:00Z',
    to: '2027-01-01T00:00:00Z',
    now: '2026-01-01T00:00:00Z',
    ...rest,
  };
}

const starts = (availability: AvailabilityRequest) => availableSlots(availability).map((slot) => slot.start);

/** `count` instants 30 minutes apart from a UTC instant worked out by hand. */
const halfHourly = (first: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(first) + i * 1_800_000).toISOString());

const booking = (resourceId: string, start: string, end: string): Booking => ({ resourceId, start, end });

describe('09:00–13:00 and 15:00–19:00 give 8 + 8 slots at the right UTC instants around DST changes', () => {
  test.each([
    ['America/New_York', '2026-03-07', 'the day before springing forward (EST)', '2026-03-07T14:00:00.000Z', '2026-03-07T20:00:00.000Z'],
    ['America/New_York', '2026-03-08', 'springing forward (EDT)', '2026-03-08T13:00:00.000Z', '2026-03-08T19:00:00.000Z'],
    ['America/New_York', '2026-11-01', 'falling back (EST)', '2026-11-01T14:00:00.000Z', '2026-11-01T20:00:00.000Z'],
    ['Europe/Madrid', '2026-03-29', 'springing forward (CEST)', '2026-03-29T07:00:00.000Z', '2026-03-29T13:00:00.000Z'],
    ['Europe/Madrid', '2026-10-25', 'falling back (CET)', '2026-10-25T08:00:00.000Z', '2026-10-25T14:00:00.000Z'],
    ['America/Santiago', '2026-04-04', 'the day whose 23:00 hour repeats (still -03)', '2026-04-04T12:00:00.000Z', '2026-04-04T18:00:00.000Z'],
    ['America/Santiago', '2026-04-05', 'the first day of -04', '2026-04-05T13:00:00.000Z', '2026-04-05T19:00:00.000Z'],
    ['America/Santiago', '2026-09-05', 'the day before springing forward (-04)', '2026-09-05T13:00:00.000Z', '2026-09-05T19:00:00.000Z'],
    ['America/Santiago', '2026-09-06', 'springing forward, no 00:00 hour (-03)', '2026-09-06T12:00:00.000Z', '2026-09-06T18:00:00.000Z'],
  ])('%s %s, %s', (timeZone, date, _day, morning, afternoon) => {
    const weeklyHours = everyDay([...MORNING, { start: '15:00', end: '19:00' }]);
    const day = request({ timeZone, weeklyHours }, { from: `${date}T00:00:00Z`, to: `${date}T23:59:59Z` });
    expect(starts(day)).toEqual([...halfHourly(morning, 8), ...halfHourly(afternoon, 8)]);
  });
});

describe('a range across the DST change at night', () => {
  test.each([
    // 02:00 and 02:30 never happen.
    ['America/New_York', '2026-03-08', '00:00', '04:00', ['05:00', '05:30', '06:00', '06:30', '07:00', '07:30'].map((t) => `2026-03-08T${t}:00.000Z`)],
    // Opening at a time the clock skips: open from the jump to 03:00 EDT on.
    ['America/New_York', '2026-03-08', '02:30', '05:00', halfHourly('2026-03-08T07:00:00.000Z', 4)],
    // 01:00 and 01:30 happen twice, in EDT (05:00Z, 05:30Z) and then in EST (06:00Z, 06:30Z).
    ['America/New_York', '2026-11-01', '00:00', '03:00', halfHourly('2026-11-01T04:00:00.000Z', 8)],
    ['Europe/Madrid', '2026-03-29', '01:00', '04:00', halfHourly('2026-03-29T00:00:00.000Z', 4)],
    ['Europe/Madrid', '2026-10-25', '01:00', '04:00', halfHourly('2026-10-24T23:00:00.000Z', 8)],
    ['America/Santiago', '2026-09-06', '00:00', '02:00', ['2026-09-06T04:00:00.000Z', '2026-09-06T04:30:00.000Z']],
    // 23:00 and 23:30 happen at -03 and again at -04; the range closes at 00:00 -04.
    ['America/Santiago', '2026-04-04', '22:00', '24:00', halfHourly('2026-04-05T01:00:00.000Z', 6)],
  ])('%s %s %s–%s gives one slot per real instant, never one twice', (timeZone, date, start, end, expected) => {
    expect(starts(request({ timeZone, ...onlyOn(date, [{ start, end }]) }))).toEqual(expected);
  });

  test('a 90-minute service lasts 90 real minutes', () => {
    const longService = { id: 'haircut', durationMinutes: 90 };
    const springing = availableSlots(request(onlyOn('2026-03-08', [{ start: '00:00', end: '04:00' }]), { service: longService }));
    // 01:30 EST + 90 min is 04:00 EDT, the closing time.
    expect(springing.map((slot) => slot.start)).toEqual(halfHourly('2026-03-08T05:00:00.000Z', 4));
    expect(springing.at(-1)?.end).toBe('2026-03-08T08:00:00.000Z');
    const fallingBack = request(onlyOn('2026-11-01', [{ start: '00:00', end: '03:00' }]), { service: longService });
    expect(starts(fallingBack)).toEqual(halfHourly('2026-11-01T04:00:00.000Z', 6));
  });
});

describe('a range until 24:00', () => {
  test('ends at the next midnight', () => {
    const evening = request({ timeZone: 'Europe/Madrid', ...onlyOn('2026-06-10', [{ start: '20:00', end: '24:00' }]) }, { service: { id: 'haircut', durationMinutes: 60 } });
    const slots = availableSlots(evening);
    expect(slots.map((slot) => slot.start)).toEqual(halfHourly('2026-06-10T18:00:00.000Z', 7));
    expect(slots.at(-1)?.end).toBe('2026-06-10T22:00:00.000Z');
  });

  test('ends when the clock jumps if the next midnight never happens', () => {
    const evening = request({ timeZone: 'America/Santiago', ...onlyOn('2026-09-05', [{ start: '20:00', end: '24:00' }]) }, { service: { id: 'haircut', durationMinutes: 60 } });
    const slots = availableSlots(evening);
    expect(slots.map((slot) => slot.start)).toEqual(halfHourly('2026-09-06T00:00:00.000Z', 7));
    expect(slots.at(-1)?.end).toBe('2026-09-06T04:00:00.000Z');
  });
});

test('a slot is shown on the customer’s clock, in their language', () => {
  const [slot] = availableSlots(request(onlyOn('2026-03-10', [{ start: '14:30', end: '15:00' }])));
  expect(slot.start).toBe('2026-03-10T18:30:00.000Z');
  expect(formatSlot(slot.start, 'America/New_York', 'es')).toBe('martes 10 de marzo, 14:30');
  expect(formatSlot(slot.start, 'America/Santiago', 'es')).toBe('martes 10 de marzo, 15:30');
  expect(formatSlot(slot.start, 'Europe/Madrid', 'en')).toBe('Tuesday, March 10, 7:30 PM');
});

test.each([
  ['2026-03-08', '02:30', 'America/New_York', undefined],
  ['2026-03-08', '03:00', 'America/New_York', '2026-03-08T07:00:00.000Z'],
  ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
  ['2026-03-29', '02:00', 'Europe/Madrid', undefined],
  ['2026-10-25', '02:30', 'Europe/Madrid', '2026-10-25T00:30:00.000Z'],
  ['2026-09-06', '00:00', 'America/Santiago', undefined],
  ['2026-09-06', '00:59', 'America/Santiago', undefined],
  ['2026-09-06', '01:00', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
  ['2026-04-04', '23:30', 'America/Santiago', '2026-04-05T02:30:00.000Z'],
  ['2026-06-10', '10:00', 'Europe/Madrid', '2026-06-10T08:00:00.000Z'],
])('%s %s in %s is %s', (date, time, zone, instant) => {
  expect(localDateTimeToInstant(date, time, zone)).toBe(instant);
});

describe('on a New York Wednesday open 09:00–13:00 (EDT, 13:00Z–17:00Z)', () => {
  const wednesday = (schedule: Partial<z.input<typeof ScheduleSchema>>, rest: Partial<AvailabilityRequest> = {}) =>
    request({ ...onlyOn('2026-06-10', MORNING), ...schedule }, rest);
  const TEN_AM = booking('ana', '2026-06-10T14:00:00Z', '2026-06-10T14:30:00Z');

  test('an existing booking takes its slot, and one straddling two slots takes both', () => {
    expect(starts(wednesday({}, { bookings: [TEN_AM] }))).not.toContain('2026-06-10T14:00:00.000Z');
    const straddling = booking('ana', '2026-06-10T14:15:00Z', '2026-06-10T14:45:00Z');
    expect(starts(wednesday({}, { bookings: [straddling] }))).toEqual(['13:00', '13:30', '15:00', '15:30', '16:00', '16:30'].map((t) => `2026-06-10T${t}:00.000Z`));
  });

  test('buffers keep appointments apart but may reach outside opening hours', () => {
    // The 10:00 booking blocks 09:50–10:45; a 09:30 slot would block until 10:15, a 10:30 one from 10:20.
    const buffered = wednesday({ bufferBeforeMinutes: 10, bufferAfterMinutes: 15 }, { bookings: [TEN_AM] });
    expect(starts(buffered)).toEqual(['13:00', '15:00', '15:30', '16:00', '16:30'].map((t) => `2026-06-10T${t}:00.000Z`));
  });

  test('buffers keep clear of blocked periods too', () => {
    const earlyMeeting = { start: '2026-06-10T12:00:00Z', end: '2026-06-10T12:55:00Z' };
    expect(starts(wednesday({ blockedPeriods: [earlyMeeting] }))[0]).toBe('2026-06-10T13:00:00.000Z');
    expect(starts(wednesday({ blockedPeriods: [earlyMeeting], bufferBeforeMinutes: 10 }))[0]).toBe('2026-06-10T13:30:00.000Z');
  });

  test('a slot starting exactly at the minimum notice is offered, an earlier one is not', () => {
    const atNine = wednesday({ minNoticeMinutes: 120 }, { now: '2026-06-10T13:00:00Z' });
    expect(starts(atNine)).toEqual(halfHourly('2026-06-10T15:00:00.000Z', 4));
  });

  test('a slot stays free until every resource able to do the service is booked', () => {
    const brunoTooAtTen = booking('bruno', '2026-06-10T14:00:00Z', '2026-06-10T14:30:00Z');
    const team = { resources: [ANA, BRUNO, { id: 'carla', serviceIds: ['colour'] }] };
    const slotAtTen = (bookings: Booking[]) => availableSlots(wednesday({}, { ...team, bookings })).find((slot) => slot.start === '2026-06-10T14:00:00.000Z');
    expect(slotAtTen([])?.resourceIds).toEqual(['ana', 'bruno']);
    expect(slotAtTen([TEN_AM])?.resourceIds).toEqual(['bruno']);
    expect(slotAtTen([TEN_AM, brunoTooAtTen])).toBeUndefined();
    expect(availableSlots(wednesday({}, { service: { id: 'massage', durationMinutes: 30 } }))).toEqual([]);
  });

  test('blocked periods close the business, or only the resource they name', () => {
    const blockedPeriods = [
      { start: '2026-06-10T13:00:00Z', end: '2026-06-10T14:00:00Z', resourceId: 'ana' },
      { start: '2026-06-10T14:00:00Z', end: '2026-06-10T15:00:00Z' },
    ];
    const slots = availableSlots(wednesday({ blockedPeriods }, { resources: [ANA, BRUNO] }));
    expect(slots.map((slot) => [slot.start.slice(11, 16), slot.resourceIds.join()])).toEqual([
      ['13:00', 'bruno'], ['13:30', 'bruno'], ['15:00', 'ana,bruno'], ['15:30', 'ana,bruno'], ['16:00', 'ana,bruno'], ['16:30', 'ana,bruno'],
    ]);
  });

  test('nearestSlots offers the free slots closest to a taken one, earlier first on a tie', () => {
    const elevenTaken = wednesday({}, { bookings: [booking('ana', '2026-06-10T15:00:00Z', '2026-06-10T15:30:00Z')] });
    const alternatives = nearestSlots({ ...elevenTaken, around: '2026-06-10T15:00:00Z', count: 3 });
    expect(alternatives.map((slot) => slot.start)).toEqual(['14:00', '14:30', '15:30'].map((t) => `2026-06-10T${t}:00.000Z`));
  });
});

test('max days ahead counts from today on the tenant’s clock', () => {
  // 22:00 on June 10 in New York is already June 11 in UTC: one day ahead is June 11, not June 12.
  const lateEvening = request({ weeklyHours: everyDay(MORNING), maxDaysAhead: 1 }, { from: '2026-06-11T02:00:00Z', now: '2026-06-11T02:00:00Z' });
  expect(starts(lateEvening)).toEqual(halfHourly('2026-06-11T13:00:00.000Z', 8));
});

test('a date override closes a day or replaces its hours', () => {
  const dateOverrides = [{ date: '2026-12-24', ranges: [] }, { date: '2026-12-31', ranges: [{ start: '10:00', end: '12:00' }] }];
  const madrid = (from: string, to: string) => request({ timeZone: 'Europe/Madrid', weeklyHours: everyDay(MORNING), dateOverrides }, { from, to });
  expect(starts(madrid('2026-12-23T00:00:00Z', '2026-12-24T00:00:00Z'))).toEqual(halfHourly('2026-12-23T08:00:00.000Z', 8));
  expect(starts(madrid('2026-12-24T00:00:00Z', '2026-12-25T00:00:00Z'))).toEqual([]);
  expect(starts(madrid('2026-12-31T00:00:00Z', '2027-01-01T00:00:00Z'))).toEqual(halfHourly('2026-12-31T09:00:00.000Z', 4));
});

describe('ScheduleSchema', () => {
  test('fills in the defaults', () => {
    expect(ScheduleSchema.parse({ timeZone: 'Europe/Madrid', weeklyHours: { 1: MORNING } })).toEqual({
      timeZone: 'Europe/Madrid',
      weeklyHours: { 1: MORNING },
      dateOverrides: [],
      blockedPeriods: [],
      slotIntervalMinutes: 30,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minNoticeMinutes: 120,
      maxDaysAhead: 60,
    });
  });

  test.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }],
    ['a range ending before it starts', { weeklyHours: { 1: [{ start: '13:00', end: '09:00' }] } }],
    ['overlapping ranges', { weeklyHours: { 1: [{ start: '12:00', end: '15:00' }, { start: '09:00', end: '13:00' }] } }],
    ['a range starting at 24:00', { weeklyHours: { 1: [{ start: '24:00', end: '24:00' }] } }],
    ['weekday 8', { weeklyHours: { 8: MORNING } }],
    ['two overrides of one date', { dateOverrides: [{ date: '2026-12-24', ranges: [] }, { date: '2026-12-24', ranges: MORNING }] }],
    ['a blocked period without an offset', { blockedPeriods: [{ start: '2026-12-24T00:00:00', end: '2026-12-26T00:00:00' }] }],
  ])('rejects %s', (_case, change) => {
    expect(ScheduleSchema.safeParse({ timeZone: 'Europe/Madrid', weeklyHours: {}, ...change }).success).toBe(false);
  });
});
