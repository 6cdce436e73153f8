import { ApplicationFailure } from '@temporalio/common';
import type { CalendarAdapter, CalendarEventInput } from '../src/calendars/adapter';
import { createBitrix24Calendar } from '../src/calendars/bitrix24';
import { createBusyReader } from '../src/calendars/busy-cache';
import { createGoogleCalendar, googleEventId } from '../src/calendars/google';
import { calendarAdapter } from '../src/calendars';
import { BITRIX24_WEBHOOK_PATH, FakeBitrix24Calendar } from './helpers/fake-bitrix24-calendar';
import { FakeGoogleCalendar, GOOGLE_CLIENT } from './helpers/fake-google-calendar';
import { requestsDuring } from './helpers/fake-server';

const ZONE = 'America/Argentina/Buenos_Aires';
let counter = 0;
/** A booking as an event, 10:00–10:45 in Buenos Aires (13:00Z) on 1 December; every call a new key. */
function booking(changes: Partial<CalendarEventInput> = {}): CalendarEventInput {
  counter += 1;
  return {
    idempotencyKey: `concierge-booking-3f6d2a1c-${counter}`,
    title: 'Limpieza facial — Lucía Fernández',
    description: 'Booked through Concierge on WhatsApp.',
    start: '2026-12-01T13:00:00.000Z',
    end: '2026-12-01T13:45:00.000Z',
    timeZone: ZONE,
    attendees: [{ name: 'Lucía Fernández', email: 'lucia@example.com' }],
    meet: false,
    ...changes,
  };
}

