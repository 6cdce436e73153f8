import http from 'node:http';
import { type FakeServer, startFakeServer } from './fake-server';

/** A Sanctum personal access token, as Krayin shows it: `<id>|<secret>`. */
export const KRAYIN_TOKEN = '3|kR4yInS4nctUmT0k3nF0rC0nc13rg3T3sts00';

/** One request to the site, as the fake received it. */
export interface KrayinRequest {
  method: string;
  /** With its query string. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

type Value = { value: string; label: string };
export interface KrayinPerson {
  id: number;
  name: string;
  emails: Value[];
  contact_numbers: Value[] | null;
}
export interface KrayinLead {
  id: number;
  title: string;
  description: string | null;
  lead_value: number;
  lead_source_id: number;
  lead_type_id: number;
  lead_pipeline_id: number;
  lead_pipeline_stage_id: number;
  person_id: number;
}
export interface KrayinActivity {
  id: number;
  type: string;
  title: string | null;
  comment: string | null;
  schedule_from: string | null;
  schedule_to: string | null;
  is_done: number;
  lead_id: number;
}

/** A fresh install's default pipeline: stage id → pipeline id. */
const STAGES = new Map([1, 2, 3, 4, 5, 6].map((stage) => [stage, 1]));

/**
 * A Krayin site with its REST API package on 127.0.0.1: persons, leads and activities kept in
 * memory, so searches find what was created. Answers as Laravel does: `{ data, message }`, a 422
 * `{ message, errors }` for a validation error, `{ message }` for the rest.
 */
export class FakeKrayin {
  readonly requests: KrayinRequest[] = [];
  private readonly stored = { persons: [] as KrayinPerson[], leads: [] as KrayinLead[], activities: [] as KrayinActivity[] };
  private failure?: { status: number; times: number };
  private server?: FakeServer;

  constructor(readonly token = KRAYIN_TOKEN) {}

  get baseUrl(): string {
    return this.server!.baseUrl;
  }

  persons = () => this.stored.persons;
  leads = () => this.stored.leads;
  activities = () => this.stored.activities;

  /** A person the CRM already has. */
  addPerson(person: Omit<KrayinPerson, 'id'>): KrayinPerson {
    const stored = { id: this.stored.persons.length + 1, ...person };
    this.stored.persons.push(stored);
    return stored;
  }

  /** The next `times` requests are answered with this status (500: an outage; 400 or 422: a validation error). */
  failWith(status: number, times = Infinity): void {
    this.failure = { status, times };
  }

  recover(): void {
    this.failure = undefined;
  }

