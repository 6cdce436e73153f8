import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { type FakeServer, startFakeServer } from './fake-server';

/** A private app's access token, as HubSpot shows it. */
export const HUBSPOT_TOKEN = 'pat-na1-5f0c7a1e-3b2d-4c8e-9a6f-1d2e3f4a5b6c';

/** One request to the API, as the fake received it. */
export interface HubSpotRequest {
  method: string;
  /** With its query string. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface HubSpotRecord {
  id: string;
  properties: Record<string, string>;
  /** The records this one was associated with on creation, and how. */
  associations: { id: string; typeId: number }[];
}

type ObjectType = 'contacts' | 'deals' | 'notes' | 'tasks';
/** What each object may be associated with on creation: the default HUBSPOT_DEFINED type and the target. */
const ASSOCIATIONS: Partial<Record<ObjectType, { typeId: number; to: ObjectType }>> = {
  deals: { typeId: 3, to: 'contacts' },
  notes: { typeId: 214, to: 'deals' },
  tasks: { typeId: 216, to: 'deals' },
};
const LIFECYCLE = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist'];

/**
 * HubSpot's CRM API v3 on 127.0.0.1: contacts, deals, notes and tasks, kept in memory so searches
 * find what was created. Answers as HubSpot does: string ids and property values, `{ total, results }`
 * searches, `{ status: 'error', message, correlationId, category }` errors.
 */
export class FakeHubSpot {
  readonly requests: HubSpotRequest[] = [];
  private readonly records: Record<ObjectType, Map<string, HubSpotRecord>> = { contacts: new Map(), deals: new Map(), notes: new Map(), tasks: new Map() };
  private failure?: { status: number; times: number };
  private searchLags = false;
  private server?: FakeServer;
  private nextId = 51_001;

  constructor(readonly token = HUBSPOT_TOKEN) {}

  get baseUrl(): string {
    return this.server!.baseUrl;
  }

  contacts = () => [...this.records.contacts.values()];
  deals = () => [...this.records.deals.values()];
  notes = () => [...this.records.notes.values()];
  tasks = () => [...this.records.tasks.values()];

  /** A contact the portal already has; returns its id. */
  addContact(properties: Record<string, string>): string {
    return this.store('contacts', properties, []).id;
  }

  /** The next `times` requests are answered with this status (500: an outage; 400: a validation error). */
  failWith(status: number, times = Infinity): void {
    this.failure = { status, times };
  }

  recover(): void {
    this.failure = undefined;
  }

  /** Searches miss everything, as HubSpot's index does for a few seconds after a write. */
  lagSearch(lags = true): void {
    this.searchLags = lags;
  }

