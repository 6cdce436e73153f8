import demoDocument from '../../tenants/demo.json';
import type { Service } from '../domain/catalogue';
import { TenantSchema, type Tenant } from '../domain/tenant';
import { TenantConfigSchema } from '../domain/tenant-config';
import type { Pool } from './pool';
import type { BookingPolicySettings } from './schedules';
import { applyTenantConfig } from './tenant-config';

/**
 * The tenant `npm start` and the tests talk to; CONTRACT.md names it `demo`. It is a tenant
 * configuration document like any other (tenants/demo.json); its channels and CRM come from env.
 */
export const DEMO_CONFIG = TenantConfigSchema.parse(demoDocument);

export const DEMO_TENANT: Tenant = TenantSchema.parse(DEMO_CONFIG);
export const DEMO_SERVICES: readonly Service[] = DEMO_CONFIG.services;
export const DEMO_STAFF = DEMO_CONFIG.staff;
export const DEMO_BOOKING_POLICY: BookingPolicySettings = DEMO_CONFIG.booking!;

/** Makes the demo tenant from its file, or brings an existing one up to the file: edit it, restart, and it is so. */
export async function seedDemoTenant(pool: Pool): Promise<void> {
  await applyTenantConfig(pool, DEMO_CONFIG);
}
