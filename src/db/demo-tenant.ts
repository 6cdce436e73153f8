import type { Tenant } from '../domain/tenant';
import type { Pool } from './pool';
import { insertTenantIfAbsent } from './tenants';

/** The tenant `npm start` and the tests talk to; CONTRACT.md names it `demo`. */
export const DEMO_TENANT: Tenant = {
  id: 'demo',
  name: 'Clínica Demo',
  timeZone: 'America/Argentina/Buenos_Aires',
  language: 'es',
  persona: 'Eres Sofía, la asistente virtual de Clínica Demo: cálida, precisa y breve.',
  businessDescription: 'Clínica de estética y bienestar en Buenos Aires: limpieza facial, depilación láser y masajes.',
  burstQuietMs: 3_000,
};

export function seedDemoTenant(pool: Pool): Promise<void> {
  return insertTenantIfAbsent(pool, DEMO_TENANT);
}
