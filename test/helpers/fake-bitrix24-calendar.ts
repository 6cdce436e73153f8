import http from 'node:http';
import { DateTime } from 'luxon';
import { BITRIX24_WEBHOOK_PATH, answerPortalCall, type CrmPortalRequest, type PortalFailure, portalCall, refuse } from './fake-bitrix24-crm';
import { type FakeServer, startFakeServer } from './fake-server';

export { BITRIX24_WEBHOOK_PATH } from './fake-bitrix24-crm';

/** An event in a user's calendar, with the fields `calendar.event.get` shows. */
export interface PortalCalendarEvent {
  ID: string;
  CAL_TYPE: 'user';
  OWNER_ID: string;
  NAME: string;
  DESCRIPTION: string;
  DATE_FROM: string;
  DATE_TO: string;
  TZ_FROM: string;
  TZ_TO: string;
  DATE_FROM_TS_UTC: string;
  DATE_TO_TS_UTC: string;
  DT_SKIP_TIME: 'Y' | 'N';
  ACCESSIBILITY: string;
  DELETED: 'Y' | 'N';
}

/** How the portal writes a date-time: its own format, on the server's clock (UTC here). */
const PORTAL_FORMAT = 'dd.MM.yyyy HH:mm:ss';

/**
 * A Bitrix24 portal's calendar behind an inbound webhook, on 127.0.0.1: `calendar.accessibility.get`,
 * `calendar.event.get`, `.getbyid`, `.add`, `.update` and `.delete` with the portal's `{ result, time }`
 * envelope and `{ error, error_description }` refusals. It checks the parameters as the portal does:
 * a missing type, owner, name or date, a date it cannot read, an unknown zone are refused.
 */
export class FakeBitrix24Calendar {
  readonly requests: CrmPortalRequest[] = [];
  private readonly held: PortalCalendarEvent[] = [];
  private failure?: PortalFailure;
  private server?: FakeServer;
  private nextId = 812;

  /** The inbound webhook URL a tenant configures, with its trailing slash. */
  get webhookUrl(): string {
    return `${this.server!.baseUrl}${BITRIX24_WEBHOOK_PATH}`;
  }

  /** Events, deleted ones (`DELETED: 'Y'`) included. */
  events(ownerId?: string): PortalCalendarEvent[] {
    return this.held.filter((event) => ownerId === undefined || event.OWNER_ID === ownerId);
  }

  /** An event the user entered themselves: busy time that is not ours. */
  addBusy(ownerId: string, start: string, end: string, accessibility = 'busy'): string {
    return this.store(ownerId, { NAME: 'Dentist', DESCRIPTION: '', ACCESSIBILITY: accessibility }, Date.parse(start), Date.parse(end), 'UTC');
  }

  methods(): string[] {
    return this.requests.map((request) => request.method);
  }

