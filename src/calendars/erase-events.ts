import { findLiveBookingEvents, loadCalendarSetup, recordBookingEvent } from '../db/calendars';
import type { Pool } from '../db/pool';
import { calendarAdapter, type CalendarAdapter, type ExternalCalendarProvider } from './index';

/**
 * Deletes the external calendar events of an erased contact's bookings: they carry the customer's
 * name and e-mail, and an event left in place would keep a cancelled booking's time busy in
 * availability. Each deletion is recorded, so a second pass (or a retried erasure) skips it; a
 * calendar that is down throws, and the erasure is answered 503 for the operator to retry. An
 * event whose account the tenant has since removed cannot be reached, and is left.
 */
export async function eraseBookingEvents(pool: Pool, tenantId: string, bookingIds: readonly string[]): Promise<number> {
  const events = await findLiveBookingEvents(pool, tenantId, bookingIds);
  if (events.length === 0) return 0;
  const { accounts } = await loadCalendarSetup(pool, tenantId);
  // One adapter per provider: an adapter keeps its access token, so the events share one refresh.
  const adapters = new Map<ExternalCalendarProvider, CalendarAdapter | undefined>();
  let deleted = 0;
  for (const event of events) {
    if (!adapters.has(event.provider)) adapters.set(event.provider, calendarAdapter(event.provider, accounts));
    const adapter = adapters.get(event.provider);
    if (!adapter) continue;
    await adapter.deleteEvent(event.calendarId, event.eventId);
    await recordBookingEvent(pool, tenantId, event.bookingId, { ...event, times: undefined });
    deleted++;
  }
  return deleted;
}
