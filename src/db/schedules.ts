import { z } from 'zod';
import { QuietHoursSchema, ScheduleSchema, type Booking, type Resource } from '../domain/scheduling/schedule';
import type { Pool } from './pool';
import { inTransaction } from './transaction';

/** How a tenant takes appointments: everything the booking tools and reminders need to know. */
export const BookingPolicySchema = z.object({
  schedule: ScheduleSchema,
  reminderOffsetsMinutes: z.array(z.number().int().positive()),
  quietHours: QuietHoursSchema,
  /** `link`: the assistant sends `bookingUrl` instead of booking itself. */
  bookingMode: z.enum(['assistant', 'link']),
  bookingUrl: z.url().nullable(),
});
export type BookingPolicy = z.infer<typeof BookingPolicySchema>;
/** What a tenant's settings row holds (the zone is the tenant's, the rest has defaults). */
export type BookingPolicySettings = Omit<z.input<typeof BookingPolicySchema>, 'schedule'> & {
  schedule: Omit<z.input<typeof ScheduleSchema>, 'timeZone' | 'dateOverrides' | 'blockedPeriods'>;
};

/** The tenant's booking policy, or undefined for a tenant that takes no appointments. */
export async function loadBookingPolicy(pool: Pool, tenantId: string): Promise<BookingPolicy | undefined> {
  const { rows } = await pool.query(
    `SELECT t.time_zone, s.*,
            coalesce((SELECT json_agg(json_build_object('date', to_char(o.date, 'YYYY-MM-DD'), 'ranges', o.ranges))
                      FROM schedule_overrides o WHERE o.tenant_id = s.tenant_id), '[]') AS date_overrides,
            -- Past periods cannot matter to a slot offered from now on.
            coalesce((SELECT json_agg(json_build_object('start', lower(b.period), 'end', upper(b.period), 'resourceId', b.resource_id))
                      FROM blocked_periods b WHERE b.tenant_id = s.tenant_id AND upper(b.period) > now()), '[]') AS blocked_periods
     FROM schedules s JOIN tenants t ON t.id = s.tenant_id WHERE s.tenant_id = $1`,
    [tenantId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return BookingPolicySchema.parse({
    schedule: {
      timeZone: row.time_zone,
      weeklyHours: row.weekly_hours,
      dateOverrides: row.date_overrides,
      blockedPeriods: row.blocked_periods.map((period: { start: string; end: string; resourceId: string | null }) => ({
        start: new Date(period.start).toISOString(),
        end: new Date(period.end).toISOString(),
        ...(period.resourceId ? { resourceId: period.resourceId } : {}),
      })),
      slotIntervalMinutes: row.slot_interval_minutes,
      bufferBeforeMinutes: row.buffer_before_minutes,
      bufferAfterMinutes: row.buffer_after_minutes,
      minNoticeMinutes: row.min_notice_minutes,
      maxDaysAhead: row.max_days_ahead,
    },
    reminderOffsetsMinutes: row.reminder_offsets_minutes,
    quietHours: { start: row.quiet_hours_start, end: row.quiet_hours_end },
    bookingMode: row.booking_mode,
    bookingUrl: row.booking_url,
  });
}

/** Active staff and rooms, with the services each performs. */
export async function loadResources(pool: Pool, tenantId: string): Promise<Resource[]> {
  const { rows } = await pool.query<Resource>(
    `SELECT r.id, coalesce(array_agg(rs.service_id) FILTER (WHERE rs.service_id IS NOT NULL), '{}') AS "serviceIds"
     FROM resources r LEFT JOIN resource_services rs ON rs.tenant_id = r.tenant_id AND rs.resource_id = r.id
     WHERE r.tenant_id = $1 AND r.active GROUP BY r.id ORDER BY r.id`,
    [tenantId],
  );
  return rows;
}

/** Bookings that hold time between `from` and `to` (cancelled ones do not). */
export async function loadBusyTimes(pool: Pool, tenantId: string, from: Date, to: Date): Promise<Booking[]> {
  const { rows } = await pool.query<{ start: Date; end: Date; resourceId: string }>(
    `SELECT starts_at AS start, ends_at AS "end", resource_id AS "resourceId" FROM bookings
     WHERE tenant_id = $1 AND status <> 'cancelled' AND blocked && tstzrange($2, $3)`,
    [tenantId, from, to],
  );
  return rows.map((row) => ({ start: row.start.toISOString(), end: row.end.toISOString(), resourceId: row.resourceId }));
}

/** Seeds a tenant's policy and staff unless it has a policy already. */
export async function insertBookingPolicyIfAbsent(
  pool: Pool,
  tenantId: string,
  policy: BookingPolicySettings,
  resources: readonly { id: string; name: string; serviceIds: string[] }[],
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const { rowCount } = await client.query(
      `INSERT INTO schedules (tenant_id, weekly_hours, slot_interval_minutes, buffer_before_minutes, buffer_after_minutes,
                              min_notice_minutes, max_days_ahead, reminder_offsets_minutes, quiet_hours_start, quiet_hours_end,
                              booking_mode, booking_url)
       VALUES ($1, $2, coalesce($3, 30), coalesce($4, 0), coalesce($5, 0), coalesce($6, 120), coalesce($7, 60), $8, $9, $10, $11, $12)
       ON CONFLICT (tenant_id) DO NOTHING`,
      [
        tenantId,
        JSON.stringify(policy.schedule.weeklyHours),
        policy.schedule.slotIntervalMinutes,
        policy.schedule.bufferBeforeMinutes,
        policy.schedule.bufferAfterMinutes,
        policy.schedule.minNoticeMinutes,
        policy.schedule.maxDaysAhead,
        policy.reminderOffsetsMinutes,
        policy.quietHours.start,
        policy.quietHours.end,
        policy.bookingMode,
        policy.bookingUrl,
      ],
    );
    if (rowCount === 1) {
      for (const resource of resources) {
        await client.query('INSERT INTO resources (tenant_id, id, name) VALUES ($1, $2, $3)', [tenantId, resource.id, resource.name]);
        for (const serviceId of resource.serviceIds) {
          await client.query('INSERT INTO resource_services (tenant_id, resource_id, service_id) VALUES ($1, $2, $3)', [tenantId, resource.id, serviceId]);
        }
      }
    }
  });
}
