import http from 'node:http';
import { type FakeServer, startFakeServer } from './fake-server';

/** The inbound webhook's user and secret code: a request under any other `/rest/<user>/<code>/` is refused. */
export const BITRIX24_WEBHOOK_PATH = '/rest/1/wh00kFAKEcode0000/';

/** One REST call as the portal received it. */
export interface CrmPortalRequest {
  /** The REST method, e.g. `crm.lead.add`. */
  method: string;
  path: string;
  body: any;
}

type Multifield = { ID: number; TYPE_ID: string; VALUE: string; VALUE_TYPE: string };
export type PortalLead = Record<string, any> & { ID: string; EMAIL?: Multifield[]; PHONE?: Multifield[] };
type Refusal = { status: number; body: { error: string; error_description: string } };

/** What the portal answers when told to fail with a status, as its documentation lists them. */
const ERRORS: Record<number, Refusal['body']> = {
  200: { error: 'ACCESS_DENIED', error_description: 'Access denied.' },
  400: { error: '', error_description: 'Access denied.' },
  401: { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' },
  403: { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' },
  500: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
  503: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
};

/** A refusal thrown by a fake portal's method, answered with its status and body. */
export class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.body.error_description);
  }
}
export const refuse = (error: string, description: string, status = 400) => new Refused({ status, body: { error, error_description: description } });

/** What `call` of `answerPortalCall` returns to leave the caller waiting for an answer that never comes. */
export const NO_ANSWER = Symbol('no answer');

/** One REST call as the portal reads it: the method from the path (`…/crm.lead.add.json?…`), a JSON body decoded, anything else as text. */
export function portalCall(path: string, raw: string): CrmPortalRequest {
  const method = /^\/rest\/\d+\/[^/]+\/([a-z0-9_.]+?)(?:\.json)?(?:\?.*)?$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  let body: any;
  try {
    body = raw ? JSON.parse(raw) : {};
  } catch {
    body = raw;
  }
  return { method, path, body };
}

/** A failure a test asked for: the next `times` calls are answered with this status and body. */
export type PortalFailure = { status: number; times: number; body: Refusal['body'] };

/**
 * Answers a REST call as the portal does: 401 off the webhook's path, then the `failure` while it lasts,
 * 400 for a body that is no JSON, else what `call` returns in the `{ result, time }` envelope, or the
 * status and body of the `Refused` it throws.
 */
export function answerPortalCall(res: http.ServerResponse, { path, body }: CrmPortalRequest, failure: PortalFailure | undefined, call: () => unknown): void {
  try {
    if (!path.startsWith(BITRIX24_WEBHOOK_PATH)) throw refuse('NO_AUTH_FOUND', 'Wrong authorization data', 401);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      throw new Refused({ status: failure.status, body: failure.body });
    }
    if (typeof body !== 'object' || body === null) throw refuse('INVALID_REQUEST', 'Expected JSON');
    const now = Date.now() / 1000;
    const result = call();
    if (result !== NO_ANSWER) reply(res, 200, { result, time: { start: now, finish: now, duration: 0, processing: 0 } });
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    reply(res, error.refusal.status, error.refusal.body);
  }
}

/**
 * A Bitrix24 portal's CRM behind an inbound webhook, on 127.0.0.1: the lead, duplicate-search,
 * timeline-comment and to-do methods, with the portal's `{ result, time }` envelope and its
 * `{ error, error_description }` refusals. Keeps what it is given, so a lead added is found again.
 */
export class FakeBitrix24Crm {
  readonly requests: CrmPortalRequest[] = [];
  private readonly held: PortalLead[] = [];
  private readonly comments: Record<string, any>[] = [];
  private readonly todoList: Record<string, any>[] = [];
  private failure?: PortalFailure;
  private server?: FakeServer;
  private nextId = 3465;
  private heldMethod?: string;

  /** The inbound webhook URL a tenant configures, with its trailing slash. */
  get baseUrl(): string {
    return `${this.server!.baseUrl}${BITRIX24_WEBHOOK_PATH}`;
  }

  leads(): PortalLead[] {
    return this.held;
  }

  notes(): Record<string, any>[] {
    return this.comments;
  }

  todos(): Record<string, any>[] {
    return this.todoList;
  }

  /** A lead someone else entered (a form, a seller): not one of ours. */
  addLead(fields: Record<string, any>): string {
    return this.addLeadFields(fields);
  }

  /** The next `times` calls fail with this status (200: an error in a 200 answer) and Bitrix24's error body. */
  failWith(status: number, times = Infinity, body = ERRORS[status] ?? { error: 'ERROR', error_description: 'Failed' }): void {
    this.failure = { status, times, body };
  }