  async start(): Promise<this> {
    this.server = await startFakeServer((req, raw, res) => reply(res, ...this.answer(req, raw)));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private answer(req: http.IncomingMessage, raw: string): [number, unknown] {
    const body = raw ? JSON.parse(raw) : undefined;
    this.requests.push({ method: req.method!, path: req.url!, headers: req.headers, body });
    if (this.failure && this.failure.times-- > 0) return this.failed(this.failure.status);
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.failed(401);
    const url = new URL(req.url!, 'http://fake');
    const [, type, id] = /^\/crm\/v3\/objects\/(contacts|deals|notes|tasks)(?:\/([^/]+))?$/.exec(url.pathname) ?? [];
    const objectType = type as ObjectType | undefined;
    if (!objectType) return error(404, 'OBJECT_NOT_FOUND', 'Unable to route the request');
    if (req.method === 'POST' && id === 'search') return this.search(objectType, body);
    if (req.method === 'POST' && !id) return this.create(objectType, body);
    const record = id ? this.records[objectType].get(id) : undefined;
    if (!record) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
    if (req.method === 'GET') {
      const wanted = url.searchParams.get('properties')?.split(',');
      const answer = view(record, wanted ?? Object.keys(record.properties));
      if (url.searchParams.get('associations') !== 'contacts') return [200, answer];
      const results = record.associations.filter((to) => this.records.contacts.has(to.id)).map((to) => ({ id: to.id, type: 'deal_to_contact' }));
      return [200, { ...answer, associations: { contacts: { results } } }];
    }
    if (req.method === 'PATCH') {
      const properties = stringProperties(body?.properties);
      // The API never takes a contact's lifecycle stage backwards.
      const [from, to] = [record.properties.lifecyclestage, properties.lifecyclestage].map((stage) => LIFECYCLE.indexOf(stage ?? ''));
      if (objectType === 'contacts' && to! >= 0 && from! > to!) delete properties.lifecyclestage;
      Object.assign(record.properties, properties, { lastmodifieddate: new Date().toISOString() });
      return [200, view(record, Object.keys(record.properties))];
    }
    return error(405, 'VALIDATION_ERROR', `${req.method} is not supported`);
  }

  private create(type: ObjectType, body: any): [number, unknown] {
    const properties = stringProperties(body?.properties);
    const existing = type === 'contacts' && properties.email && this.contacts().find((contact) => same(contact.properties.email, properties.email));
    if (existing) return error(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    const allowed = ASSOCIATIONS[type];
    const associations: HubSpotRecord['associations'] = [];
    for (const { to, types } of body?.associations ?? []) {
      const [kind] = types ?? [];
      if (!allowed || types.length !== 1 || kind.associationCategory !== 'HUBSPOT_DEFINED' || kind.associationTypeId !== allowed.typeId) {
        return error(400, 'VALIDATION_ERROR', `${JSON.stringify(types)} is not a valid association type for ${type}`);
      }
      if (!this.records[allowed.to].has(String(to?.id))) return error(400, 'VALIDATION_ERROR', `No ${allowed.to} with ID ${to?.id}`);
      associations.push({ id: String(to.id), typeId: kind.associationTypeId });
    }
    const missing = { deals: 'dealname', notes: 'hs_timestamp', tasks: 'hs_timestamp', contacts: undefined }[type];
    if (missing && !properties[missing]) return error(400, 'VALIDATION_ERROR', `Property values were not valid: [{"isValid":false,"message":"${missing} is required","error":"REQUIRED_FIELD","name":"${missing}"}]`);
    return [201, view(this.store(type, properties, associations), Object.keys(properties))];
  }

  private search(type: ObjectType, body: any): [number, unknown] {
    const groups: { filters: { propertyName: string; operator: string; value: string }[] }[] = body?.filterGroups ?? [];
    const operators = groups.flatMap((group) => group.filters.map((filter) => filter.operator));
    if (operators.some((operator) => !['EQ', 'CONTAINS_TOKEN'].includes(operator))) return error(400, 'VALIDATION_ERROR', `The fake supports EQ and CONTAINS_TOKEN only`);
    const matches = (record: HubSpotRecord) =>
      groups.some((group) => group.filters.every(({ propertyName, operator, value }) => (operator === 'EQ' ? same : hasToken)(record.properties[propertyName], value)));
    const found = this.searchLags ? [] : [...this.records[type].values()].filter(matches);
    const results = found.slice(0, body?.limit ?? 10).map((record) => view(record, body?.properties ?? []));
    return [200, { total: found.length, results }];
  }

  private store(type: ObjectType, properties: Record<string, string>, associations: HubSpotRecord['associations']): HubSpotRecord {
    const id = String(this.nextId++);
    const now = new Date().toISOString();
    const record = { id, properties: { ...properties, hs_object_id: id, createdate: now, lastmodifieddate: now }, associations };
    this.records[type].set(id, record);
    return record;
  }

  private failed(status: number): [number, unknown] {
    if (status === 401) return error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.');
    if (status === 429) return error(429, 'RATE_LIMITS', 'You have reached your secondly limit.');
    if (status >= 500) return error(status, 'INTERNAL_ERROR', 'internal error');
    return error(status, 'VALIDATION_ERROR', 'Property values were not valid: [{"isValid":false,"message":"Property \\"dealstage\\" has an invalid value","error":"INVALID_OPTION","name":"dealstage"}]');
  }
}

/** A record as the API shows it: the asked-for properties (null when unset) and its timestamps. */
function view(record: HubSpotRecord, wanted: string[]) {
  const properties = Object.fromEntries(['hs_object_id', ...wanted].map((name) => [name, record.properties[name] ?? null]));
  return { id: record.id, properties, createdAt: record.properties.createdate, updatedAt: record.properties.lastmodifieddate, archived: false };
}

/** HubSpot keeps every property value as a string. */
function stringProperties(properties: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(properties ?? {}).map(([name, value]) => [name, String(value)]));
}

function same(stored: string | undefined, value: string): boolean {
  return stored !== undefined && stored.toLowerCase() === String(value).toLowerCase();
}

/** CONTAINS_TOKEN: a whole word of the value, `*` standing for any characters. */
function hasToken(stored: string | undefined, token: string): boolean {
  const pattern = new RegExp(`^${token.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return (stored ?? '').split(/\s+/).some((word) => pattern.test(word));
}

function error(status: number, category: string, message: string): [number, unknown] {
  return [status, { status: 'error', message, correlationId: randomUUID(), category }];
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(body));
}
