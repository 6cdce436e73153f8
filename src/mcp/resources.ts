import { searchServices } from '../db/catalogue';
import type { Pool } from '../db/pool';
import { loadBookingPolicy } from '../db/schedules';

/** The tenant's own reference data, read-only, as MCP resources (JSON). */
export const MCP_RESOURCES = [
  {
    uri: 'concierge://catalogue',
    name: 'catalogue',
    title: 'Service catalogue',
    description: "The business's services: id, name, price, currency, duration, description",
    mimeType: 'application/json',
    read: async (pool: Pool, tenantId: string) => ({ services: await searchServices(pool, tenantId) }),
  },
  {
    uri: 'concierge://business-hours',
    name: 'business-hours',
    title: 'Business hours',
    description: 'When appointments can be booked: time zone, weekly opening hours (1 = Monday), dates with other hours, slot interval, notice',
    mimeType: 'application/json',
    read: async (pool: Pool, tenantId: string) => {
      const policy = await loadBookingPolicy(pool, tenantId);
      if (!policy) return { takesAppointments: false };
      const { timeZone, weeklyHours, dateOverrides, slotIntervalMinutes, minNoticeMinutes, maxDaysAhead } = policy.schedule;
      const bookingLink = policy.bookingMode === 'link' ? { bookingUrl: policy.bookingUrl } : {};
      return { takesAppointments: true, timeZone, weeklyHours, dateOverrides, slotIntervalMinutes, minNoticeMinutes, maxDaysAhead, ...bookingLink };
    },
  },
] as const;
