import type pg from 'pg';
import { TenantConfigSchema, type TenantConfig } from '../domain/tenant-config';
import type { Pool } from './pool';
import { createTenantToken } from './tenant-tokens';
import { inTransaction } from './transaction';

/**
 * A tenant's configuration document (src/domain/tenant-config.ts) in PostgreSQL: the tenant row,
 * its services, staff, booking policy, channels and CRM, written in one transaction so a tenant
 * is never half made or half changed.
 */

/** Makes the tenant; false (and nothing written) when a tenant with its id exists. */
export function createTenantConfig(pool: Pool, config: TenantConfig): Promise<boolean> {
  return inTransaction(pool, (client) => insertTenant(client, config));
}

/**
 * Makes the tenant and its first token together, so no tenant is ever left that only the
 * operator can reach; the token, or undefined (and nothing written) when the id is taken.
 */
export function createTenantWithToken(pool: Pool, config: TenantConfig, label: string): Promise<string | undefined> {
  return inTransaction(pool, async (client) => ((await insertTenant(client, config)) ? createTenantToken(client, config.id, label) : undefined));
}

async function insertTenant(client: pg.PoolClient, config: TenantConfig): Promise<boolean> {
  const { rowCount } = await client.query(
    `INSERT INTO tenants (id, name, time_zone, language, persona, business_description, burst_quiet_ms, facts, opaque_contact_keys)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
    tenantRow(config),
  );
  if (rowCount === 0) return false;
  await writeParts(client, config);
  return true;
}

/**
 * Replaces the tenant's configuration; false when there is no such tenant. Services and staff
 * left out are deactivated, not deleted: bookings still name them.
 */
export function replaceTenantConfig(pool: Pool, config: TenantConfig): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    // The row lock also queues concurrent replacements of one tenant.
    const { rowCount } = await client.query(
      `UPDATE tenants SET name = $2, time_zone = $3, language = $4, persona = $5, business_description = $6,
              burst_quiet_ms = $7, facts = $8, opaque_contact_keys = $9, updated_at = now()
       WHERE id = $1`,
      tenantRow(config),
    );
    if (rowCount === 0) return false;
    await writeParts(client, config);
    return true;
  });
}

/** Makes the tenant, or brings the existing one up to the document: for documents kept as files. */
export async function applyTenantConfig(pool: Pool, config: TenantConfig): Promise<'created' | 'replaced'> {
  if (await createTenantConfig(pool, config)) return 'created';
  // A tenant is never deleted, so one that was there when creating still is.
  await replaceTenantConfig(pool, config);
  return 'replaced';
}

/** The tenant's configuration as stored, secrets included; undefined for no such tenant. */
export async function loadTenantConfig(pool: Pool, tenantId: string): Promise<TenantConfig | undefined> {
  const { rows } = await pool.query(
    `SELECT t.id, t.name, t.time_zone AS "timeZone", t.language, t.persona, t.business_description AS "businessDescription",
            t.burst_quiet_ms AS "burstQuietMs", t.facts, t.opaque_contact_keys AS "opaqueContactKeys",
            (SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name, 'description', s.description,
                       'durationMinutes', s.duration_minutes, 'price', s.price::float8, 'currency', s.currency,
                       'translations', s.translations) ORDER BY s.created_at, s.id), '[]')
             FROM services s WHERE s.tenant_id = t.id AND s.active) AS services,
            (SELECT coalesce(json_agg(json_strip_nulls(json_build_object('id', r.id, 'name', r.name, 'calendar', r.calendar, 'serviceIds',
                       (SELECT coalesce(array_agg(rs.service_id ORDER BY rs.service_id), '{}') FROM resource_services rs
                        WHERE rs.tenant_id = r.tenant_id AND rs.resource_id = r.id))) ORDER BY r.id), '[]')
             FROM resources r WHERE r.tenant_id = t.id AND r.active) AS staff,
            (SELECT json_build_object(
                      'schedule', json_build_object('weeklyHours', sc.weekly_hours, 'slotIntervalMinutes', sc.slot_interval_minutes,
                        'bufferBeforeMinutes', sc.buffer_before_minutes, 'bufferAfterMinutes', sc.buffer_after_minutes,
                        'minNoticeMinutes', sc.min_notice_minutes, 'maxDaysAhead', sc.max_days_ahead),
                      'reminderOffsetsMinutes', sc.reminder_offsets_minutes,
                      'quietHours', json_build_object('start', sc.quiet_hours_start, 'end', sc.quiet_hours_end),
                      'bookingMode', sc.booking_mode, 'bookingUrl', sc.booking_url)
             FROM schedules sc WHERE sc.tenant_id = t.id) AS booking,
            (SELECT coalesce(json_object_agg(c.channel, c.config), '{}') FROM tenant_channels c WHERE c.tenant_id = t.id) AS channels,
            (SELECT cr.config || jsonb_build_object('provider', cr.provider, 'qualification', cr.qualification)
             FROM tenant_crm cr WHERE cr.tenant_id = t.id) AS crm,
            (SELECT json_object_agg(tc.provider, tc.config) FROM tenant_calendars tc WHERE tc.tenant_id = t.id) AS calendars
     FROM tenants t WHERE t.id = $1`,
    [tenantId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { burstQuietMs, opaqueContactKeys, booking, crm, calendars, ...rest } = row;
  // Left out when off, as documents written before the setting are.
  return TenantConfigSchema.parse({
    ...rest,
    ...(burstQuietMs === null ? {} : { burstQuietMs }),
    ...(opaqueContactKeys ? { opaqueContactKeys } : {}),
    ...(booking ? { booking } : {}),
    ...(crm ? { crm } : {}),
    ...(calendars ? { calendars } : {}),
  });
}

function tenantRow(config: TenantConfig): unknown[] {
  return [config.id, config.name, config.timeZone, config.language, config.persona, config.businessDescription, config.burstQuietMs ?? null, config.facts, config.opaqueContactKeys ?? false];
}

async function writeParts(client: pg.PoolClient, config: TenantConfig): Promise<void> {
  const tenantId = config.id;
  await client.query(
    `INSERT INTO services (tenant_id, id, name, description, duration_minutes, price, currency, translations)
     SELECT $1, s.id, s.name, s.description, s."durationMinutes", s.price, s.currency, coalesce(s.translations, '{}')
     FROM jsonb_to_recordset($2::jsonb) AS s(id text, name text, description text, "durationMinutes" integer, price numeric, currency text, translations jsonb)
     ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
       duration_minutes = EXCLUDED.duration_minutes, price = EXCLUDED.price, currency = EXCLUDED.currency,
       translations = EXCLUDED.translations, active = true, updated_at = now()`,
    [tenantId, JSON.stringify(config.services)],
  );
  await client.query(`UPDATE services SET active = false, updated_at = now() WHERE tenant_id = $1 AND active AND NOT (id = ANY($2))`, [
    tenantId,
    config.services.map((service) => service.id),
  ]);

  await client.query(
    `INSERT INTO resources (tenant_id, id, name, calendar) SELECT $1, r.id, r.name, r.calendar FROM jsonb_to_recordset($2::jsonb) AS r(id text, name text, calendar jsonb)
     ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, calendar = EXCLUDED.calendar, active = true`,
    [tenantId, JSON.stringify(config.staff)],
  );
  await client.query(`UPDATE resources SET active = false WHERE tenant_id = $1 AND active AND NOT (id = ANY($2))`, [tenantId, config.staff.map((member) => member.id)]);
  await client.query('DELETE FROM resource_services WHERE tenant_id = $1', [tenantId]);
  await client.query(
    `INSERT INTO resource_services (tenant_id, resource_id, service_id)
     SELECT $1, r.id, unnest(r."serviceIds") FROM jsonb_to_recordset($2::jsonb) AS r(id text, "serviceIds" text[])`,
    [tenantId, JSON.stringify(config.staff)],
  );

  await writeBookingPolicy(client, tenantId, config.booking);

  await replaceConfigRows(client, CHANNEL_ROWS, tenantId, Object.entries(config.channels));
  await replaceConfigRows(client, CALENDAR_ROWS, tenantId, Object.entries(config.calendars ?? {}).filter(([, settings]) => settings));

  if (!config.crm) {
    await client.query('DELETE FROM tenant_crm WHERE tenant_id = $1', [tenantId]);
  } else {
    const { provider, qualification, ...settings } = config.crm;
    await client.query(
      `INSERT INTO tenant_crm (tenant_id, provider, config, qualification) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET provider = EXCLUDED.provider, config = EXCLUDED.config,
         qualification = EXCLUDED.qualification, updated_at = now()`,
      [tenantId, provider, settings, qualification ?? {}],
    );
  }
}

/** Tables of one configuration document per tenant and key: a tenant's channels, its calendar accounts. */
const CHANNEL_ROWS = { table: 'tenant_channels', key: 'channel' } as const;
const CALENDAR_ROWS = { table: 'tenant_calendars', key: 'provider' } as const;

/** Makes the tenant's rows exactly `entries`: keys it no longer has are deleted, the others written. */
async function replaceConfigRows(
  client: pg.PoolClient,
  { table, key }: typeof CHANNEL_ROWS | typeof CALENDAR_ROWS,
  tenantId: string,
  entries: Array<[string, unknown]>,
): Promise<void> {
  await client.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND NOT (${key} = ANY($2))`, [tenantId, entries.map(([name]) => name)]);
  for (const [name, config] of entries) {
    await client.query(
      `INSERT INTO ${table} (tenant_id, ${key}, config) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, ${key}) DO UPDATE SET config = EXCLUDED.config, updated_at = now()`,
      [tenantId, name, config],
    );
  }
}

