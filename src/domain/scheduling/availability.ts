import { DateTime } from 'luxon';
import {
  CalendarDateSchema, ClockTimeSchema, InstantSchema, instantMillis, minutesOfDay, TimeZoneSchema, WEEKDAYS,
  type Booking, type Instant, type Resource, type Schedule, type BookableService,
} from './schedule';

const MINUTE_MS = 60_000;
const MINUTES_PER_DAY = 1440;

export interface AvailabilityRequest {
  schedule: Schedule;
  service: BookableService;
  resources: Resource[];
  bookings: Booking[];
  /** Slots starting in [from, to) are offered. */
  from: Instant;
  to: Instant;
  now: Instant;
}

export interface Slot {
  /** UTC ISO instants of the appointment itself, without buffers. */
  start: string;
  end: string;
  /** Resources that perform the service and are free for the slot and its buffers. */
  resourceIds: string[];
}

/**
 * Bookable slots, in time order. Slots follow the tenant's wall clock (every slotIntervalMinutes from the start of
 * each opening range) and last the service's real elapsed minutes, which must fit in the range. Buffers only keep
 * appointments apart from each other and from blocked periods: they may reach outside opening hours.
 */
export function availableSlots(request: AvailabilityRequest): Slot[] {
  const { schedule, service } = request;
  const now = instantMillis(request.now);
  const earliestStart = Math.max(instantMillis(request.from), now + schedule.minNoticeMinutes * MINUTE_MS);
  const to = instantMillis(request.to);
  const lastDay = DateTime.min(
    calendarDayAt(now, schedule.timeZone).plus({ days: schedule.maxDaysAhead }),
    calendarDayAt(to, schedule.timeZone),
  );
  const able = request.resources.filter((resource) => resource.serviceIds.includes(service.id));
  const isFree = freeChecker(schedule, request.bookings);

  const slots: Slot[] = [];
  for (let day = calendarDayAt(earliestStart, schedule.timeZone); day <= lastDay; day = day.plus({ days: 1 })) {
    for (const start of slotStartsWithinOpeningHours(schedule, day, service.durationMinutes)) {
      if (start < earliestStart || start >= to) continue;
      const end = start + service.durationMinutes * MINUTE_MS;
      const withBuffers = { start: start - schedule.bufferBeforeMinutes * MINUTE_MS, end: end + schedule.bufferAfterMinutes * MINUTE_MS };
      const resourceIds = able.filter((resource) => isFree(resource.id, withBuffers)).map((resource) => resource.id);
      if (resourceIds.length > 0) slots.push({ start: toIso(start), end: toIso(end), resourceIds });
    }
  }
  // Each repeated time of a fall-back night yields its two instants together, out of time order.
  return slots.sort(byStart);
}

/**
 * The `count` free slots nearest to `around`, before or after it, in time order: the alternatives to offer when
 * the slot a customer wanted has just been taken. Of two equally near slots the earlier wins.
 */
export function nearestSlots(request: AvailabilityRequest & { around: Instant; count: number }): Slot[] {
  const around = instantMillis(request.around);
  const distance = (slot: Slot) => Math.abs(Date.parse(slot.start) - around);
  // The sort is stable and the slots come in time order, which settles ties.
  return availableSlots(request)
    .sort((a, b) => distance(a) - distance(b))
    .slice(0, request.count)
    .sort(byStart);
}

const SLOT_FORMATS = { es: "cccc d 'de' LLLL, HH:mm", en: 'cccc, LLLL d, h:mm a' } as const;
export type SlotLocale = keyof typeof SLOT_FORMATS;

/** A slot as the customer reads it, on their own clock: "martes 10 de marzo, 15:30". */
export function formatSlot(slotStart: string, zone: string, locale: SlotLocale): string {
  return DateTime.fromISO(InstantSchema.parse(slotStart), { zone: TimeZoneSchema.parse(zone), locale }).toFormat(SLOT_FORMATS[locale]);
}

/**
 * The instant a clock in `zone` reads `time` on `date`: undefined when springing forward skips that time,
 * the earlier of the two when falling back repeats it.
 */
export function localDateTimeToInstant(date: string, time: string, zone: string): string | undefined {
  const instants = wallClockInstants(calendarDay(date), minutesOfDay(ClockTimeSchema.parse(time)), TimeZoneSchema.parse(zone));
  return instants.length > 0 ? toIso(Math.min(...instants)) : undefined;
}