  async start(): Promise<this> {
    this.server = await startFakeServer((req, raw, res) => {
      const [status, body] = this.answer(req, raw);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private answer(req: http.IncomingMessage, raw: string): [number, unknown] {
    const body = raw ? JSON.parse(raw) : undefined;
    this.requests.push({ method: req.method!, path: req.url!, headers: req.headers, body });
    if (this.failure && this.failure.times-- > 0) return failed(this.failure.status);
    if (req.headers.authorization !== `Bearer ${this.token}`) return failed(401);
    const url = new URL(req.url!, 'http://fake');
    const route = `${req.method} ${url.pathname.replace(/\/\d+$/, '/{id}')}`;
    const id = Number(/\/(\d+)$/.exec(url.pathname)?.[1]);
    switch (route) {
      case 'GET /api/v1/contacts/persons/search':
        return [200, { data: search(this.stored.persons, url.searchParams) }];
      case 'GET /api/v1/leads/search':
        return [200, { data: search(this.stored.leads, url.searchParams).map((lead) => this.leadView(lead)) }];
      case 'POST /api/v1/contacts/persons':
        return this.createPerson(body);
      case 'POST /api/v1/leads':
        return this.createLead(body);
      case 'PUT /api/v1/leads/{id}':
        return this.updateLead(id, body);
      case 'POST /api/v1/activities':
        return this.createActivity(body);
      default:
        return [404, { message: 'The requested resource could not be found.' }];
    }
  }

  private createPerson(body: any): [number, unknown] {
    const invalid = invalidPerson(body, '', this.stored.persons);
    if (invalid) return invalid;
    const person = this.addPerson({ name: body.name, emails: body.emails, contact_numbers: body.contact_numbers ?? null });
    return [200, { data: person, message: 'Person created successfully.' }];
  }

  private createLead(body: any): [number, unknown] {
    const invalid = invalidLead(body, ['title', 'lead_value', 'lead_source_id', 'lead_type_id']) ?? invalidPerson(body.person ?? {}, 'person.', this.stored.persons);
    if (invalid) return invalid;
    if (body.person.id !== undefined && !this.stored.persons.some((person) => person.id === body.person.id)) return [404, { message: 'The requested resource could not be found.' }];
    const person = body.person.id ?? this.addPerson({ name: body.person.name, emails: body.person.emails, contact_numbers: body.person.contact_numbers ?? null }).id;
    const lead: KrayinLead = {
      id: this.stored.leads.length + 1,
      title: body.title,
      description: body.description ?? null,
      lead_value: Number(body.lead_value),
      lead_source_id: body.lead_source_id,
      lead_type_id: body.lead_type_id,
      lead_pipeline_id: STAGES.get(body.lead_pipeline_stage_id) ?? 1,
      lead_pipeline_stage_id: body.lead_pipeline_stage_id ?? 1,
      person_id: person,
    };
    this.stored.leads.push(lead);
    return [200, { data: this.leadView(lead), message: 'Lead created successfully.' }];
  }

  private updateLead(id: number, body: any): [number, unknown] {
    const lead = this.stored.leads.find((stored) => stored.id === id);
    if (!lead) return [404, { message: 'The requested resource could not be found.' }];
    const invalid = invalidLead(body, ['lead_pipeline_stage_id'].concat(['title', 'lead_value', 'lead_source_id', 'lead_type_id'].filter((field) => field in body)));
    if (invalid) return invalid;
    const { title, description, lead_value, lead_source_id, lead_type_id, lead_pipeline_stage_id } = body;
    Object.assign(lead, JSON.parse(JSON.stringify({ title, description, lead_value, lead_source_id, lead_type_id, lead_pipeline_stage_id })));
    lead.lead_pipeline_id = STAGES.get(lead.lead_pipeline_stage_id)!;
    return [200, { data: this.leadView(lead), message: 'Lead updated successfully.' }];
  }

  private createActivity(body: any): [number, unknown] {
    const { type, comment, schedule_from, schedule_to, lead_id } = body ?? {};
    if (!type) return invalid('type', 'The type field is required.');
    if (type === 'note' && !comment) return invalid('comment', 'The comment field is required when type is note.');
    for (const [field, value] of Object.entries({ schedule_from, schedule_to })) {
      if (type !== 'note' && type !== 'file' && !value) return invalid(field, `The ${field.replace('_', ' ')} field is required unless type is in note, file.`);
    }
    if (!this.stored.leads.some((lead) => lead.id === Number(lead_id))) return [500, { message: 'Server Error' }];
    const activity: KrayinActivity = {
      id: this.stored.activities.length + 1,
      type,
      title: body.title ?? null,
      comment: comment ?? null,
      schedule_from: schedule_from ?? null,
      schedule_to: schedule_to ?? null,
      is_done: type === 'note' ? 1 : 0,
      lead_id: Number(lead_id),
    };
    this.stored.activities.push(activity);
    return [200, { data: activity, message: 'Activity created successfully.' }];
  }

  private leadView(lead: KrayinLead) {
    return { ...lead, person: this.stored.persons.find((person) => person.id === lead.person_id) ?? null };
  }
}

/**
 * The l5-repository search the API uses: `search=field:value` with `searchFields=field:like` is a
 * LIKE on the column; e-mails and numbers are JSON columns, matched on their text.
 */
function search<T extends object>(records: T[], params: URLSearchParams): T[] {
  const [field, value] = (params.get('search') ?? '').split(':') as [keyof T, string | undefined];
  const like = params.get('searchFields') === `${String(field)}:like`;
  return records.filter((record) => {
    const stored = typeof record[field] === 'string' ? (record[field] as string) : JSON.stringify(record[field] ?? '');
    return like ? stored.toLowerCase().includes((value ?? '').toLowerCase()) : stored === value;
  });
}

/** Krayin validates the attributes sent: a person's name, e-mails (unique) and numeric phone numbers. */
function invalidPerson(person: any, prefix: string, persons: KrayinPerson[]): [number, unknown] | undefined {
  if ('name' in person && !person.name) return invalid(`${prefix}name`, 'The name field is required.');
  if ('emails' in person && !person.emails?.length) return invalid(`${prefix}emails`, 'The emails field is required.');
  for (const [index, { value }] of (person.emails ?? []).entries()) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value ?? '')) return invalid(`${prefix}emails.${index}.value`, `The ${prefix}emails.${index}.value must be a valid email address.`);
    const owner = persons.find((stored) => stored.emails.some((email) => email.value === value));
    if (owner && owner.id !== person.id) return invalid(`${prefix}emails.${index}.value`, 'The value has already been taken.');
  }
  for (const [index, { value }] of (person.contact_numbers ?? []).entries()) {
    if (!/^\+?\d+$/.test(value ?? '')) return invalid(`${prefix}contact_numbers.${index}.value`, `The ${prefix}contact_numbers.${index}.value must be a number.`);
  }
  if (!('id' in person) && !person.name) return invalid(`${prefix}name`, 'The name field is required.');
  return undefined;
}

function invalidLead(lead: any, required: string[]): [number, unknown] | undefined {
  const missing = required.find((field) => lead?.[field] === undefined || lead[field] === '');
  if (missing) return invalid(missing, `The ${missing.replace(/_/g, ' ')} field is required.`);
  // leads.title is a VARCHAR(255): MySQL refuses more, and Laravel answers a 500.
  if (String(lead.title ?? '').length > 255) return [500, { message: 'Server Error' }];
  if ('lead_value' in lead && !/^\d+(\.\d+)?$/.test(String(lead.lead_value))) return invalid('lead_value', 'The lead value must be a valid decimal.');
  if (!STAGES.has(lead.lead_pipeline_stage_id ?? 1)) return [404, { message: 'The requested resource could not be found.' }];
  return undefined;
}

function invalid(field: string, message: string): [number, unknown] {
  return [422, { message, errors: { [field]: [message] } }];
}

function failed(status: number): [number, unknown] {
  if (status === 401) return [401, { message: 'Unauthenticated.' }];
  if (status === 429) return [429, { message: 'Too Many Attempts.' }];
  if (status >= 500) return [status, { message: 'Server Error' }];
  return [status, { message: 'The title field is required.', errors: { title: ['The title field is required.'] } }];
}