async function writeBookingPolicy(client: pg.PoolClient, tenantId: string, booking: TenantConfig['booking']): Promise<void> {
  if (!booking) {
    await client.query('DELETE FROM schedules WHERE tenant_id = $1', [tenantId]);
    return;
  }
  const { schedule } = booking;
  await client.query(
    `INSERT INTO schedules (tenant_id, weekly_hours, slot_interval_minutes, buffer_before_minutes, buffer_after_minutes,
                            min_notice_minutes, max_days_ahead, reminder_offsets_minutes, quiet_hours_start, quiet_hours_end,
                            booking_mode, booking_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (tenant_id) DO UPDATE SET weekly_hours = EXCLUDED.weekly_hours, slot_interval_minutes = EXCLUDED.slot_interval_minutes,
       buffer_before_minutes = EXCLUDED.buffer_before_minutes, buffer_after_minutes = EXCLUDED.buffer_after_minutes,
       min_notice_minutes = EXCLUDED.min_notice_minutes, max_days_ahead = EXCLUDED.max_days_ahead,
       reminder_offsets_minutes = EXCLUDED.reminder_offsets_minutes, quiet_hours_start = EXCLUDED.quiet_hours_start,
       quiet_hours_end = EXCLUDED.quiet_hours_end, booking_mode = EXCLUDED.booking_mode, booking_url = EXCLUDED.booking_url`,
    [
      tenantId,
      JSON.stringify(schedule.weeklyHours),
      schedule.slotIntervalMinutes,
      schedule.bufferBeforeMinutes,
      schedule.bufferAfterMinutes,
      schedule.minNoticeMinutes,
      schedule.maxDaysAhead,
      booking.reminderOffsetsMinutes,
      booking.quietHours.start,
      booking.quietHours.end,
      booking.bookingMode,
      booking.bookingUrl,
    ],
  );
}
