import { ApplicationFailure } from '@temporalio/common';
import type { Channel } from '../domain/conversation';
import type { LeadStage } from '../domain/leads';
import { callProviderJson } from '../provider-http';
import type { CrmAdapter, CrmLead, CrmSettings } from './adapter';

/** Set on the leads we create, with our idempotency key as ORIGIN_ID: a retried push finds its lead by them. */
const ORIGINATOR_ID = 'concierge';
/** The CRM object type id of a lead (`ownerTypeId` of activities). */
const LEAD_TYPE_ID = 1;

/** Our stages as a portal's default lead statuses (crm.status.list, ENTITY_ID STATUS). */
const STATUS_BY_STAGE: Record<LeadStage, string> = {
  new: 'NEW',
  qualified: 'IN_PROCESS',
  appointment_booked: 'PROCESSED',
  won: 'CONVERTED',
  lost: 'JUNK',
};

const CHANNEL_NAMES: Record<Channel, string> = {
  web: 'web chat',
  whatsapp: 'WhatsApp',
  evolution: 'WhatsApp',
  gupshup: 'WhatsApp',
  telegram: 'Telegram',
  bitrix24: 'Bitrix24 Open Channel',
};

type Multifield = { ID?: string | number; VALUE: string; VALUE_TYPE?: string };
type LeadRecord = { ID: string; EMAIL?: Multifield[]; PHONE?: Multifield[] };

/**
 * Leads in a Bitrix24 portal through an inbound webhook (scope `crm`). The webhook URL carries its
 * secret, so it never appears in an error: `what` names only the method.
 */
export function createBitrix24Crm(settings: CrmSettings): CrmAdapter {
  if (!settings.baseUrl) throw new Error('Bitrix24 CRM needs baseUrl: the inbound webhook URL https://<portal>/rest/<user>/<secret>/');
  const restUrl = settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`;
  const call = <T>(method: string, params: Record<string, unknown>) => callBitrix24<T>(restUrl, method, params);

  return {
    provider: 'bitrix24',

    async find({ lead, idempotencyKey }) {
      const ours = await call<LeadRecord[]>('crm.lead.list', { filter: { ORIGINATOR_ID, ORIGIN_ID: idempotencyKey }, select: ['ID'] });
      if (ours[0]) return String(ours[0].ID);
      for (const [type, value] of [['EMAIL', lead.email], ['PHONE', lead.phone]] as const) {
        if (!value) continue;
        // No match is an empty array (PHP's empty map), a match `{ LEAD: [ids] }`.
        const found = await call<{ LEAD?: number[] } | []>('crm.duplicate.findbycomm', { entity_type: 'LEAD', type, values: [value] });
        const id = Array.isArray(found) ? undefined : found.LEAD?.[0];
        if (id !== undefined) return String(id);
      }
      return undefined;
    },

    async create(crmLead) {
      const { lead } = crmLead;
      const fields = {
        ...leadFields(crmLead),
        ...(lead.email ? { EMAIL: [{ VALUE: lead.email, VALUE_TYPE: 'WORK' }] } : {}),
        ...(lead.phone ? { PHONE: [{ VALUE: lead.phone, VALUE_TYPE: 'WORK' }] } : {}),
        ORIGINATOR_ID,
        ORIGIN_ID: crmLead.idempotencyKey,
      };
      const id = await call<number | string>('crm.lead.add', { fields, params: { REGISTER_SONET_EVENT: 'Y' } });
      return String(id);
    },

    async update(externalId, crmLead) {
      const { email, phone } = crmLead.lead;
      // A multifield value without its ID is added, not replaced: send only what the lead lacks,
      // and never remove what the seller may have entered.
      const current = email || phone ? await call<LeadRecord>('crm.lead.get', { id: Number(externalId) }) : undefined;
      const fields = {
        ...leadFields(crmLead),
        ...(email && !has(current?.EMAIL, email, (value) => value.toLowerCase()) ? { EMAIL: [{ VALUE: email, VALUE_TYPE: 'WORK' }] } : {}),
        ...(phone && !has(current?.PHONE, phone, (value) => value.replace(/\D/g, '')) ? { PHONE: [{ VALUE: phone, VALUE_TYPE: 'WORK' }] } : {}),
      };
      await call('crm.lead.update', { id: Number(externalId), fields });
    },

    async addNote(externalId, note) {
      await call('crm.timeline.comment.add', { fields: { ENTITY_ID: Number(externalId), ENTITY_TYPE: 'lead', COMMENT: note.text } });
      if (note.followUp) {
        await call('crm.activity.todo.add', {
          ownerTypeId: LEAD_TYPE_ID,
          ownerId: Number(externalId),
          deadline: note.followUp.dueAt,
          title: note.followUp.title,
          description: note.text,
        });
      }
    },
  };
}

/** The fields create and update share; unknown details are left out so as not to blank the seller's. */
function leadFields({ lead }: CrmLead): Record<string, unknown> {
  const name = lead.name?.trim();
  const space = name?.indexOf(' ') ?? -1;
  const who = name || lead.phone || lead.email || 'Concierge lead';
  return {
    TITLE: lead.interests.length > 0 ? `${who} — ${lead.interests.join(', ')}` : who,
    ...(name ? (space > 0 ? { NAME: name.slice(0, space), LAST_NAME: name.slice(space + 1).trim() } : { NAME: name }) : {}),
    ...(lead.company ? { COMPANY_TITLE: lead.company } : {}),
    ...(lead.needs ? { COMMENTS: lead.needs } : {}),
    ...(lead.budget !== null ? { OPPORTUNITY: lead.budget } : {}),
    STATUS_ID: STATUS_BY_STAGE[lead.stage],
    SOURCE_ID: 'OTHER',
    SOURCE_DESCRIPTION: `Concierge assistant, ${CHANNEL_NAMES[lead.channel as Channel] ?? lead.channel}`,
  };
}

function has(values: Multifield[] | undefined, wanted: string, normal: (value: string) => string): boolean {
  return (values ?? []).some((field) => normal(String(field.VALUE)) === normal(wanted));
}

/**
 * One REST method, POSTed as JSON to `<webhook URL><method>`. `callProvider` classifies HTTP
 * refusals; Bitrix24 also answers some errors with a 200 and `{ error, error_description }` (the
 * code may be empty), which no retry fixes unless it is the rate limit. Shared with the calendar
 * adapter, whose failures are `Calendar…`.
 */
export async function callBitrix24<T>(restUrl: string, method: string, params: Record<string, unknown>, kind: 'Crm' | 'Calendar' = 'Crm'): Promise<T> {
  const what = `Bitrix24 ${method}`;
  const answer = await callProviderJson<{ result?: T; error?: unknown; error_description?: unknown }>({ what, kind, url: `${restUrl}${method}`, body: params });
  if (answer.error === undefined) return answer.result as T;
  const message = `${what} answered 200: ${`${String(answer.error)} ${String(answer.error_description ?? '')}`.trim()}`;
  // Its leaky bucket drains two requests a second.
  if (answer.error === 'QUERY_LIMIT_EXCEEDED') throw ApplicationFailure.create({ message, type: `${kind}RateLimited`, nextRetryDelay: '2s' });
  throw ApplicationFailure.nonRetryable(message, `${kind}Refused`);
}