  recover(): void {
    this.failure = undefined;
  }

  /** The next call of `method` is carried out but never answered: the caller dies waiting (a crash test). */
  holdAnswerOf(method: string): void {
    this.heldMethod = method;
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
    answerPortalCall(res, request, this.failure, () => {
      const result = this.call(request.method, request.body);
      if (request.method !== this.heldMethod) return result;
      this.heldMethod = undefined;
      return NO_ANSWER;
    });
  }

  private call(method: string, body: any): unknown {
    switch (method) {
      case 'crm.lead.add':
        if (typeof body.fields !== 'object' || body.fields === null) throw refuse('', "Parameter 'fields' must be array.");
        return Number(this.addLeadFields(body.fields));
      case 'crm.lead.get':
        return this.lead(body.id);
      case 'crm.lead.update': {
        const lead = this.lead(body.id);
        const { EMAIL, PHONE, ...fields } = body.fields ?? {};
        Object.assign(lead, fields);
        this.setMultifields(lead, { EMAIL, PHONE });
        return true;
      }
      case 'crm.lead.list': {
        const filter: Record<string, unknown> = body.filter ?? {};
        const select: string[] = body.select ?? ['*'];
        return this.held
          .filter((lead) => Object.entries(filter).every(([field, value]) => String(lead[field]) === String(value)))
          .map((lead) => (select.includes('*') ? { ...lead } : Object.fromEntries(['ID', ...select].map((field) => [field, lead[field] ?? null]))));
      }
      case 'crm.duplicate.findbycomm': {
        if (body.type !== 'EMAIL' && body.type !== 'PHONE') throw refuse('Communication type is not defined', "Parameter 'type' is required.");
        if (!Array.isArray(body.values) || body.values.length === 0 || body.values.length > 20) throw refuse('Communication values is not defined', "Parameter 'values' is required.");
        const normal = body.type === 'EMAIL' ? (value: string) => value.toLowerCase() : (value: string) => value.replace(/\D/g, '');
        const wanted = new Set(body.values.map((value: string) => normal(String(value))));
        const ids = this.held.filter((lead) => (lead[body.type] ?? []).some((field: Multifield) => wanted.has(normal(field.VALUE)))).map((lead) => Number(lead.ID));
        // PHP's empty array, as the portal sends it when nothing matches.
        return ids.length > 0 && (body.entity_type ?? 'LEAD') === 'LEAD' ? { LEAD: ids } : [];
      }
      case 'crm.timeline.comment.add': {
        const fields = body.fields ?? {};
        if (fields.ENTITY_TYPE !== 'lead') throw refuse('', 'Entity type is not supported.');
        this.lead(fields.ENTITY_ID);
        if (!fields.COMMENT) throw refuse('', 'Comment is empty.');
        this.comments.push({ ID: this.nextId++, ...fields });
        return this.nextId - 1;
      }
      case 'crm.activity.todo.add': {
        if (body.ownerTypeId !== 1) throw refuse('OWNER_NOT_FOUND', 'Owner not found.');
        this.lead(body.ownerId);
        if (!body.deadline || Number.isNaN(Date.parse(body.deadline))) throw refuse('WRONG_DATETIME_FORMAT', 'Wrong datetime format.');
        this.todoList.push({ id: this.nextId++, ...body });
        return { id: this.nextId - 1 };
      }
      default:
        throw refuse('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
    }
  }

  private lead(id: unknown): PortalLead {
    const lead = this.held.find((candidate) => candidate.ID === String(id));
    if (!lead) throw refuse('NOT_FOUND', 'Not found.');
    return lead;
  }

  private addLeadFields(fields: Record<string, any>): string {
    const { EMAIL, PHONE, ...rest } = fields;
    const lead: PortalLead = { ...rest, ID: String(this.nextId++) };
    this.setMultifields(lead, { EMAIL, PHONE });
    this.held.push(lead);
    return lead.ID;
  }

  /** As the portal does: a value with an ID replaces that value, one without is added. */
  private setMultifields(lead: PortalLead, values: { EMAIL?: any[]; PHONE?: any[] }): void {
    for (const type of ['EMAIL', 'PHONE'] as const) {
      for (const value of values[type] ?? []) {
        const list = (lead[type] ??= []);
        const existing = value.ID !== undefined ? list.find((field) => String(field.ID) === String(value.ID)) : undefined;
        if (existing) Object.assign(existing, { VALUE: value.VALUE, VALUE_TYPE: value.VALUE_TYPE ?? existing.VALUE_TYPE });
        else list.push({ ID: this.nextId++, TYPE_ID: type, VALUE: value.VALUE, VALUE_TYPE: value.VALUE_TYPE ?? 'WORK' });
      }
    }
  }
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
