import { TenantSchema, type Tenant } from '../domain/tenant';
import { readThroughCache } from '../read-through-cache';
import type { Pool } from './pool';

const SELECT_TENANT = `
  SELECT id, name, time_zone AS "timeZone", language, persona, business_description AS "businessDescription",
         burst_quiet_ms AS "burstQuietMs", facts,
         opaque_contact_keys AS "opaqueContactKeys"
  FROM tenants WHERE id = $1`;

export async function findTenant(pool: Pool, id: string): Promise<Tenant | undefined> {
  const { rows } = await pool.query(SELECT_TENANT, [id]);
  return rows[0] ? TenantSchema.parse(rows[0]) : undefined;
}

/** How often a cached tenant setting is read again: a change reaches every process within twice this. */
export const TENANT_CACHE_REFRESH_MS = 10_000;

/** Tenants as read lately: every message needs its tenant, twice (API, model step), and tenants change rarely. */
export function cachedTenantLookup(pool: Pool): (id: string) => Promise<Tenant | undefined> {
  return readThroughCache((id) => findTenant(pool, id), { refreshAfterMs: TENANT_CACHE_REFRESH_MS });
}

/** Inserts the tenant unless one with its id exists; an existing one only gets facts it had none of. */
export async function insertTenantIfAbsent(pool: Pool, tenant: Tenant): Promise<void> {
  await pool.query(
    `INSERT INTO tenants (id, name, time_zone, language, persona, business_description, burst_quiet_ms, facts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET facts = EXCLUDED.facts WHERE tenants.facts = '{}'`,
    [tenant.id, tenant.name, tenant.timeZone, tenant.language, tenant.persona, tenant.businessDescription, tenant.burstQuietMs ?? null, tenant.facts],
  );
}
