import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Lead, LeadStage } from '../domain/leads';
import { callProviderJson, type ProviderCall } from '../provider-http';
import type { CrmAdapter, CrmLead, CrmSettings } from './adapter';

/** HUBSPOT_DEFINED association types every portal has (from → to). */
const DEAL_TO_CONTACT = 3;
const NOTE_TO_DEAL = 214;
const TASK_TO_DEAL = 216;

/** Our stages as stages of a portal's default sales pipeline. */
const DEAL_STAGES: Record<LeadStage, string> = {
  new: 'qualifiedtobuy',
  qualified: 'qualifiedtobuy',
  appointment_booked: 'appointmentscheduled',
  won: 'closedwon',
  lost: 'closedlost',
};

/** HubSpot's default lifecycle stages in order: the API moves a contact only forward along them. */
const LIFECYCLE = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist'];
/** A lost deal says nothing about the person: their lifecycle stage stays where it is. */
const LIFECYCLE_STAGES: Record<LeadStage, string | undefined> = {
  new: 'lead',
  qualified: 'salesqualifiedlead',
  appointment_booked: 'opportunity',
  won: 'customer',
  lost: undefined,
};

const RecordSchema = z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()).default({}) });
const SearchSchema = z.object({ results: z.array(RecordSchema) });
const DealSchema = RecordSchema.extend({
  associations: z.object({ contacts: z.object({ results: z.array(z.object({ id: z.string() })) }).optional() }).optional(),
});

/**
 * HubSpot's CRM (API v3) with a private app's token. A lead is a contact and a deal associated
 * with it; its external id is `<contactId>:<dealId>` (the contact part empty if the deal has lost
 * its contact), so `update` reaches both without a lookup. The deal's name carries the
 * idempotency key: that is how `find` finds the deal a crashed push created.
 */
