import { z } from 'zod';
import { BookingStatusSchema } from '../domain/booking';
import { ChannelSchema } from '../domain/conversation';
import { QuietHoursSchema, TimeZoneSchema } from '../domain/scheduling/schedule';
import { TenantSchema } from '../domain/tenant';
import { isBookingId } from './bookings';
import type { Pool } from './pool';

/** pg reads timestamptz as Date; workflows get ISO strings, which survive their JSON payloads. */
const isoInstant = z.date().transform((date) => date.toISOString());

/** A booking as its reminders need it, with the tenant's reminder policy. */
export const AppointmentSchema = z.object({
  status: BookingStatusSchema,
  start: isoInstant,
  end: isoInstant,
  channel: ChannelSchema,
  contactId: z.string().min(1),
  serviceName: z.string().min(1),
  customerName: z.string().nullable(),
  language: TenantSchema.shape.language,
  timeZone: TimeZoneSchema,
  reminderOffsetsMinutes: z.array(z.number().int().positive()),
  quietHours: QuietHoursSchema,
  /** The tenant's: Temporal names the contact by their key (src/domain/contact-key.ts). */
  opaqueContactKeys: z.boolean().optional(),
  /** Who takes it: a move to another resource may move its external event too. */
  resourceId: z.string().optional(),
  /** Its resource's agenda is also in an external calendar, which gets an event for it. */
  externalCalendar: z.boolean().optional(),
});
export type Appointment = z.infer<typeof AppointmentSchema>;

/**
 * The booking as it stands now, or undefined when there is no such booking. A tenant takes
 * bookings only once it has a schedule, so the join finds the policy of every real booking.
 */
export async function loadAppointment(pool: Pool, tenantId: string, bookingId: string): Promise<Appointment | undefined> {
  if (!isBookingId(bookingId)) return undefined;
  const { rows } = await pool.query(
    `SELECT b.status, b.starts_at AS start, b.ends_at AS "end", b.channel, b.contact_id AS "contactId",
            sv.name AS "serviceName", b.customer_name AS "customerName", t.language, t.time_zone AS "timeZone",
            s.reminder_offsets_minutes AS "reminderOffsetsMinutes",
            json_build_object('start', s.quiet_hours_start, 'end', s.quiet_hours_end) AS "quietHours",
            t.opaque_contact_keys AS "opaqueContactKeys", b.resource_id AS "resourceId", r.calendar IS NOT NULL AS "externalCalendar"
     FROM bookings b
     JOIN services sv ON sv.tenant_id = b.tenant_id AND sv.id = b.service_id
     JOIN resources r ON r.tenant_id = b.tenant_id AND r.id = b.resource_id
     JOIN tenants t ON t.id = b.tenant_id
     JOIN schedules s ON s.tenant_id = b.tenant_id
     WHERE b.tenant_id = $1 AND b.id = $2`,
    [tenantId, bookingId],
  );
  return rows[0] ? AppointmentSchema.parse(rows[0]) : undefined;
}

/** Every booking that still has reminders or an end to wait for: each should have its workflow. */
export async function listBookingsToFollow(pool: Pool, now: Date): Promise<Array<{ tenantId: string; bookingId: string }>> {
  const { rows } = await pool.query<{ tenantId: string; bookingId: string }>(
    `SELECT tenant_id AS "tenantId", id AS "bookingId" FROM bookings WHERE status <> 'cancelled' AND ends_at > $1 ORDER BY starts_at`,
    [now],
  );
  return rows;
}

/** Whether the booking is still on, at that start (not cancelled, not moved). */
export async function isBookingLiveAt(pool: Pool, tenantId: string, bookingId: string, start: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `SELECT 1 FROM bookings WHERE tenant_id = $1 AND id::text = $2 AND status <> 'cancelled' AND starts_at = $3::timestamptz`,
    [tenantId, bookingId, start],
  );
  return (rowCount ?? 0) > 0;
}
