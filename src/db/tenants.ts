import { TenantSchema, type Tenant } from '../domain/tenant';
import type { Pool } from './pool';

const SELECT_TENANT = `
  SELECT id, name, time_zone AS "timeZone", language, persona, business_description AS "businessDescription",
         burst_quiet_ms AS "burstQuietMs"
  FROM tenants WHERE id = $1`;

export async function findTenant(pool: Pool, id: string): Promise<Tenant | undefined> {
  const { rows } = await pool.query(SELECT_TENANT, [id]);
  return rows[0] ? TenantSchema.parse(rows[0]) : undefined;
}

/** Inserts the tenant unless one with its id exists; an existing tenant is left as it is. */
export async function insertTenantIfAbsent(pool: Pool, tenant: Tenant): Promise<void> {
  await pool.query(
    `INSERT INTO tenants (id, name, time_zone, language, persona, business_description, burst_quiet_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [tenant.id, tenant.name, tenant.timeZone, tenant.language, tenant.persona, tenant.businessDescription, tenant.burstQuietMs],
  );
}
