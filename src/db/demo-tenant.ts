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
  facts: {
    es: {
      address: 'Av. Santa Fe 3250, 2.º piso, Palermo, Buenos Aires (a dos cuadras del subte D, estación Bulnes)',
      phone: '+54 11 5555-0100',
      paymentMethods: ['efectivo', 'tarjetas de débito y crédito', 'Mercado Pago', 'transferencia bancaria'],
      policies: [
        'Los turnos se pueden cancelar o cambiar sin cargo hasta 24 horas antes.',
        'Si llegas más de 15 minutos tarde, puede que tengamos que reprogramar tu turno.',
      ],
      faq: [
        { question: '¿Hay estacionamiento?', answer: 'No tenemos estacionamiento propio; hay un garaje en la misma cuadra.' },
      ],
    },
    en: {
      address: 'Av. Santa Fe 3250, 2nd floor, Palermo, Buenos Aires (two blocks from Bulnes station, subway line D)',
      phone: '+54 11 5555-0100',
      paymentMethods: ['cash', 'debit and credit cards', 'Mercado Pago', 'bank transfer'],
      policies: [
        'Appointments can be cancelled or moved free of charge up to 24 hours before.',
        'If you arrive more than 15 minutes late, we may need to reschedule your appointment.',
      ],
      faq: [
        { question: 'Is there parking?', answer: 'We have no parking of our own; there is a garage on the same block.' },
      ],
    },
  },
};

export const DEMO_SERVICES: readonly Service[] = [
  {
    id: 'depilacion-laser',
    name: 'Depilación láser',
    description: 'Depilación definitiva con láser de diodo, por zona. Laser hair removal.',
    durationMinutes: 45,
    price: 25_000,
    currency: 'ARS',
    translations: { en: { name: 'Laser hair removal', description: 'Permanent diode laser hair removal, by area.' } },
  },
  {
    id: 'limpieza-facial',
    name: 'Limpieza facial profunda',
    description: 'Limpieza de cutis con extracción, exfoliación y máscara hidratante. Deep facial cleansing.',
    durationMinutes: 60,
    price: 18_000,
    currency: 'ARS',
    translations: { en: { name: 'Deep facial cleansing', description: 'Skin cleansing with extraction, exfoliation and a moisturising mask.' } },
  },
  {
    id: 'masaje-descontracturante',
    name: 'Masaje descontracturante',
    description: 'Masaje de espalda, cuello y hombros para aliviar contracturas. Relaxing back massage.',
    durationMinutes: 50,
    price: 22_000,
    currency: 'ARS',
    translations: { en: { name: 'Deep tissue massage', description: 'Back, neck and shoulder massage to relieve muscle knots.' } },
  },
  {
    id: 'peeling-quimico',
    name: 'Peeling químico',
    description: 'Renovación de la piel con ácidos suaves para manchas y textura. Chemical peel.',
    durationMinutes: 40,
    price: 30_000,
    currency: 'ARS',
    translations: { en: { name: 'Chemical peel', description: 'Skin renewal with gentle acids for spots and texture.' } },
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
