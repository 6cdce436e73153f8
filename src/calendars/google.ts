import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { callProvider, callProviderJson, type ProviderCall } from '../provider-http';
import type { BusyInterval, CalendarAdapter, CalendarEvent, CalendarEventInput, GoogleCalendarSettings } from './adapter';

const API_BASE = 'https://www.googleapis.com';
const TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** An access token is renewed this long before Google says it expires, so no call carries a dying one. */
const TOKEN_MARGIN_MS = 60_000;

type GoogleEvent = {
  id: string;
  status?: string;
  hangoutLink?: string;
  conferenceData?: {
    createRequest?: { status?: { statusCode?: string } };
    entryPoints?: { entryPointType?: string; uri?: string }[];
  };
};
type FreeBusy = { calendars?: Record<string, { busy?: BusyInterval[]; errors?: { domain?: string; reason?: string }[] }> };
type AccessToken = { value: string; expiresAt: number };

/**
 * Google Calendar API v3 with a tenant's OAuth client and refresh token. The access token lives in
 * memory until shortly before it expires; one the API rejects (revoked, rotated) is dropped and the
 * call retried once with a new one. `what` never holds a token, an id or a URL.
 */
export function createGoogleCalendar(settings: GoogleCalendarSettings): CalendarAdapter {
  const apiBase = `${(settings.apiBase ?? API_BASE).replace(/\/$/, '')}/calendar/v3`;
  const eventsUrl = (calendarId: string, eventId?: string) =>
    `${apiBase}/calendars/${encodeURIComponent(calendarId)}/events${eventId === undefined ? '' : `/${encodeURIComponent(eventId)}`}`;
  let cached: AccessToken | undefined;
  // One refresh at a time: calls that find no token wait for the same one.
  let refreshing: Promise<AccessToken> | undefined;

  async function accessToken(): Promise<string> {
    if (cached && cached.expiresAt > Date.now()) return cached.value;
    refreshing ??= refresh().finally(() => (refreshing = undefined));
    cached = await refreshing;
    return cached.value;
  }

  async function refresh(): Promise<AccessToken> {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      refresh_token: settings.refreshToken,
    });
    const answer = await callProviderJson<{ access_token: string; expires_in: number }>({
      what: 'Google OAuth token refresh',
      kind: 'Calendar',
      url: settings.tokenUrl ?? TOKEN_URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return { value: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 - TOKEN_MARGIN_MS };
  }

  async function api(call: Omit<ProviderCall, 'kind' | 'headers'>): Promise<Response> {
    const value = await accessToken();
    try {
      return await callProvider({ ...call, kind: 'Calendar', headers: { authorization: `Bearer ${value}` } });
    } catch (error) {
      if (answeredStatus(error) !== 401) throw error;
      // Revoked or expired early: a new token, once (unless a concurrent call already got one). A
      // second 401 is the grant's fault, not the token's.
      if (cached?.value === value) cached = undefined;
      return await callProvider({ ...call, kind: 'Calendar', headers: { authorization: `Bearer ${await accessToken()}` } });
    }
  }

  const getEvent = async (calendarId: string, eventId: string) =>
    (await (await api({ what: 'Google Calendar events.get', url: eventsUrl(calendarId, eventId) })).json()) as GoogleEvent;

  return {
    provider: 'google',

    async busy(calendarIds, from, to) {
      const body = { timeMin: from.toISOString(), timeMax: to.toISOString(), items: calendarIds.map((id) => ({ id })) };
      const answer = (await (await api({ what: 'Google Calendar freebusy.query', url: `${apiBase}/freeBusy`, body })).json()) as FreeBusy;
      const busy = new Map<string, BusyInterval[]>();
      for (const id of calendarIds) {
        const calendar = answer.calendars?.[id];
        // A calendar Google could not read is not a free one: availability must not trust it.
        if (!calendar || calendar.errors?.length) {
          const reasons = calendar?.errors?.map((error) => error.reason).join(', ') || 'missing from the answer';
          throw ApplicationFailure.retryable(`Google Calendar freebusy.query could not read a calendar: ${reasons}`, 'CalendarUnavailable');
        }
        busy.set(id, (calendar.busy ?? []).map(({ start, end }) => ({ start, end })));
      }
      return busy;
    },

    async createEvent(calendarId, event) {
      const eventId = googleEventId(event.idempotencyKey);
      let created: GoogleEvent;
      try {
        const url = `${eventsUrl(calendarId)}?conferenceDataVersion=1&sendUpdates=all`;
        created = (await (await api({ what: 'Google Calendar events.insert', url, body: { id: eventId, ...eventFields(event), ...conference(event) } })).json()) as GoogleEvent;
      } catch (error) {
        // 409: an earlier attempt created it (its id is ours); read it back rather than make a second.
        if (answeredStatus(error) !== 409) throw error;
        created = await getEvent(calendarId, eventId);
      }
      return calendarEvent(created, event);
    },

    async updateEvent(calendarId, eventId, event) {
      await api({ what: 'Google Calendar events.patch', method: 'PATCH', url: `${eventsUrl(calendarId, eventId)}?sendUpdates=all`, body: eventFields(event, false) });
    },

    async deleteEvent(calendarId, eventId) {
      try {
        await api({ what: 'Google Calendar events.delete', method: 'DELETE', url: `${eventsUrl(calendarId, eventId)}?sendUpdates=all` });
      } catch (error) {
        // 410: deleted before (a retried delete); 404: never there or purged.
        const status = answeredStatus(error);
        if (status !== 404 && status !== 410) throw error;
      }
    },
  };
}

/**
 * The event id a booking's key stands for: hex is a subset of base32hex (a–v, 0–9) and a SHA-256
 * is 64 characters, within Google's 5–1024.
 */
export function googleEventId(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex');
}

function eventFields(event: CalendarEventInput, withAttendees = true): Record<string, unknown> {
  return {
    summary: event.title,
    description: event.description,
    start: { dateTime: event.start, timeZone: event.timeZone },
    end: { dateTime: event.end, timeZone: event.timeZone },
    ...(withAttendees ? { attendees: event.attendees.map(({ email, name }) => ({ email, ...(name ? { displayName: name } : {}) })) } : {}),
  };
}

/** A Meet conference, asked for with a request id of its own so that a retried insert asks for the same one. */
function conference(event: CalendarEventInput): Record<string, unknown> {
  if (!event.meet) return {};
  const requestId = googleEventId(`meet:${event.idempotencyKey}`);
  return { conferenceData: { createRequest: { requestId, conferenceSolutionKey: { type: 'hangoutsMeet' } } } };
}

function calendarEvent(created: GoogleEvent, event: CalendarEventInput): CalendarEvent {
  const meetLink = created.hangoutLink ?? created.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === 'video')?.uri;
  // Google makes the conference asynchronously: a pending one has no link yet. The activity's retry
  // reads the event back (409 above) once it is made, so the customer does get the link.
  if (event.meet && !meetLink && created.conferenceData?.createRequest?.status?.statusCode === 'pending') {
    throw ApplicationFailure.retryable('Google Calendar events.insert: the Meet conference is still pending', 'CalendarUnavailable');
  }
  return { eventId: created.id, ...(meetLink ? { meetLink } : {}) };
}

/**
 * The HTTP status a `callProvider` failure reports in its message (`… answered 409: …`): the few
 * statuses Google uses to say "already done" are told apart by it.
 */
function answeredStatus(error: unknown): number | undefined {
  if (!(error instanceof ApplicationFailure)) return undefined;
  const status = / answered (\d{3}):/.exec(error.message)?.[1];
  return status === undefined ? undefined : Number(status);
}