export function createHubSpotCrm(settings: CrmSettings): CrmAdapter {
  if (!settings.token) throw new Error('HubSpot CRM needs token: a private app access token');
  const baseUrl = (settings.baseUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${settings.token}` };
  const call = async <T>(what: string, path: string, schema: z.ZodType<T>, request: Pick<ProviderCall, 'method' | 'body'> = {}) =>
    schema.parse(await callProviderJson({ what: `HubSpot ${what}`, kind: 'Crm', url: `${baseUrl}${path}`, headers, ...request }));
  const search = (object: 'contacts' | 'deals', propertyName: string, operator: string, value: string) =>
    call(`search ${object}`, `/crm/v3/objects/${object}/search`, SearchSchema, {
      body: { filterGroups: [{ filters: [{ propertyName, operator, value }] }], properties: [propertyName], limit: 10 },
    }).then(({ results }) => results);

  async function findContact({ email, phone }: Lead): Promise<string | undefined> {
    if (email) {
      const [contact] = await search('contacts', 'email', 'EQ', email);
      if (contact) return contact.id;
    }
    if (phone) return (await search('contacts', 'phone', 'EQ', phone))[0]?.id;
    return undefined;
  }

  async function createContact(lead: Lead): Promise<string> {
    const properties = { ...contactProperties(lead), lifecyclestage: LIFECYCLE_STAGES[lead.stage] ?? 'lead' };
    try {
      return (await call('create contact', '/crm/v3/objects/contacts', RecordSchema, { body: { properties } })).id;
    } catch (error) {
      // Search trails writes by seconds: a retry may not find the contact it created, and meets it here.
      const existing = error instanceof ApplicationFailure ? /Existing ID: (\d+)/.exec(error.message)?.[1] : undefined;
      if (existing) return existing;
      throw error;
    }
  }

  return {
    provider: 'hubspot',

    async find({ idempotencyKey }) {
      // CONTAINS_TOKEN matches a whole word of the name; the check below drops any looser match.
      const deal = (await search('deals', 'dealname', 'CONTAINS_TOKEN', idempotencyKey)).find((found) => found.properties.dealname?.includes(idempotencyKey));
      if (!deal) return undefined;
      const { associations } = await call('read deal', `/crm/v3/objects/deals/${deal.id}?associations=contacts`, DealSchema);
      return `${associations?.contacts?.results[0]?.id ?? ''}:${deal.id}`;
    },

    async create(crmLead) {
      const contactId = (await findContact(crmLead.lead)) ?? (await createContact(crmLead.lead));
      const deal = await call('create deal', '/crm/v3/objects/deals', RecordSchema, {
        body: { properties: { ...dealProperties(crmLead), pipeline: 'default' }, associations: [associateWith(contactId, DEAL_TO_CONTACT)] },
      });
      return `${contactId}:${deal.id}`;
    },

    async update(externalId, crmLead) {
      const { contactId, dealId } = parseExternalId(externalId);
      if (contactId) {
        const properties: Record<string, string> = contactProperties(crmLead.lead);
        const lifecycle = LIFECYCLE_STAGES[crmLead.lead.stage];
        if (lifecycle) {
          const contact = await call('read contact', `/crm/v3/objects/contacts/${contactId}?properties=lifecyclestage`, RecordSchema);
          if (movesForward(contact.properties.lifecyclestage, lifecycle)) properties.lifecyclestage = lifecycle;
        }
        if (Object.keys(properties).length > 0) await call('update contact', `/crm/v3/objects/contacts/${contactId}`, RecordSchema, { method: 'PATCH', body: { properties } });
      }
      await call('update deal', `/crm/v3/objects/deals/${dealId}`, RecordSchema, { method: 'PATCH', body: { properties: dealProperties(crmLead) } });
    },

    async addNote(externalId, note) {
      const { dealId } = parseExternalId(externalId);
      await call('create note', '/crm/v3/objects/notes', RecordSchema, {
        body: { properties: { hs_timestamp: new Date().toISOString(), hs_note_body: escapeHtml(note.text) }, associations: [associateWith(dealId, NOTE_TO_DEAL)] },
      });
      if (note.followUp) {
        const properties = {
          hs_timestamp: note.followUp.dueAt, // a task's due date
          hs_task_subject: note.followUp.title,
          hs_task_body: escapeHtml(note.text),
          hs_task_status: 'NOT_STARTED',
          hs_task_priority: 'HIGH',
        };
        await call('create task', '/crm/v3/objects/tasks', RecordSchema, { body: { properties, associations: [associateWith(dealId, TASK_TO_DEAL)] } });
      }
    },
  };
}

/** What we know of the person; unknown details are left out so as not to blank the seller's. */
function contactProperties({ name, email, phone, company }: Lead): Record<string, string> {
  const [firstname, ...rest] = name?.trim().split(/\s+/) ?? [];
  return defined({ email, firstname, lastname: rest.join(' '), phone, company });
}

function dealProperties({ lead, idempotencyKey, businessName }: CrmLead): Record<string, string> {
  const who = lead.name?.trim() || lead.email || lead.phone || 'Concierge lead';
  const what = lead.interests.join(', ') || businessName;
  return defined({
    dealname: [who, what, idempotencyKey].filter(Boolean).join(' · '),
    dealstage: DEAL_STAGES[lead.stage],
    amount: lead.budget === null ? undefined : String(lead.budget),
    description: lead.needs,
  });
}

function defined(values: Record<string, string | null | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

/** Unknown or custom stages count as ahead of ours: we never take a contact back. */
function movesForward(current: string | null | undefined, target: string): boolean {
  if (!current) return true;
  const from = LIFECYCLE.indexOf(current);
  return from >= 0 && LIFECYCLE.indexOf(target) > from;
}

function associateWith(id: string, associationTypeId: number) {
  return { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] };
}

function parseExternalId(externalId: string): { contactId: string; dealId: string } {
  const match = /^(\d*):(\d+)$/.exec(externalId);
  if (!match) throw ApplicationFailure.nonRetryable(`Not a HubSpot lead id (<contactId>:<dealId>): ${externalId}`, 'CrmRefused');
  return { contactId: match[1]!, dealId: match[2]! };
}

/** Note and task bodies are rich text. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
