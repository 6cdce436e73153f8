import { z } from 'zod';

/**
 * Where a resource's (a staff member's, a room's) agenda lives besides PostgreSQL. The built-in
 * calendar is PostgreSQL alone; an external one adds its busy time to availability and gets an
 * event for each booking. PostgreSQL stays the source of truth and the guard against double booking.
 */
export const ExternalCalendarProviderSchema = z.enum(['google', 'bitrix24']);
export type ExternalCalendarProvider = z.infer<typeof ExternalCalendarProviderSchema>;

/** A tenant's Google account: an OAuth client and the refresh token the business granted it. */
export const GoogleCalendarSettingsSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  refreshToken: z.string().min(1),
  /** `https://www.googleapis.com` unless a test says otherwise. */
  apiBase: z.url().optional(),
  /** `https://oauth2.googleapis.com/token` unless a test says otherwise. */
  tokenUrl: z.url().optional(),
  /** Events get a Google Meet link, which is sent to the customer. */
  meet: z.boolean().default(false),
});
export type GoogleCalendarSettings = z.infer<typeof GoogleCalendarSettingsSchema>;

/** A tenant's Bitrix24 portal: the inbound webhook URL (`https://<portal>/rest/<user>/<secret>/`). */
export const Bitrix24CalendarSettingsSchema = z.object({
  webhookUrl: z.url(),
});
export type Bitrix24CalendarSettings = z.infer<typeof Bitrix24CalendarSettingsSchema>;

/** A tenant's calendar accounts, by provider. */
export const CalendarAccountsSchema = z
  .object({
    google: GoogleCalendarSettingsSchema.optional(),
    bitrix24: Bitrix24CalendarSettingsSchema.optional(),
  })
  .strict();
export type CalendarAccounts = z.infer<typeof CalendarAccountsSchema>;

/**
 * A resource's external calendar. Google: the calendar id (`primary`, or an address). Bitrix24:
 * the user id whose calendar it is.
 */
export const ResourceCalendarSchema = z
  .object({
    provider: ExternalCalendarProviderSchema,
    calendarId: z.string().min(1).max(1024),
  })
  .strict();
export type ResourceCalendar = z.infer<typeof ResourceCalendarSchema>;

/** A time a calendar is taken, ISO 8601 instants. */
export interface BusyInterval {
  start: string;
  end: string;
}

/** A booking as an external event. */
export interface CalendarEventInput {
  /**
   * Stable for the booking's whole life: how a retried create finds the event the first attempt
   * made (Google: the event's own id; Bitrix24: a marker in the description).
   */
  idempotencyKey: string;
  title: string;
  description: string;
  start: string;
  end: string;
  timeZone: string;
  /** Attendees with an e-mail address get the calendar's invitation. */
  attendees: { name?: string; email: string }[];
  /** Ask for a Google Meet link (Google only). */
  meet: boolean;
}

export interface CalendarEvent {
  eventId: string;
  meetLink?: string;
}

/**
 * One external calendar provider behind one interface, bound to one tenant's account. Failures
 * are ApplicationFailures, `CalendarRefused` (a 4xx: no retry fixes it) or `CalendarUnavailable`
 * (retried), as `callProvider` with `kind: 'Calendar'` classifies them.
 */
export interface CalendarAdapter {
  readonly provider: ExternalCalendarProvider;
  /** Busy time of each calendar in [from, to), keyed by calendar id. */
  busy(calendarIds: readonly string[], from: Date, to: Date): Promise<Map<string, BusyInterval[]>>;
  /** Creates the event, or finds the one an earlier attempt with the same key created. */
  createEvent(calendarId: string, event: CalendarEventInput): Promise<CalendarEvent>;
  /** Moves (and retitles) the event. */
  updateEvent(calendarId: string, eventId: string, event: CalendarEventInput): Promise<void>;
  /** Deletes the event; one already gone counts as deleted. */
  deleteEvent(calendarId: string, eventId: string): Promise<void>;
}
