import { DateTime } from 'luxon';
import { boundaryInstant } from './availability';
import { instantMillis, minutesOfDay, TimeZoneSchema, type Instant, type QuietHours } from './schedule';

const MINUTE_MS = 60_000;

export interface ReminderRequest {
  appointmentStart: Instant;
  /** Real elapsed minutes before the appointment: 1440 is 24 h even across a DST change. */
  offsetsMinutes?: number[];
  /** On the tenant's clock. */
  quietHours: QuietHours;
  timeZone: string;
  now: Instant;
}

export interface Reminder {
  offsetMinutes: number;
  at: string;
}

/**
 * When to remind a customer of an appointment, in time order. A reminder that would fall in quiet hours moves
 * earlier, to the last minute before those quiet hours began (20:59 for quiet hours from 21:00): later could be
 * too late to be of use. Reminders not after `now` are dropped; two that land on the same instant are sent once,
 * as the longer offset.
 */
export function reminderTimes({ appointmentStart, offsetsMinutes = [1440, 60], quietHours, timeZone, now }: ReminderRequest): Reminder[] {
  const zone = TimeZoneSchema.parse(timeZone);
  const start = instantMillis(appointmentStart);
  const due = offsetsMinutes
    .map((offsetMinutes) => ({ offsetMinutes, at: outsideQuietHours(start - offsetMinutes * MINUTE_MS, quietHours, zone) }))
    .filter((reminder) => reminder.at > instantMillis(now))
    .sort((a, b) => a.at - b.at || b.offsetMinutes - a.offsetMinutes);
  return due
    .filter((reminder, i) => i === 0 || reminder.at !== due[i - 1].at)
    .map(({ offsetMinutes, at }) => ({ offsetMinutes, at: new Date(at).toISOString() }));
}

function outsideQuietHours(at: number, quietHours: QuietHours, zone: string): number {
  const local = DateTime.fromMillis(at, { zone });
  const minute = local.hour * 60 + local.minute;
  const [quietStart, quietEnd] = [minutesOfDay(quietHours.start), minutesOfDay(quietHours.end)];
  const spansMidnight = quietStart > quietEnd;
  const quietSinceToday = minute >= quietStart && (spansMidnight || minute < quietEnd);
  const quietSinceYesterday = spansMidnight && minute < quietEnd;
  if (!quietSinceToday && !quietSinceYesterday) return at;
  const quietDay = local.minus({ days: quietSinceToday ? 0 : 1 }).toFormat('yyyy-MM-dd');
  return Date.parse(boundaryInstant(quietDay, quietHours.start, zone)) - MINUTE_MS;
}
