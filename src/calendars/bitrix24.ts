import { ApplicationFailure } from '@temporalio/common';
import { DateTime } from 'luxon';
import { callBitrix24 } from '../crm/bitrix24';
import type { Bitrix24CalendarSettings, BusyInterval, CalendarAdapter, CalendarEventInput } from './adapter';

const DAY_MS = 86_400_000;
/** The wall-clock form the portal reads `from`/`to` in, with `timezone_from`/`timezone_to` naming the zone. */
const WALL_CLOCK = 'yyyy-MM-dd HH:mm:ss';

/** An entry of `calendar.accessibility.get` or `calendar.event.get`, as far as we read it. */
type PortalEvent = {
  ID: string | number;
  DESCRIPTION?: string | null;
  DATE_FROM_TS_UTC?: string | number;
  DATE_TO_TS_UTC?: string | number;
  DT_SKIP_TIME?: 'Y' | 'N';
  ACCESSIBILITY?: string;
  DELETED?: 'Y' | 'N';
};

/**
 * Users' calendars in a Bitrix24 portal through an inbound webhook (scope `calendar`). A resource's
 * calendar id is the portal user id whose calendar it is. Customers are not portal users, so they
 * are not the event's attendees: the description carries who booked.
 */
export function createBitrix24Calendar(settings: Bitrix24CalendarSettings): CalendarAdapter {
  const restUrl = settings.webhookUrl.endsWith('/') ? settings.webhookUrl : `${settings.webhookUrl}/`;
  const call = <T>(method: string, params: Record<string, unknown>) => callBitrix24<T>(restUrl, method, params, 'Calendar');

  return {
    provider: 'bitrix24',

    async busy(calendarIds, from, to) {
      // The portal takes whole days; the day before and after cover every zone, the instants trim them.
      const answer = await call<Record<string, PortalEvent[]> | []>('calendar.accessibility.get', {
        users: calendarIds.map(userId),
        from: day(from.getTime() - DAY_MS),
        to: day(to.getTime() + DAY_MS),
      });
      const byUser = Array.isArray(answer) ? {} : answer;
      return new Map(
        calendarIds.map((id) => [
          id,
          (byUser[id] ?? [])
            .filter((entry) => entry.ACCESSIBILITY !== 'free')
            .map(interval)
            .filter(({ start, end }) => Date.parse(start) < to.getTime() && Date.parse(end) > from.getTime()),
        ]),
      );
    },

    async createEvent(calendarId, event) {
      // A retried create finds the event the first attempt made by the marker in its description.
      const around = { from: day(Date.parse(event.start) - DAY_MS), to: day(Date.parse(event.end) + DAY_MS) };
      const events = await call<PortalEvent[]>('calendar.event.get', { type: 'user', ownerId: userId(calendarId), ...around });
      const ours = events.find((candidate) => candidate.DELETED !== 'Y' && candidate.DESCRIPTION?.includes(marker(event.idempotencyKey)));
      if (ours) return { eventId: String(ours.ID) };
      const id = await call<number | string>('calendar.event.add', { type: 'user', ownerId: userId(calendarId), ...eventFields(event), accessibility: 'busy' });
      return { eventId: String(id) };
    },

    async updateEvent(calendarId, eventId, event) {
      await call('calendar.event.update', { id: Number(eventId), type: 'user', ownerId: userId(calendarId), ...eventFields(event) });
    },

    async deleteEvent(calendarId, eventId) {
      // The portal refuses to delete what is gone, with no code of its own: look first.
      const current = await call<PortalEvent | null>('calendar.event.getbyid', { id: Number(eventId) });
      if (!current || current.DELETED === 'Y') return;
      await call('calendar.event.delete', { id: Number(eventId), type: 'user', ownerId: userId(calendarId) });
    },
  };
}

/** A resource's calendar id is its portal user's id; anything else is a setup mistake no retry fixes. */
function userId(calendarId: string): number {
  if (!/^[1-9]\d*$/.test(calendarId)) throw ApplicationFailure.nonRetryable('Bitrix24 calendar: a calendar id must be a portal user id', 'CalendarRefused');
  return Number(calendarId);
}

function marker(idempotencyKey: string): string {
  return `[concierge:${idempotencyKey}]`;
}

/** The fields add and update share: the event on the tenant's wall clock, with its zone. */
function eventFields(event: CalendarEventInput): Record<string, unknown> {
  const wallClock = (instant: string) => DateTime.fromISO(instant, { zone: event.timeZone }).toFormat(WALL_CLOCK);
  const attendees = event.attendees.map(({ name, email }) => (name ? `${name} <${email}>` : email)).join(', ');
  const description = [event.description, attendees && `Attendees: ${attendees}`, marker(event.idempotencyKey)].filter(Boolean).join('\n\n');
  return {
    name: event.title,
    description,
    from: wallClock(event.start),
    to: wallClock(event.end),
    timezone_from: event.timeZone,
    timezone_to: event.timeZone,
    skip_time: 'N',
  };
}

/** A busy entry as instants: an all-day entry's end is the start of its last day, so the day is added. */
function interval(entry: PortalEvent): BusyInterval {
  const start = Number(entry.DATE_FROM_TS_UTC) * 1000;
  const end = Number(entry.DATE_TO_TS_UTC) * 1000 + (entry.DT_SKIP_TIME === 'Y' ? DAY_MS : 0);
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

function day(millis: number): string {
  return new Date(millis).toISOString().slice(0, 10);
}
