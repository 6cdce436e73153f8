import { z } from 'zod';
import { CalendarAccountsSchema, ExternalCalendarProviderSchema, ResourceCalendarSchema, type CalendarAccounts, type ExternalCalendarProvider, type ResourceCalendar } from '../calendars/adapter';
import { ChannelSchema } from '../domain/conversation';
import { LanguageSchema } from '../domain/language';
import { isBookingId } from './bookings';
import type { Pool } from './pool';

/** A tenant's external calendars: its accounts, and which resource's agenda lives in which. */
export interface CalendarSetup {
  accounts: CalendarAccounts;
  resources: Map<string, ResourceCalendar>;
}

export async function loadCalendarSetup(pool: Pool, tenantId: string): Promise<CalendarSetup> {
  const { rows } = await pool.query<{ accounts: unknown; resources: Array<{ id: string; calendar: unknown }> | null }>(
    `SELECT (SELECT coalesce(json_object_agg(provider, config), '{}') FROM tenant_calendars WHERE tenant_id = $1) AS accounts,
            (SELECT json_agg(json_build_object('id', id, 'calendar', calendar)) FROM resources
             WHERE tenant_id = $1 AND active AND calendar IS NOT NULL) AS resources`,
    [tenantId],
  );
  const row = rows[0];
  return {
    accounts: CalendarAccountsSchema.parse(row?.accounts ?? {}),
    resources: new Map((row?.resources ?? []).map(({ id, calendar }) => [id, ResourceCalendarSchema.parse(calendar)])),
  };
}

const isoInstant = z.date().transform((date) => date.toISOString());

/** A booking as its external event shows it, with the event as last made to match. */
export const BookingForEventSchema = z.object({
  tenantId: z.string(),
  bookingId: z.string(),
  status: z.string(),
  channel: ChannelSchema,
  contactId: z.string(),
  /** From the contact's lead: the event invites them when known. */
  customerEmail: z.string().nullable(),
  start: isoInstant,
  end: isoInstant,
  serviceName: z.string(),
  customerName: z.string().nullable(),
  resourceName: z.string(),
  businessName: z.string(),
  language: LanguageSchema,
  timeZone: z.string(),
  calendar: ResourceCalendarSchema.nullable(),
  event: z
    .object({
      provider: ExternalCalendarProviderSchema,
      calendarId: z.string(),
      eventId: z.string(),
      meetLink: z.string().nullable(),
      start: z.string().nullable(),
      end: z.string().nullable(),
    })
    .nullable(),
});
export type BookingForEvent = z.infer<typeof BookingForEventSchema>;

export async function loadBookingForEvent(pool: Pool, tenantId: string, bookingId: string): Promise<BookingForEvent | undefined> {
  if (!isBookingId(bookingId)) return undefined;
  const { rows } = await pool.query(
    `SELECT b.tenant_id AS "tenantId", b.id::text AS "bookingId", b.status, b.channel, b.contact_id AS "contactId",
            (SELECT l.email FROM leads l WHERE l.tenant_id = b.tenant_id AND l.channel = b.channel AND l.contact_id = b.contact_id
             ORDER BY l.updated_at DESC LIMIT 1) AS "customerEmail",
            b.starts_at AS start, b.ends_at AS "end",
            sv.name AS "serviceName", b.customer_name AS "customerName", r.name AS "resourceName", t.name AS "businessName",
            t.language, t.time_zone AS "timeZone", r.calendar,
            CASE WHEN e.booking_id IS NULL THEN NULL ELSE json_build_object('provider', e.provider, 'calendarId', e.calendar_id,
              'eventId', e.event_id, 'meetLink', e.meet_link, 'start', e.starts_at, 'end', e.ends_at) END AS event
     FROM bookings b
     JOIN services sv ON sv.tenant_id = b.tenant_id AND sv.id = b.service_id
     JOIN resources r ON r.tenant_id = b.tenant_id AND r.id = b.resource_id
     JOIN tenants t ON t.id = b.tenant_id
     LEFT JOIN booking_calendar_events e ON e.booking_id = b.id
     WHERE b.tenant_id = $1 AND b.id = $2`,
    [tenantId, bookingId],
  );
  return rows[0] ? BookingForEventSchema.parse(rows[0]) : undefined;
}

export interface RecordedEvent {
  provider: string;
  calendarId: string;
  eventId: string;
  meetLink?: string;
  /** The booking's times the event now has; undefined once deleted. */
  times?: { start: string; end: string };
}

export async function recordBookingEvent(pool: Pool, tenantId: string, bookingId: string, event: RecordedEvent): Promise<void> {
  await pool.query(
    `INSERT INTO booking_calendar_events (booking_id, tenant_id, provider, calendar_id, event_id, meet_link, starts_at, ends_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (booking_id) DO UPDATE SET provider = EXCLUDED.provider, calendar_id = EXCLUDED.calendar_id, event_id = EXCLUDED.event_id,
       meet_link = EXCLUDED.meet_link, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, updated_at = now()`,
    [bookingId, tenantId, event.provider, event.calendarId, event.eventId, event.meetLink ?? null, event.times?.start ?? null, event.times?.end ?? null],
  );
}

/** The events still in external calendars (not deleted) of these bookings. */
export async function findLiveBookingEvents(
  pool: Pool,
  tenantId: string,
  bookingIds: readonly string[],
): Promise<Array<{ bookingId: string; provider: ExternalCalendarProvider; calendarId: string; eventId: string }>> {
  const { rows } = await pool.query<{ bookingId: string; provider: unknown; calendarId: string; eventId: string }>(
    `SELECT booking_id::text AS "bookingId", provider, calendar_id AS "calendarId", event_id AS "eventId"
     FROM booking_calendar_events WHERE tenant_id = $1 AND booking_id = ANY($2::uuid[]) AND starts_at IS NOT NULL`,
    [tenantId, bookingIds.filter(isBookingId)],
  );
  return rows.map((row) => ({ ...row, provider: ExternalCalendarProviderSchema.parse(row.provider) }));
}
