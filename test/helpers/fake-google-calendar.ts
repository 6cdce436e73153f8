import { createHash } from 'node:crypto';
import http from 'node:http';
import { type FakeServer, startFakeServer } from './fake-server';

/** The tenant's OAuth client and refresh token, as Google Cloud Console and the consent screen hand them out. */
export const GOOGLE_CLIENT = {
  clientId: '1234567890-fakeclient.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-fakeSecret0000000000000',
  refreshToken: '1//0fakeRefreshToken-ABCDEFGHIJKLMNOP',
};

/** One request to the token endpoint or the API, as the fake received it. */
export interface GoogleRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface GoogleEvent {
  id: string;
  calendarId: string;
  status: 'confirmed' | 'cancelled';
  summary?: string;
  description?: string;
  start: { dateTime: string; timeZone?: string };
  end: { dateTime: string; timeZone?: string };
  attendees?: { email: string; displayName?: string; responseStatus: string }[];
  hangoutLink?: string;
  conferenceData?: Record<string, any>;
  sequence: number;
}

/** How the fake answers a Meet conference request: made at once, made a moment later (on the next read), or refused. */
export type MeetOutcome = 'success' | 'pending' | 'failure';

const EVENT_ID = /^[a-v0-9]{5,1024}$/;
const SEND_UPDATES = ['all', 'externalOnly', 'none'];

/**
 * Google's OAuth token endpoint (`POST /token`) and Calendar API v3 (freeBusy, events insert, get,
 * patch, delete) on 127.0.0.1, answering with Google's shapes and its `{ error: { code, message,
 * errors, status } }` refusals. It checks what it is sent: a wrong client or refresh token, a
 * missing or stale bearer token, a malformed body or id are refused as Google refuses them.
 */
export class FakeGoogleCalendar {
  readonly requests: GoogleRequest[] = [];
  /** How a Meet conference request ends. */
  meet: MeetOutcome = 'success';
  /** Every request, token endpoint included, answers 503. */
  down = false;
  private readonly busyBlocks = new Map<string, { start: string; end: string }[]>();
  private readonly unreadable = new Map<string, string>();
  private readonly held = new Map<string, GoogleEvent>();
  private readonly tokens = new Set<string>();
  private failures: { status: number; times: number } = { status: 503, times: 0 };
  private issued = 0;
  private server?: FakeServer;

  get baseUrl(): string {
    return this.server!.baseUrl;
  }

  get tokenUrl(): string {
    return `${this.baseUrl}/token`;
  }

  /** The adapter's settings for this fake. */
  settings(meet = false) {
    return { ...GOOGLE_CLIENT, apiBase: this.baseUrl, tokenUrl: this.tokenUrl, meet };
  }

  /** Busy time someone else put in a calendar (another booking tool, the owner's lunch). */
  setBusy(calendarId: string, blocks: { start: string; end: string }[]): void {
    this.busyBlocks.set(calendarId, blocks);
  }

  /** freeBusy answers this calendar with an error (`notFound`, `internalError`) instead of its busy time. */
  failCalendar(calendarId: string, reason: string): void {
    this.unreadable.set(calendarId, reason);
  }

  /** The next `times` API or token requests answer this status. */
  failNext(times: number, status = 503): void {
    this.failures = { status, times };
  }

  /** Every access token issued so far stops working, as when the user revokes and re-grants, or one expires early. */
  revokeAccessTokens(): void {
    this.tokens.clear();
  }

  /** Events in calendars, deleted ones (status `cancelled`) included. */
  events(calendarId?: string): GoogleEvent[] {
    return [...this.held.values()].filter((event) => calendarId === undefined || event.calendarId === calendarId);
  }

  tokenRequests(): GoogleRequest[] {
    return this.requests.filter((request) => request.path === '/token');
  }

  apiRequests(): GoogleRequest[] {
    return this.requests.filter((request) => request.path !== '/token');
  }

