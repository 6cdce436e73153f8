import { LRUCache } from 'lru-cache';
import { loadCalendarSetup, type CalendarSetup } from '../db/calendars';
import type { Pool } from '../db/pool';
import { TENANT_CACHE_REFRESH_MS } from '../db/tenants';
import { readThroughCache } from '../read-through-cache';
import type { Booking } from '../domain/scheduling/schedule';
import type { CalendarAccounts, CalendarAdapter, ExternalCalendarProvider } from './adapter';
import type { BusyReader } from './busy-cache';
import { calendarAdapter } from './index';

/** The external calendars of every tenant, as the booking activities use them. */
export interface ExternalCalendars {
  /**
   * Time the tenant's resources are taken in their external calendars, as bookings of theirs that
   * availability must keep clear of. A calendar that fails (or whose breaker is open) adds nothing:
   * availability then answers from the built-in calendar alone rather than failing the conversation.
   */
  busyTimes(tenantId: string, from: Date, to: Date): Promise<Booking[]>;
  /** The tenant's adapter for a provider, kept so that its access token is reused; undefined without an account. */
  adapter(tenantId: string, provider: ExternalCalendarProvider, accounts: CalendarAccounts): CalendarAdapter | undefined;
}

const ADAPTERS_KEPT = 1_000;

/** Calendars write offsets their own way (`+01:00`, `Z`, no milliseconds); bookings are compared as ISO instants. */
const isoInstant = (time: string) => new Date(time).toISOString();

export function createExternalCalendars(pool: Pool, busyReader: BusyReader): ExternalCalendars {
  const adapters = new LRUCache<string, CalendarAdapter>({ max: ADAPTERS_KEPT });
  // Read on every availability answer (twice when the nearest free times are looked for too):
  // kept as long as tenants are, so a tenant without external calendars costs no query each time.
  const setups = readThroughCache<CalendarSetup>((tenantId) => loadCalendarSetup(pool, tenantId), { refreshAfterMs: TENANT_CACHE_REFRESH_MS });

  function adapter(tenantId: string, provider: ExternalCalendarProvider, accounts: CalendarAccounts): CalendarAdapter | undefined {
    const settings = accounts[provider];
    if (!settings) return undefined;
    // Keyed by the settings too: an account edited in the tenant's configuration gets a new adapter.
    const key = `${tenantId}\u0000${provider}\u0000${JSON.stringify(settings)}`;
    let kept = adapters.get(key);
    if (!kept) {
      kept = calendarAdapter(provider, accounts);
      if (kept) adapters.set(key, kept);
    }
    return kept;
  }

  async function busyOf(tenantId: string, setup: CalendarSetup, provider: ExternalCalendarProvider, from: Date, to: Date): Promise<Booking[]> {
    const calendars = [...setup.resources].filter(([, calendar]) => calendar.provider === provider);
    const providerAdapter = calendars.length > 0 ? adapter(tenantId, provider, setup.accounts) : undefined;
    if (!providerAdapter) return [];
    const busy = await busyReader.read(tenantId, providerAdapter, [...new Set(calendars.map(([, calendar]) => calendar.calendarId))], from, to);
    if (!busy) return [];
    return calendars.flatMap(([resourceId, calendar]) => (busy.get(calendar.calendarId) ?? []).map(({ start, end }) => ({ resourceId, start: isoInstant(start), end: isoInstant(end) })));
  }

  return {
    adapter,
    async busyTimes(tenantId, from, to) {
      const setup = await setups(tenantId);
      if (setup.resources.size === 0) return [];
      const providers = [...new Set([...setup.resources.values()].map((calendar) => calendar.provider))];
      return (await Promise.all(providers.map((provider) => busyOf(tenantId, setup, provider, from, to)))).flat();
    },
  };
}
