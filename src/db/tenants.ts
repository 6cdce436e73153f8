import { LRUCache } from 'lru-cache';
import { TenantSchema, type Tenant } from '../domain/tenant';
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

/** How long a tenant read is reused: a change to a tenant reaches every process within this. */
export const TENANT_CACHE_TTL_MS = 10_000;

/**
 * Tenants as read within the last TENANT_CACHE_TTL_MS. Every message needs its tenant, twice
 * (API, model step), and tenants change rarely. An unknown id is remembered too, so a flood of
 * made-up ids does not reach the database; concurrent reads of one id make one query.
 */
export function cachedTenantLookup(pool: Pool): (id: string) => Promise<Tenant | undefined> {
  const cache = new LRUCache<string, { tenant?: Tenant }>({
    max: 10_000,
    ttl: TENANT_CACHE_TTL_MS,
    fetchMethod: async (id) => ({ tenant: await findTenant(pool, id) }),
  });
  return async (id) => (await cache.fetch(id))?.tenant;
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
