import type { CalendarAccounts, CalendarAdapter, ExternalCalendarProvider } from './adapter';
import { createBitrix24Calendar } from './bitrix24';
import { createGoogleCalendar } from './google';

export type { BusyInterval, CalendarAccounts, CalendarAdapter, CalendarEvent, CalendarEventInput, ExternalCalendarProvider, ResourceCalendar } from './adapter';

/**
 * The tenant's adapter for a resource's calendar provider; none when the tenant has no account with
 * that provider, and the resource then has the built-in calendar alone.
 */
export function calendarAdapter(provider: ExternalCalendarProvider, accounts: CalendarAccounts): CalendarAdapter | undefined {
  switch (provider) {
    case 'google':
      return accounts.google && createGoogleCalendar(accounts.google);
    case 'bitrix24':
      return accounts.bitrix24 && createBitrix24Calendar(accounts.bitrix24);
  }
}
