import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Lead, LeadStage } from '../domain/leads';
import { callProviderJson, type ProviderCall } from '../provider-http';
import type { CrmAdapter, CrmLead, CrmSettings } from './adapter';

/**
 * Ids Krayin's installer seeds, so every fresh install has them: the default pipeline (1) and its
 * stages, the lead source "Direct" (the customer wrote to the business themselves) and the lead
 * type "New Business". A tenant who deleted or renumbered them gets a refusal naming the field.
 */
const DEFAULT_PIPELINE_ID = 1;
const STAGE_IDS: Record<LeadStage, number> = {
  new: 1, // new
  qualified: 2, // follow-up
  appointment_booked: 3, // prospect
  won: 5, // won
  lost: 6, // lost
};
const SOURCE_DIRECT_ID = 5;
const TYPE_NEW_BUSINESS_ID = 1;
const TITLE_LENGTH = 255;

/** A Krayin person must have an e-mail; one on the reserved `.invalid` domain stands for none. */
const NO_EMAIL_DOMAIN = 'no-email.invalid';

const ValueSchema = z.object({ value: z.string(), label: z.string().optional() });
const PersonSchema = z.object({
  id: z.number(),
  name: z.string(),
  emails: z.array(ValueSchema).nullish(),
  contact_numbers: z.array(ValueSchema).nullish(),
});
type Person = z.infer<typeof PersonSchema>;
const PersonsSchema = z.object({ data: z.array(PersonSchema) });
const CreatedSchema = z.object({ data: z.object({ id: z.number() }) });
const LeadsSchema = z.object({ data: z.array(z.object({ id: z.number(), title: z.string().nullish() })) });

/**
 * Krayin CRM through its REST API package (`/api/v1`, a Sanctum token as Bearer). A lead is a
 * person and a lead; the external id is the lead's. The lead's title carries the idempotency key:
 * that is how `find` finds the lead a crashed push created.
 */