/**
 * When a boundary set on the wall clock (a closing time, the start of quiet hours) happens: the earlier
 * instant when falling back repeats the time. A time that springing forward skips is read with the offset from
 * before the jump, as luxon does, so a boundary at the jump itself (02:00 in New York, 00:00 in Santiago) falls
 * on the jump.
 */
export function boundaryInstant(date: string, time: string, zone: string): string {
  return toIso(wallClockBoundary(calendarDay(date), minutesOfDay(ClockTimeSchema.parse(time)), TimeZoneSchema.parse(zone)));
}

interface Interval {
  start: number;
  end: number;
}

function slotStartsWithinOpeningHours(schedule: Schedule, day: DateTime, durationMinutes: number): number[] {
  const { timeZone, slotIntervalMinutes } = schedule;
  const override = schedule.dateOverrides.find((candidate) => candidate.date === day.toFormat('yyyy-MM-dd'));
  const ranges = override ? override.ranges : (schedule.weeklyHours[WEEKDAYS[day.weekday - 1]] ?? []);
  return ranges.flatMap((range) => {
    const closingMinute = minutesOfDay(range.end);
    const closes = wallClockBoundary(day, closingMinute, timeZone);
    const starts: number[] = [];
    // Every instant the clock shows a time from the opening on is open, so only the closing needs an instant.
    for (let minute = minutesOfDay(range.start); minute < closingMinute; minute += slotIntervalMinutes) {
      for (const start of wallClockInstants(day, minute, timeZone)) {
        if (start + durationMinutes * MINUTE_MS <= closes) starts.push(start);
      }
    }
    return starts;
  });
}

/** Whether a resource is free for an interval: no buffered booking of its own and no blocked period covers it. */
function freeChecker(schedule: Schedule, bookings: Booking[]): (resourceId: string, wanted: Interval) => boolean {
  const busy: Array<Interval & { resourceId?: string }> = [
    ...bookings.map((booking) => ({
      resourceId: booking.resourceId,
      start: Date.parse(booking.start) - schedule.bufferBeforeMinutes * MINUTE_MS,
      end: Date.parse(booking.end) + schedule.bufferAfterMinutes * MINUTE_MS,
    })),
    ...schedule.blockedPeriods.map((period) => ({ resourceId: period.resourceId, start: Date.parse(period.start), end: Date.parse(period.end) })),
  ];
  return (resourceId, wanted) =>
    !busy.some((period) => (period.resourceId ?? resourceId) === resourceId && period.start < wanted.end && wanted.start < period.end);
}

/** Calendar dates are kept as midnight UTC, where adding a day never meets a DST change. */
function calendarDay(date: string): DateTime {
  return DateTime.fromISO(CalendarDateSchema.parse(date), { zone: 'utc' });
}

function calendarDayAt(instant: number, zone: string): DateTime {
  const local = DateTime.fromMillis(instant, { zone });
  return DateTime.utc(local.year, local.month, local.day);
}

/** The clock reading `minuteOfDay` on `day`, as luxon resolves it: a time in a spring-forward gap is moved past it. */
function wallClock(day: DateTime, minuteOfDay: number, zone: string): DateTime {
  const date = day.plus({ days: Math.floor(minuteOfDay / MINUTES_PER_DAY) });
  const minute = minuteOfDay % MINUTES_PER_DAY;
  return DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: Math.floor(minute / 60), minute: minute % 60 }, { zone });
}

/** Every instant the clock reads that time: none when springing forward skips it, two when falling back repeats it. */
function wallClockInstants(day: DateTime, minuteOfDay: number, zone: string): number[] {
  const local = wallClock(day, minuteOfDay, zone);
  if (local.hour * 60 + local.minute !== minuteOfDay) return [];
  return local.getPossibleOffsets().map((instant) => instant.toMillis());
}

/** See boundaryInstant; here 1440 is the next midnight, for ranges open "until 24:00". */
function wallClockBoundary(day: DateTime, minuteOfDay: number, zone: string): number {
  return Math.min(...wallClock(day, minuteOfDay, zone).getPossibleOffsets().map((instant) => instant.toMillis()));
}

function toIso(instant: number): string {
  return new Date(instant).toISOString();
}

function byStart(a: Slot, b: Slot): number {
  return Date.parse(a.start) - Date.parse(b.start);
}