  async start(): Promise<this> {
    this.server = await startFakeServer((req, raw, res) => {
      const [status, body] = this.answer(req, raw);
      if (status === 204) res.writeHead(204).end();
      else res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private answer(req: http.IncomingMessage, raw: string): [number, unknown] {
    const url = new URL(req.url!, 'http://fake');
    const form = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
    let body: any;
    try {
      body = form ? Object.fromEntries(new URLSearchParams(raw)) : raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    this.requests.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
    if (this.down) return apiError(503, 'The service is currently unavailable.', 'backendError', 'UNAVAILABLE');
    if (this.failures.times > 0) {
      this.failures.times -= 1;
      return apiError(this.failures.status, 'Simulated failure.', this.failures.status >= 500 ? 'backendError' : 'invalid', 'UNAVAILABLE');
    }
    if (url.pathname === '/token') return this.token(req, body, form);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.tokens.has(bearer)) {
      return apiError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'authError', 'UNAUTHENTICATED');
    }
    if (req.method === 'POST' && url.pathname === '/calendar/v3/freeBusy') return this.freeBusy(body);
    const route = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(url.pathname);
    if (!route) return apiError(404, 'Not Found', 'notFound', 'NOT_FOUND');
    const calendarId = decodeURIComponent(route[1]!);
    const eventId = route[2] && decodeURIComponent(route[2]);
    const sendUpdates = url.searchParams.get('sendUpdates');
    if (sendUpdates !== null && !SEND_UPDATES.includes(sendUpdates)) return invalid(`Invalid value for sendUpdates: ${sendUpdates}`);
    if (req.method === 'POST' && !eventId) return this.insert(calendarId, body, url.searchParams.get('conferenceDataVersion'));
    const event = eventId ? this.held.get(key(calendarId, eventId)) : undefined;
    if (!event) return apiError(404, 'Not Found', 'notFound', 'NOT_FOUND');
    switch (req.method) {
      case 'GET':
        if (event.conferenceData?.createRequest?.status?.statusCode === 'pending') this.makeConference(event, 'success');
        return [200, view(event)];
      case 'PATCH':
        return this.patch(event, body);
      case 'DELETE':
        if (event.status === 'cancelled') return apiError(410, 'Resource has been deleted', 'deleted', 'GONE');
        event.status = 'cancelled';
        return [204, undefined];
      default:
        return apiError(405, 'Method Not Allowed', 'httpMethodNotAllowed', 'METHOD_NOT_ALLOWED');
    }
  }

  /** The refresh-token grant (RFC 6749 §6), form-encoded, with the client's credentials in the body. */
  private token(req: http.IncomingMessage, body: any, form: boolean | undefined): [number, unknown] {
    if (req.method !== 'POST' || !form) return [400, { error: 'invalid_request', error_description: 'Expected a form-encoded POST' }];
    if (body.grant_type !== 'refresh_token') return [400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${body.grant_type ?? ''}` }];
    if (body.client_id !== GOOGLE_CLIENT.clientId || body.client_secret !== GOOGLE_CLIENT.clientSecret) {
      return [401, { error: 'invalid_client', error_description: 'Unauthorized' }];
    }
    if (body.refresh_token !== GOOGLE_CLIENT.refreshToken) return [400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }];
    const accessToken = `ya29.fake-${++this.issued}-${createHash('sha256').update(String(this.issued)).digest('hex').slice(0, 16)}`;
    this.tokens.add(accessToken);
    return [200, { access_token: accessToken, expires_in: 3599, scope: 'https://www.googleapis.com/auth/calendar', token_type: 'Bearer' }];
  }

  private freeBusy(body: any): [number, unknown] {
    const [timeMin, timeMax] = [body?.timeMin, body?.timeMax].map(instant);
    if (timeMin === undefined || timeMax === undefined) return invalid('Missing or invalid timeMin or timeMax.');
    if (timeMax <= timeMin) return invalid('The specified time range is empty.', 'timeRangeEmpty');
    if (!Array.isArray(body.items) || body.items.some((item: any) => typeof item?.id !== 'string')) return invalid('Invalid items.');
    const calendars = Object.fromEntries(
      body.items.map(({ id }: { id: string }) => {
        const reason = this.unreadable.get(id);
        if (reason) return [id, { errors: [{ domain: 'global', reason }], busy: [] }];
        const busy = [...(this.busyBlocks.get(id) ?? []), ...this.events(id).filter((event) => event.status === 'confirmed').map((event) => ({ start: event.start.dateTime, end: event.end.dateTime }))]
          .filter((block) => instant(block.start)! < timeMax && instant(block.end)! > timeMin)
          .map((block) => ({ start: iso(Math.max(instant(block.start)!, timeMin)), end: iso(Math.min(instant(block.end)!, timeMax)) }));
        return [id, { busy }];
      }),
    );
    return [200, { kind: 'calendar#freeBusy', timeMin: iso(timeMin), timeMax: iso(timeMax), calendars }];
  }

  private insert(calendarId: string, body: any, conferenceDataVersion: string | null): [number, unknown] {
    if (typeof body !== 'object' || body === null) return invalid('Parse Error', 'parseError');
    if (body.id !== undefined && (typeof body.id !== 'string' || !EVENT_ID.test(body.id))) return invalid('Invalid resource id value.', 'invalid');
    const problem = times(body.start, body.end) ?? attendeesProblem(body.attendees);
    if (problem) return invalid(problem);
    const id = body.id ?? createHash('sha256').update(`${Date.now()}${Math.random()}`).digest('hex').slice(0, 26);
    if (this.held.has(key(calendarId, id))) return apiError(409, 'The requested identifier already exists.', 'duplicate', 'ALREADY_EXISTS');
    const event: GoogleEvent = {
      id,
      calendarId,
      status: 'confirmed',
      summary: body.summary,
      description: body.description,
      start: body.start,
      end: body.end,
      attendees: body.attendees?.map((attendee: any) => ({ ...attendee, responseStatus: 'needsAction' })),
      sequence: 0,
    };
    // Without conferenceDataVersion=1 Google ignores conferenceData, as documented.
    const createRequest = conferenceDataVersion === '1' ? body.conferenceData?.createRequest : undefined;
    if (createRequest) {
      if (typeof createRequest.requestId !== 'string' || !createRequest.requestId) return invalid('Invalid conference request id.');
      if (createRequest.conferenceSolutionKey?.type !== 'hangoutsMeet') return invalid('Invalid conference type value.');
      event.conferenceData = { createRequest: { requestId: createRequest.requestId, conferenceSolutionKey: { type: 'hangoutsMeet' } } };
      this.makeConference(event, this.meet);
    }
    this.held.set(key(calendarId, id), event);
    return [200, view(event)];
  }

  private patch(event: GoogleEvent, body: any): [number, unknown] {
    if (typeof body !== 'object' || body === null) return invalid('Parse Error', 'parseError');
    if (body.id !== undefined && body.id !== event.id) return invalid('Invalid resource id value.');
    const problem = times(body.start ?? event.start, body.end ?? event.end) ?? attendeesProblem(body.attendees);
    if (problem) return invalid(problem);
    for (const field of ['summary', 'description', 'start', 'end', 'attendees'] as const) {
      if (body[field] !== undefined) (event as any)[field] = body[field];
    }
    event.sequence += 1;
    return [200, view(event)];
  }

  private makeConference(event: GoogleEvent, outcome: MeetOutcome): void {
    const createRequest = { ...event.conferenceData!.createRequest, status: { statusCode: outcome } };
    if (outcome !== 'success') {
      event.conferenceData = { createRequest };
      return;
    }
    const code = event.id.slice(0, 10).replace(/^(.{3})(.{4})(.{3})$/, '$1-$2-$3');
    const uri = `https://meet.google.com/${code}`;
    event.hangoutLink = uri;
    event.conferenceData = {
      createRequest,
      entryPoints: [{ entryPointType: 'video', uri, label: uri.replace('https://', '') }],
      conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
      conferenceId: code,
    };
  }
}

function key(calendarId: string, eventId: string): string {
  return `${calendarId}\u0000${eventId}`;
}

/** An RFC 3339 date-time with its offset, as Google requires it, in milliseconds. */
function instant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : millis;
}

function iso(millis: number): string {
  return new Date(millis).toISOString().replace('.000Z', 'Z');
}

function times(start: any, end: any): string | undefined {
  const [from, to] = [start?.dateTime, end?.dateTime].map(instant);
  if (from === undefined || to === undefined) return 'Start and end times must either both be date or both be dateTime.';
  for (const zone of [start.timeZone, end.timeZone]) {
    if (zone === undefined) continue;
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      return `Invalid time zone definition for start time.`;
    }
  }
  return to > from ? undefined : 'The specified time range is empty.';
}

function attendeesProblem(attendees: unknown): string | undefined {
  if (attendees === undefined) return undefined;
  if (!Array.isArray(attendees) || attendees.some((attendee) => typeof attendee?.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(attendee.email))) {
    return 'Invalid attendee email.';
  }
  return undefined;
}

/** An event as the API returns it. */
function view(event: GoogleEvent) {
  const { calendarId, ...fields } = event;
  return { kind: 'calendar#event', etag: `"${event.sequence}"`, htmlLink: `https://www.google.com/calendar/event?eid=${event.id}`, organizer: { email: calendarId, self: true }, ...fields };
}

function invalid(message: string, reason = 'invalid'): [number, unknown] {
  return apiError(400, message, reason, 'INVALID_ARGUMENT');
}

function apiError(code: number, message: string, reason: string, status: string): [number, unknown] {
  return [code, { error: { code, message, errors: [{ domain: 'global', reason, message }], status } }];
}