  /** The next `times` calls fail with this status and the portal's error body. */
  failWith(status: number, times = Infinity): void {
    const body = status >= 500 ? { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' } : { error: 'ACCESS_DENIED', error_description: 'Access denied.' };
    this.failure = { status, times, body };
  }

  recover(): void {
    this.failure = undefined;
  }

  async start(): Promise<this> {
    this.server = await startFakeServer((req, raw, res) => this.answer(req.url ?? '', raw, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private answer(path: string, raw: string, res: http.ServerResponse): void {
    const request = portalCall(path, raw);
    this.requests.push(request);
    answerPortalCall(res, request, this.failure, () => this.call(request.method, request.body));
  }

  private call(method: string, body: any): unknown {
    switch (method) {
      case 'calendar.accessibility.get': {
        if (!Array.isArray(body.users) || body.users.length === 0 || body.users.some((user: unknown) => !Number.isInteger(Number(user)))) {
          throw refuse('', 'Users list is not defined');
        }
        const [from, to] = [day(body.from, 'from'), day(body.to, 'to') + 86_400_000];
        // Keyed by user id, as PHP turns its array of users into an object.
        return Object.fromEntries(
          body.users.map((user: unknown) => [String(user), this.live(String(user), from, to).filter((event) => event.ACCESSIBILITY !== 'free')]),
        );
      }
      case 'calendar.event.get': {
        this.owner(body);
        const from = body.from === undefined ? Date.now() - 31 * 86_400_000 : day(body.from, 'from');
        const to = body.to === undefined ? Date.now() + 92 * 86_400_000 : day(body.to, 'to') + 86_400_000;
        return this.live(String(body.ownerId), from, to);
      }
      case 'calendar.event.getbyid': {
        if (!Number.isInteger(Number(body.id)) || !body.id) throw refuse('', 'Event id is not defined');
        return this.held.find((event) => event.ID === String(body.id) && event.DELETED === 'N') ?? null;
      }
      case 'calendar.event.add': {
        this.owner(body);
        if (typeof body.name !== 'string' || !body.name.trim()) throw refuse('', 'Event name is not defined');
        const [from, to] = wallClock(body);
        return Number(this.store(String(body.ownerId), { NAME: body.name, DESCRIPTION: body.description ?? '', ACCESSIBILITY: body.accessibility ?? 'busy' }, from, to, body.timezone_from));
      }
      case 'calendar.event.update': {
        this.owner(body);
        const event = this.event(body);
        if (body.name !== undefined) event.NAME = body.name;
        if (body.description !== undefined) event.DESCRIPTION = body.description;
        if (body.from !== undefined || body.to !== undefined) Object.assign(event, dates(...wallClock(body), body.timezone_from));
        return Number(event.ID);
      }
      case 'calendar.event.delete': {
        this.owner(body);
        this.event(body).DELETED = 'Y';
        return true;
      }
      default:
        throw refuse('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
    }
  }

  private owner(body: any): void {
    if (body.type !== 'user' && body.type !== 'group' && body.type !== 'company_calendar') throw refuse('', 'Calendar type is not defined');
    if (body.type !== 'company_calendar' && !Number.isInteger(Number(body.ownerId))) throw refuse('', 'Owner id is not defined');
  }

  /** The owner's event with `id`: the portal refuses one that is another user's or gone. */
  private event(body: any): PortalCalendarEvent {
    const event = this.held.find((candidate) => candidate.ID === String(body.id) && candidate.DELETED === 'N');
    if (!event || event.OWNER_ID !== String(body.ownerId)) throw refuse('', 'Error while deleting or editing the event');
    return event;
  }

  private live(ownerId: string, from: number, to: number): PortalCalendarEvent[] {
    return this.held.filter(
      (event) => event.OWNER_ID === ownerId && event.DELETED === 'N' && Number(event.DATE_FROM_TS_UTC) * 1000 < to && Number(event.DATE_TO_TS_UTC) * 1000 > from,
    );
  }

  private store(ownerId: string, fields: Pick<PortalCalendarEvent, 'NAME' | 'DESCRIPTION' | 'ACCESSIBILITY'>, from: number, to: number, zone: string): string {
    const event: PortalCalendarEvent = { ID: String(this.nextId++), CAL_TYPE: 'user', OWNER_ID: ownerId, DT_SKIP_TIME: 'N', DELETED: 'N', ...fields, ...dates(from, to, zone) };
    this.held.push(event);
    return event.ID;
  }
}

/** `from`/`to` of an add or update: the wall clock in `timezone_from`/`timezone_to`, which must be real zones. */
function wallClock(body: any): [number, number] {
  const read = (value: unknown, zone: unknown, name: string) => {
    const at = typeof value === 'string' && typeof zone === 'string' ? DateTime.fromFormat(value, 'yyyy-MM-dd HH:mm:ss', { zone }) : undefined;
    if (!at?.isValid) throw refuse('', `Wrong date or time zone in '${name}'`);
    return at.toMillis();
  };
  const [from, to] = [read(body.from, body.timezone_from, 'from'), read(body.to, body.timezone_to, 'to')];
  if (to <= from) throw refuse('', "The event's end is before its start");
  return [from, to];
}

function dates(from: number, to: number, zone: string) {
  return {
    DATE_FROM: DateTime.fromMillis(from, { zone: 'UTC' }).toFormat(PORTAL_FORMAT),
    DATE_TO: DateTime.fromMillis(to, { zone: 'UTC' }).toFormat(PORTAL_FORMAT),
    TZ_FROM: zone,
    TZ_TO: zone,
    DATE_FROM_TS_UTC: String(Math.floor(from / 1000)),
    DATE_TO_TS_UTC: String(Math.floor(to / 1000)),
  };
}

/** A `from`/`to` of a query: a date, read at the start of its day (UTC here). */
function day(value: unknown, name: string): number {
  const at = typeof value === 'string' ? DateTime.fromISO(value, { zone: 'UTC' }) : undefined;
  if (!at?.isValid) throw refuse('', `Wrong date in '${name}'`);
  return at.startOf('day').toMillis();
}