export function createKrayinCrm(settings: CrmSettings): CrmAdapter {
  if (!settings.baseUrl || !settings.token) throw new Error('Krayin CRM needs baseUrl (the site) and token (a REST API token)');
  const apiUrl = `${settings.baseUrl.replace(/\/+$/, '')}/api/v1`;
  // Without Accept: application/json, Laravel answers a bad token with a redirect to its login page.
  const headers = { authorization: `Bearer ${settings.token}`, accept: 'application/json' };
  const call = async <T>(what: string, path: string, schema: z.ZodType<T>, request: Pick<ProviderCall, 'method' | 'body'> = {}) =>
    schema.parse(await callProviderJson({ what: `Krayin ${what}`, kind: 'Crm', url: `${apiUrl}${path}`, headers, ...request }));
  /** Krayin's search: `field:value` matched with SQL LIKE, so the caller picks the exact match. */
  const search = <T>(what: string, path: string, schema: z.ZodType<T>, field: string, value: string) =>
    call(what, `${path}?${new URLSearchParams({ search: `${field}:${value}`, searchFields: `${field}:like` })}`, schema);

  async function findPerson({ email, phone }: Lead): Promise<Person | undefined> {
    if (email) {
      const { data } = await search('search persons', '/contacts/persons/search', PersonsSchema, 'emails', email);
      const person = data.find((found) => found.emails?.some(({ value }) => value.toLowerCase() === email.toLowerCase()));
      if (person) return person;
    }
    const number = phone && phoneNumber(phone);
    if (!number) return undefined;
    const { data } = await search('search persons', '/contacts/persons/search', PersonsSchema, 'contact_numbers', number);
    return data.find((found) => found.contact_numbers?.some(({ value }) => phoneNumber(value) === number));
  }

  async function createPerson({ lead, idempotencyKey }: CrmLead): Promise<Person> {
    const number = lead.phone && phoneNumber(lead.phone);
    const body = {
      name: lead.name?.trim() || lead.email || lead.phone || 'Concierge lead',
      emails: [{ value: lead.email ?? `${idempotencyKey}@${NO_EMAIL_DOMAIN}`, label: 'work' }],
      ...listed('contact_numbers', number ? [{ value: number, label: 'work' }] : []),
    };
    return (await call('create person', '/contacts/persons', z.object({ data: PersonSchema }), { body })).data;
  }

  return {
    provider: 'krayin',

    async find({ idempotencyKey }) {
      const { data } = await search('search leads', '/leads/search', LeadsSchema, 'title', idempotencyKey);
      const lead = data.find((found) => found.title?.includes(idempotencyKey));
      return lead ? String(lead.id) : undefined;
    },

    async create(crmLead) {
      const person = (await findPerson(crmLead.lead)) ?? (await createPerson(crmLead));
      const body = {
        lead_value: 0, // required: a lead without a budget is worth 0 until the seller says otherwise
        ...leadFields(crmLead),
        lead_source_id: SOURCE_DIRECT_ID,
        lead_type_id: TYPE_NEW_BUSINESS_ID,
        // Krayin saves the person it is given along with the lead: what it already holds changes nothing.
        person: { id: person.id, name: person.name, ...listed('emails', person.emails), ...listed('contact_numbers', person.contact_numbers) },
      };
      return String((await call('create lead', '/leads', CreatedSchema, { body })).data.id);
    },

    async update(externalId, crmLead) {
      await call('update lead', `/leads/${leadId(externalId)}`, CreatedSchema, { method: 'PUT', body: leadFields(crmLead) });
    },

    async addNote(externalId, note) {
      const lead_id = leadId(externalId);
      await call('add note', '/activities', CreatedSchema, { body: { type: 'note', comment: note.text, lead_id } });
      if (note.followUp) {
        const due = new Date(note.followUp.dueAt);
        const body = {
          type: 'call',
          title: note.followUp.title,
          comment: note.text,
          schedule_from: krayinDateTime(due),
          schedule_to: krayinDateTime(new Date(due.getTime() + 30 * 60_000)),
          lead_id,
        };
        await call('add follow-up call', '/activities', CreatedSchema, { body });
      }
    },
  };
}

/**
 * The lead's own fields. Krayin validates and saves only the fields sent: unknown details are left
 * out so as not to blank the seller's, and so are the source, type and owner they may have changed.
 */
function leadFields({ lead, idempotencyKey, businessName }: CrmLead) {
  const who = lead.name?.trim() || lead.email || lead.phone || 'Concierge lead';
  const head = [who, lead.interests.join(', ') || businessName].filter(Boolean).join(' · ');
  // The title is a 255-character column; the key at its end must survive.
  const room = TITLE_LENGTH - idempotencyKey.length - 3;
  return {
    title: `${head.length > room ? `${head.slice(0, room - 1)}…` : head} · ${idempotencyKey}`,
    ...(lead.needs ? { description: lead.needs } : {}),
    ...(lead.budget !== null ? { lead_value: lead.budget } : {}),
    lead_pipeline_id: DEFAULT_PIPELINE_ID,
    lead_pipeline_stage_id: STAGE_IDS[lead.stage],
  };
}

/** Krayin fails on an empty list of e-mails or numbers: none, no key. */
function listed<K extends string>(key: K, values: { value: string; label?: string }[] | null | undefined) {
  return values?.length ? ({ [key]: values } as Record<K, typeof values>) : {};
}

/** Krayin validates phone numbers as numeric: digits, and a leading + kept. */
function phoneNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits && (phone.trim().startsWith('+') ? `+${digits}` : digits);
}

/** Activity times as its API documents them: `YYYY-MM-DD HH:MM:SS`; we send UTC. */
function krayinDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function leadId(externalId: string): number {
  if (!/^\d+$/.test(externalId)) throw ApplicationFailure.nonRetryable(`Not a Krayin lead id: ${externalId}`, 'CrmRefused');
  return Number(externalId);
}