/** The ApplicationFailure `run` rejects with. */
async function failureOf(run: () => Promise<unknown>): Promise<ApplicationFailure> {
  const error = await run().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(error)}`);
  return error;
}

describe('Google Calendar adapter', () => {
  let google: FakeGoogleCalendar;
  let calendar: CalendarAdapter;
  beforeAll(async () => {
    google = await new FakeGoogleCalendar().start();
  });
  beforeEach(() => {
    google.down = false;
    google.meet = 'success';
    google.failNext(0);
    calendar = createGoogleCalendar(google.settings());
  });
  afterAll(() => google.stop());

  test('busy: one freeBusy query for all calendars, with a refreshed access token; busy blocks by calendar', async () => {
    google.setBusy('primary', [{ start: '2026-12-01T13:00:00Z', end: '2026-12-01T14:00:00Z' }]);
    const before = google.requests.length;
    const busy = await calendar.busy(['primary', 'sala-2@clinica.example'], new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T23:00:00Z'));
    expect(busy).toEqual(
      new Map([
        ['primary', [{ start: '2026-12-01T13:00:00Z', end: '2026-12-01T14:00:00Z' }]],
        ['sala-2@clinica.example', []],
      ]),
    );
    const [token, query] = google.requests.slice(before);
    expect(token).toMatchObject({
      method: 'POST',
      path: '/token',
      body: { grant_type: 'refresh_token', client_id: GOOGLE_CLIENT.clientId, client_secret: GOOGLE_CLIENT.clientSecret, refresh_token: GOOGLE_CLIENT.refreshToken },
    });
    expect(query).toMatchObject({
      method: 'POST',
      path: '/calendar/v3/freeBusy',
      body: { timeMin: '2026-12-01T11:00:00.000Z', timeMax: '2026-12-01T23:00:00.000Z', items: [{ id: 'primary' }, { id: 'sala-2@clinica.example' }] },
    });
    expect(query!.headers.authorization).toMatch(/^Bearer ya29\./);
  });

  test('busy: a calendar Google cannot read is a retryable CalendarUnavailable, not a free calendar', async () => {
    google.failCalendar('gone@clinica.example', 'notFound');
    const failure = await failureOf(() => calendar.busy(['gone@clinica.example'], new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T23:00:00Z')));
    expect(failure).toMatchObject({ type: 'CalendarUnavailable', nonRetryable: false });
    expect(failure.message).toContain('notFound');
  });

  test('create: events.insert with our id, attendees and a Meet request; the Meet link comes back', async () => {
    const event = booking({ meet: true });
    const before = google.requests.length;
    const created = await calendar.createEvent('primary', event);
    expect(created).toEqual({ eventId: googleEventId(event.idempotencyKey), meetLink: expect.stringMatching(/^https:\/\/meet\.google\.com\/[a-z0-9]{3}-[a-z0-9]{4}-[a-z0-9]{3}$/) });
    const insert = google.apiRequests().slice(-1)[0]!;
    expect(google.requests.indexOf(insert)).toBeGreaterThanOrEqual(before);
    expect(insert).toMatchObject({ method: 'POST', path: '/calendar/v3/calendars/primary/events', query: { conferenceDataVersion: '1', sendUpdates: 'all' } });
    expect(insert.body).toEqual({
      id: created.eventId,
      summary: event.title,
      description: event.description,
      start: { dateTime: event.start, timeZone: ZONE },
      end: { dateTime: event.end, timeZone: ZONE },
      attendees: [{ email: 'lucia@example.com', displayName: 'Lucía Fernández' }],
      conferenceData: { createRequest: { requestId: expect.stringMatching(/^[0-9a-f]{64}$/), conferenceSolutionKey: { type: 'hangoutsMeet' } } },
    });
    expect(google.events('primary').filter((held) => held.id === created.eventId)).toHaveLength(1);
  });

  test('create without Meet asks for no conference; a calendar id with an @ is path-encoded', async () => {
    const created = await calendar.createEvent('sala-2@clinica.example', booking());
    expect(created.meetLink).toBeUndefined();
    const insert = google.apiRequests().slice(-1)[0]!;
    expect(insert.path).toBe('/calendar/v3/calendars/sala-2%40clinica.example/events');
    expect(insert.body.conferenceData).toBeUndefined();
    expect(google.events('sala-2@clinica.example').map((held) => held.id)).toEqual([created.eventId]);
  });

  test('a retried create (same key) gets 409, reads the event back and makes no second event', async () => {
    const event = booking({ meet: true });
    const first = await calendar.createEvent('primary', event);
    const again = await createGoogleCalendar(google.settings()).createEvent('primary', event);
    expect(again).toEqual(first);
    expect(google.events('primary').filter((held) => held.id === first.eventId)).toHaveLength(1);
    expect(google.apiRequests().slice(-2).map((request) => request.method)).toEqual(['POST', 'GET']);
  });

  test('a Meet conference still pending fails the create retryably; the retry reads the link', async () => {
    google.meet = 'pending';
    const event = booking({ meet: true });
    expect(await failureOf(() => calendar.createEvent('primary', event))).toMatchObject({ type: 'CalendarUnavailable', nonRetryable: false });
    const created = await calendar.createEvent('primary', event);
    expect(created.meetLink).toMatch(/^https:\/\/meet\.google\.com\//);
    expect(google.events('primary').filter((held) => held.id === created.eventId)).toHaveLength(1);
  });

  test('update: events.patch moves and retitles the event, notifying attendees', async () => {
    const event = booking();
    const { eventId } = await calendar.createEvent('primary', event);
    await calendar.updateEvent('primary', eventId, { ...event, title: 'Limpieza facial (moved)', start: '2026-12-02T15:00:00.000Z', end: '2026-12-02T15:45:00.000Z' });
    const patch = google.apiRequests().slice(-1)[0]!;
    expect(patch).toMatchObject({ method: 'PATCH', path: `/calendar/v3/calendars/primary/events/${eventId}`, query: { sendUpdates: 'all' } });
    expect(google.events('primary').find((held) => held.id === eventId)).toMatchObject({
      summary: 'Limpieza facial (moved)',
      start: { dateTime: '2026-12-02T15:00:00.000Z', timeZone: ZONE },
      end: { dateTime: '2026-12-02T15:45:00.000Z', timeZone: ZONE },
      sequence: 1,
    });
  });

  test('delete: events.delete cancels the event; deleting it again (410) or an unknown one (404) counts as deleted', async () => {
    const { eventId } = await calendar.createEvent('primary', booking());
    await calendar.deleteEvent('primary', eventId);
    expect(google.apiRequests().slice(-1)[0]).toMatchObject({ method: 'DELETE', query: { sendUpdates: 'all' } });
    expect(google.events('primary').find((held) => held.id === eventId)?.status).toBe('cancelled');
    await calendar.deleteEvent('primary', eventId);
    await calendar.deleteEvent('primary', googleEventId('never-booked'));
    expect(google.apiRequests().slice(-2).map((request) => request.method)).toEqual(['DELETE', 'DELETE']);
  });

  test('the access token is reused; one the API rejects (401) is refreshed and the call retried once', async () => {
    const window = [new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T23:00:00Z')] as const;
    const tokensBefore = google.tokenRequests().length;
    await calendar.busy(['primary'], ...window);
    await calendar.busy(['primary'], ...window);
    expect(google.tokenRequests().length - tokensBefore).toBe(1);
    google.revokeAccessTokens();
    const apiBefore = google.apiRequests().length;
    await calendar.busy(['primary'], ...window);
    expect(google.tokenRequests().length - tokensBefore).toBe(2);
    const [rejected, retried] = google.apiRequests().slice(apiBefore);
    expect(rejected!.headers.authorization).not.toBe(retried!.headers.authorization);
  });

  test('refused vs unavailable: a revoked grant or a bad event is CalendarRefused; 5xx is CalendarUnavailable, 429 CalendarRateLimited', async () => {
    const revoked = createGoogleCalendar({ ...google.settings(), refreshToken: '1//0revoked' });
    const grant = await failureOf(() => revoked.busy(['primary'], new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T23:00:00Z')));
    expect(grant).toMatchObject({ type: 'CalendarRefused', nonRetryable: true });
    expect(grant.message).toContain('invalid_grant');

    const backwards = await failureOf(() => calendar.createEvent('primary', booking({ end: '2026-12-01T12:00:00.000Z' })));
    expect(backwards).toMatchObject({ type: 'CalendarRefused', nonRetryable: true });

    await calendar.busy(['primary'], new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T23:00:00Z')); // a token first
    google.failNext(1, 503);
    const down = await failureOf(() => calendar.createEvent('primary', booking()));
    expect(down).toMatchObject({ type: 'CalendarUnavailable', nonRetryable: false });
    google.failNext(1, 429);
    expect(await failureOf(() => calendar.deleteEvent('primary', googleEventId('x-1')))).toMatchObject({ type: 'CalendarRateLimited' });

    // Errors name the call, never the token, the client secret or the URL.
    for (const failure of [grant, backwards, down]) {
      expect(failure.message).not.toMatch(/ya29\.|GOCSPX|1\/\/0|http:\/\//);
    }
  });
  test('the fake refuses what Google refuses: no or a stale bearer token, a bad event id, a form that is no refresh grant', async () => {
    const insert = (headers: Record<string, string>, body: unknown) =>
      fetch(`${google.baseUrl}/calendar/v3/calendars/primary/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const event = { start: { dateTime: '2026-12-01T13:00:00Z' }, end: { dateTime: '2026-12-01T13:45:00Z' } };
    expect((await insert({}, { id: 'abcdef123', ...event })).status).toBe(401);
    expect((await insert({ authorization: 'Bearer ya29.made-up' }, { id: 'abcdef123', ...event })).status).toBe(401);
    const token = (await (await fetch(google.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: GOOGLE_CLIENT.clientId, client_secret: GOOGLE_CLIENT.clientSecret, refresh_token: GOOGLE_CLIENT.refreshToken }) })).json()) as { access_token: string };
    const bearer = { authorization: `Bearer ${token.access_token}` };
    expect((await insert(bearer, { id: 'Booking_42', ...event })).status).toBe(400); // upper case and _ are not base32hex
    expect((await insert(bearer, { id: 'abcdef123', start: { dateTime: '2026-12-01 13:00' }, end: event.end })).status).toBe(400);
    expect((await fetch(google.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token' }) })).status).toBe(400);
    expect((await fetch(google.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code' }) })).status).toBe(400);
  });
});

describe('Bitrix24 calendar adapter', () => {
  let portal: FakeBitrix24Calendar;
  let calendar: CalendarAdapter;
  beforeAll(async () => {
    portal = await new FakeBitrix24Calendar().start();
    calendar = createBitrix24Calendar({ webhookUrl: portal.webhookUrl });
  });
  afterEach(() => portal.recover());
  afterAll(() => portal.stop());

  const callsOf = (run: () => Promise<unknown>) => requestsDuring(portal, run);

  test('busy: calendar.accessibility.get for the users, days around the window; free and outside entries left out', async () => {
    portal.addBusy('7', '2026-12-01T13:00:00Z', '2026-12-01T14:00:00Z');
    portal.addBusy('7', '2026-12-01T15:00:00Z', '2026-12-01T16:00:00Z', 'free');
    portal.addBusy('7', '2026-12-02T13:00:00Z', '2026-12-02T14:00:00Z');
    let busy = new Map<string, unknown>();
    const calls = await callsOf(async () => (busy = await calendar.busy(['7', '9'], new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T23:00:00Z'))));
    expect(calls).toEqual([
      { method: 'calendar.accessibility.get', path: `${BITRIX24_WEBHOOK_PATH}calendar.accessibility.get`, body: { users: [7, 9], from: '2026-11-30', to: '2026-12-02' } },
    ]);
    expect(busy).toEqual(
      new Map([
        ['7', [{ start: '2026-12-01T13:00:00.000Z', end: '2026-12-01T14:00:00.000Z' }]],
        ['9', []],
      ]),
    );
  });

  test('create: looks for its marker, then calendar.event.add on the wall clock of the zone; the portal keeps the right instant', async () => {
    const event = booking();
    let created = { eventId: '' };
    const calls = await callsOf(async () => (created = await calendar.createEvent('7', event)));
    expect(calls.map((call) => call.method)).toEqual(['calendar.event.get', 'calendar.event.add']);
    expect(calls[0]!.body).toEqual({ type: 'user', ownerId: 7, from: '2026-11-30', to: '2026-12-02' });
    expect(calls[1]!.body).toEqual({
      type: 'user',
      ownerId: 7,
      name: event.title,
      description: `${event.description}\n\nAttendees: Lucía Fernández <lucia@example.com>\n\n[concierge:${event.idempotencyKey}]`,
      from: '2026-12-01 10:00:00',
      to: '2026-12-01 10:45:00',
      timezone_from: ZONE,
      timezone_to: ZONE,
      skip_time: 'N',
      accessibility: 'busy',
    });
    expect(portal.events('7').find((held) => held.ID === created.eventId)).toMatchObject({
      DATE_FROM_TS_UTC: String(Date.parse(event.start) / 1000),
      DATE_TO_TS_UTC: String(Date.parse(event.end) / 1000),
    });
  });

  test('a retried create (same key) finds the marked event and adds no second one', async () => {
    const event = booking();
    const first = await calendar.createEvent('7', event);
    let again = { eventId: '' };
    const calls = await callsOf(async () => (again = await calendar.createEvent('7', event)));
    expect(again).toEqual(first);
    expect(calls.map((call) => call.method)).toEqual(['calendar.event.get']);
    expect(portal.events('7').filter((held) => held.DESCRIPTION.includes(event.idempotencyKey))).toHaveLength(1);
  });

  test('update: calendar.event.update moves the event', async () => {
    const event = booking();
    const { eventId } = await calendar.createEvent('7', event);
    await calendar.updateEvent('7', eventId, { ...event, start: '2026-12-03T17:00:00.000Z', end: '2026-12-03T17:45:00.000Z' });
    expect(portal.requests.slice(-1)[0]).toMatchObject({ method: 'calendar.event.update', body: { id: Number(eventId), type: 'user', ownerId: 7, from: '2026-12-03 14:00:00' } });
    expect(portal.events('7').find((held) => held.ID === eventId)?.DATE_FROM_TS_UTC).toBe(String(Date.parse('2026-12-03T17:00:00Z') / 1000));
  });

  test('delete: calendar.event.delete; deleting it again only looks and finds it gone', async () => {
    const { eventId } = await calendar.createEvent('7', booking());
    expect((await callsOf(() => calendar.deleteEvent('7', eventId))).map((call) => call.method)).toEqual(['calendar.event.getbyid', 'calendar.event.delete']);
    expect(portal.events('7').find((held) => held.ID === eventId)?.DELETED).toBe('Y');
    expect((await callsOf(() => calendar.deleteEvent('7', eventId))).map((call) => call.method)).toEqual(['calendar.event.getbyid']);
  });

  test('refused vs unavailable: a wrong webhook, a calendar id that is no user id or a denied call is CalendarRefused; a 5xx is CalendarUnavailable', async () => {
    const wrongHook = createBitrix24Calendar({ webhookUrl: portal.webhookUrl.replace(BITRIX24_WEBHOOK_PATH, '/rest/1/wrongsecret/') });
    const refused = await failureOf(() => wrongHook.busy(['7'], new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T23:00:00Z')));
    expect(refused).toMatchObject({ type: 'CalendarRefused', nonRetryable: true });
    expect(refused.message).not.toContain('wrongsecret');
    const before = portal.requests.length;
    expect(await failureOf(() => calendar.busy(['sala-2'], new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T23:00:00Z')))).toMatchObject({ type: 'CalendarRefused', nonRetryable: true });
    expect(portal.requests.length).toBe(before);
    portal.failWith(403, 1);
    expect(await failureOf(() => calendar.createEvent('7', booking()))).toMatchObject({ type: 'CalendarRefused' });
    portal.failWith(500, 1);
    expect(await failureOf(() => calendar.createEvent('7', booking()))).toMatchObject({ type: 'CalendarUnavailable', nonRetryable: false });
  });
  test('the fake refuses what the portal refuses: no type or owner, a date it cannot read, an unknown zone', async () => {
    const add = async (params: Record<string, unknown>) =>
      (await fetch(`${portal.webhookUrl}calendar.event.add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) })).status;
    const good = { type: 'user', ownerId: 7, name: 'x', from: '2026-12-01 10:00:00', to: '2026-12-01 10:45:00', timezone_from: ZONE, timezone_to: ZONE };
    expect(await add({ ...good, type: undefined })).toBe(400);
    expect(await add({ ...good, ownerId: 'sala' })).toBe(400);
    expect(await add({ ...good, from: '2026-12-01T13:00:00.000Z' })).toBe(400);
    expect(await add({ ...good, timezone_from: 'Mars/Olympus' })).toBe(400);
    expect(await add(good)).toBe(200);
  });
});

describe('calendarAdapter', () => {
  test("the tenant's adapter for the provider, none without an account", () => {
    const accounts = { bitrix24: { webhookUrl: 'https://clinica.bitrix24.es/rest/1/abc/' } };
    expect(calendarAdapter('bitrix24', accounts)?.provider).toBe('bitrix24');
    expect(calendarAdapter('google', accounts)).toBeUndefined();
    expect(calendarAdapter('google', { google: { ...GOOGLE_CLIENT, meet: false } })?.provider).toBe('google');
  });
});

describe('busy reader', () => {
  let google: FakeGoogleCalendar;
  beforeAll(async () => {
    google = await new FakeGoogleCalendar().start();
    google.setBusy('primary', [{ start: '2026-12-01T13:00:00Z', end: '2026-12-01T14:00:00Z' }]);
  });
  afterEach(() => {
    google.down = false;
  });
  afterAll(() => google.stop());
  const from = new Date('2026-12-01T11:00:00Z');
  const to = new Date('2026-12-01T23:00:00Z');
  const queries = () => google.apiRequests().filter((request) => request.path === '/calendar/v3/freeBusy').length;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test('an answer is reused within its ttl, per calendar and window, and asked again after', async () => {
    const reader = createBusyReader({ ttlMs: 300 });
    const adapter = createGoogleCalendar(google.settings());
    const before = queries();
    const first = await reader.read('clinica-sol', adapter, ['primary'], from, to);
    expect(first?.get('primary')).toEqual([{ start: '2026-12-01T13:00:00Z', end: '2026-12-01T14:00:00Z' }]);
    expect(await reader.read('clinica-sol', adapter, ['primary'], from, to)).toEqual(first);
    expect(queries() - before).toBe(1);
    await reader.read('clinica-sol', adapter, ['primary'], from, new Date('2026-12-02T23:00:00Z'));
    await reader.read('otra-clinica', adapter, ['primary'], from, to);
    expect(queries() - before).toBe(3);
    await sleep(350);
    await reader.read('clinica-sol', adapter, ['primary'], from, to);
    expect(queries() - before).toBe(4);
  });

  test('failures open the breaker: undefined at once without asking the calendar; it closes once the calendar recovers', async () => {
    const reader = createBusyReader({ ttlMs: 10, failuresToOpen: 2, halfOpenAfterMs: 400 });
    const adapter = createGoogleCalendar(google.settings());
    await reader.read('clinica-sol', adapter, ['primary'], from, to); // a token while the fake is up
    google.down = true;
    expect(await reader.read('clinica-sol', adapter, ['primary'], from, new Date('2026-12-01T22:00:00Z'))).toBeUndefined();
    expect(await reader.read('clinica-sol', adapter, ['primary'], from, new Date('2026-12-01T21:00:00Z'))).toBeUndefined();
    const before = google.requests.length;
    const started = Date.now();
    expect(await reader.read('clinica-sol', adapter, ['primary'], from, new Date('2026-12-01T20:00:00Z'))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(50);
    expect(google.requests.length).toBe(before);
    // Another tenant's breaker is its own.
    google.down = false;
    expect(await reader.read('otra-clinica', adapter, ['primary'], from, new Date('2026-12-01T20:00:00Z'))).toBeDefined();
    await sleep(450);
    expect((await reader.read('clinica-sol', adapter, ['primary'], from, new Date('2026-12-01T19:00:00Z')))?.get('primary')).toHaveLength(1);
    const closed = google.requests.length;
    expect(await reader.read('clinica-sol', adapter, ['primary'], from, new Date('2026-12-01T18:00:00Z'))).toBeDefined();
    expect(google.requests.length).toBe(closed + 1);
  });

  test('a hanging calendar answers undefined after the call timeout', async () => {
    const reader = createBusyReader({ callTimeoutMs: 200 });
    const hanging: CalendarAdapter = { ...createGoogleCalendar(google.settings()), busy: () => new Promise(() => undefined) };
    const started = Date.now();
    expect(await reader.read('clinica-sol', hanging, ['primary'], from, to)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
