import type { Service } from '../domain/catalogue';
import type { Tenant } from '../domain/tenant';
import { insertServicesIfAbsent } from './catalogue';
import type { Pool } from './pool';
import { insertBookingPolicyIfAbsent, type BookingPolicySettings } from './schedules';
import { insertTenantIfAbsent } from './tenants';

/** The tenant `npm start` and the tests talk to; CONTRACT.md names it `demo`. */
export const DEMO_TENANT: Tenant = {
  id: 'demo',
  name: 'Clínica Demo',
  timeZone: 'America/Argentina/Buenos_Aires',
  language: 'es',
  persona: 'Eres Sofía, la asistente virtual de Clínica Demo: cálida, precisa y breve.',
  businessDescription: 'Clínica de estética y bienestar en Buenos Aires: limpieza facial, depilación láser y masajes.',
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

const WEEKDAY_HOURS = [
  { start: '09:00', end: '13:00' },
  { start: '14:00', end: '19:00' },
];

export const DEMO_BOOKING_POLICY: BookingPolicySettings = {
  schedule: {
    weeklyHours: { '1': WEEKDAY_HOURS, '2': WEEKDAY_HOURS, '3': WEEKDAY_HOURS, '4': WEEKDAY_HOURS, '5': WEEKDAY_HOURS, '6': [{ start: '09:00', end: '13:00' }] },
    slotIntervalMinutes: 30,
    bufferAfterMinutes: 10,
    minNoticeMinutes: 60,
    maxDaysAhead: 60,
  },
  reminderOffsetsMinutes: [1440, 60],
  quietHours: { start: '21:00', end: '08:00' },
  bookingMode: 'assistant',
  bookingUrl: null,
};

export const DEMO_STAFF = [
  { id: 'ana', name: 'Ana', serviceIds: ['depilacion-laser', 'limpieza-facial', 'peeling-quimico'] },
  { id: 'bruno', name: 'Bruno', serviceIds: ['masaje-descontracturante', 'limpieza-facial'] },
];

export async function seedDemoTenant(pool: Pool): Promise<void> {
  await insertTenantIfAbsent(pool, DEMO_TENANT);
  await insertServicesIfAbsent(pool, DEMO_TENANT.id, DEMO_SERVICES);
  await insertBookingPolicyIfAbsent(pool, DEMO_TENANT.id, DEMO_BOOKING_POLICY, DEMO_STAFF);
}
