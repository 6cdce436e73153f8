import type { Service } from '../domain/catalogue';
import type { Tenant } from '../domain/tenant';
import { insertServicesIfAbsent } from './catalogue';
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

export const DEMO_SERVICES: readonly Service[] = [
  {
    id: 'depilacion-laser',
    name: 'Depilación láser',
    description: 'Depilación definitiva con láser de diodo, por zona. Laser hair removal.',
    durationMinutes: 45,
    price: 25_000,
    currency: 'ARS',
  },
  {
    id: 'limpieza-facial',
    name: 'Limpieza facial profunda',
    description: 'Limpieza de cutis con extracción, exfoliación y máscara hidratante. Deep facial cleansing.',
    durationMinutes: 60,
    price: 18_000,
    currency: 'ARS',
  },
  {
    id: 'masaje-descontracturante',
    name: 'Masaje descontracturante',
    description: 'Masaje de espalda, cuello y hombros para aliviar contracturas. Relaxing back massage.',
    durationMinutes: 50,
    price: 22_000,
    currency: 'ARS',
  },
  {
    id: 'peeling-quimico',
    name: 'Peeling químico',
    description: 'Renovación de la piel con ácidos suaves para manchas y textura. Chemical peel.',
    durationMinutes: 40,
    price: 30_000,
    currency: 'ARS',
  },
];

export async function seedDemoTenant(pool: Pool): Promise<void> {
  await insertTenantIfAbsent(pool, DEMO_TENANT);
  await insertServicesIfAbsent(pool, DEMO_TENANT.id, DEMO_SERVICES);
}
