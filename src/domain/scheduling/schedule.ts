import { IANAZone } from 'luxon';
import { z } from 'zod';

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "HH:MM" on the tenant's wall clock. */
export const ClockTimeSchema = z.string().regex(CLOCK_TIME, 'expected HH:MM');

/** Minutes past local midnight of a "HH:MM" time; "24:00" is 1440, the next midnight. */
export function minutesOfDay(clockTime: string): number {
  const [hours, minutes] = clockTime.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * Zones found valid so far. Luxon checks a zone by building an Intl formatter each time, which
 * made this check a hot spot of every schedule parsed; only valid names are kept, so the set is
 * bounded by the IANA list, whatever callers send.
 */
const validZones = new Set<string>();

function isValidZone(zone: string): boolean {
  if (validZones.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  validZones.add(zone);
  return true;
}

export const TimeZoneSchema = z.string().refine(isValidZone, 'expected an IANA time zone');
export const CalendarDateSchema = z.iso.date();
/** An absolute instant: an offset-less time would be read in whatever zone the server runs in. */
export const InstantSchema = z.iso.datetime({ offset: true });

/** A Date, or an ISO string that carries its offset. */
export type Instant = Date | string;

export function instantMillis(instant: Instant): number {
  return instant instanceof Date ? instant.getTime() : Date.parse(InstantSchema.parse(instant));
}

export const OpeningRangeSchema = z
  .object({ start: ClockTimeSchema, end: z.union([ClockTimeSchema, z.literal('24:00')]) })
  .refine((range) => minutesOfDay(range.start) < minutesOfDay(range.end), 'a range must end after it starts');
export type OpeningRange = z.infer<typeof OpeningRangeSchema>;

// Overlapping ranges would offer the same slot twice.
const DayHoursSchema = z.array(OpeningRangeSchema).refine((ranges) => {
  const byStart = [...ranges].sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start));
  return byStart.every((range, i) => i === 0 || minutesOfDay(byStart[i - 1].end) <= minutesOfDay(range.start));
}, 'the ranges of a day must not overlap');

/** Luxon's weekday numbers, as JSON object keys: 1 is Monday, 7 is Sunday. */
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;

const interval = { start: InstantSchema, end: InstantSchema };
const endsAfterStart = (period: { start: string; end: string }) => Date.parse(period.start) < Date.parse(period.end);

/** A holiday or an absence; without resourceId it closes the whole business. */
export const BlockedPeriodSchema = z
  .object({ ...interval, resourceId: z.string().min(1).optional() })
  .refine(endsAfterStart, 'end must be after start');
export type BlockedPeriod = z.infer<typeof BlockedPeriodSchema>;

const nonNegativeInt = () => z.number().int().min(0);

export const ScheduleSchema = z.object({
  timeZone: TimeZoneSchema,
  /** A weekday left out is closed. */
  weeklyHours: z.partialRecord(z.enum(WEEKDAYS), DayHoursSchema),
  /** Replace the weekly hours of one date; no ranges closes it. */
  dateOverrides: z
    .array(z.object({ date: CalendarDateSchema, ranges: DayHoursSchema }))
    .refine((overrides) => new Set(overrides.map((o) => o.date)).size === overrides.length, 'one override per date')
    .default([]),
  blockedPeriods: z.array(BlockedPeriodSchema).default([]),
  slotIntervalMinutes: z.number().int().positive().default(30),
  bufferBeforeMinutes: nonNegativeInt().default(0),
  bufferAfterMinutes: nonNegativeInt().default(0),
  minNoticeMinutes: nonNegativeInt().default(120),
  maxDaysAhead: nonNegativeInt().default(60),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

/** From the week's earliest opening to its latest closing; undefined when it never opens. */
export function openingSpan(weeklyHours: Schedule['weeklyHours']): OpeningRange | undefined {
  const ranges = Object.values(weeklyHours).flat();
  if (ranges.length === 0) return undefined;
  const byStart = ranges.map((range) => range.start).sort();
  const byEnd = ranges.map((range) => range.end).sort();
  return { start: byStart[0], end: byEnd.at(-1)! };
}

export const BookableServiceSchema = z.object({ id: z.string().min(1), durationMinutes: z.number().int().positive() });
export type BookableService = z.infer<typeof BookableServiceSchema>;

/** A staff member or a room; it can take the services listed. */
export const ResourceSchema = z.object({ id: z.string().min(1), serviceIds: z.array(z.string().min(1)) });
export type Resource = z.infer<typeof ResourceSchema>;

/** The appointment itself; the tenant's buffers are added around it when checking for clashes. */
export const BookingSchema = z.object({ ...interval, resourceId: z.string().min(1) }).refine(endsAfterStart, 'end must be after start');
export type Booking = z.infer<typeof BookingSchema>;

/** When customers must not be messaged; start after end means the window spans midnight. */
export const QuietHoursSchema = z
  .object({ start: ClockTimeSchema, end: ClockTimeSchema })
  .refine((quiet) => quiet.start !== quiet.end, 'quiet hours must not be empty');
export type QuietHours = z.infer<typeof QuietHoursSchema>;
