import type { CrmAdapter, CrmSettings } from '../crm/adapter';
import { crmAdapter, leadForCrm } from '../crm';
import { listUpcomingBookings } from '../db/bookings';
import { searchServices } from '../db/catalogue';
import { DEMO_TENANT } from '../db/demo-tenant';
import {
  claimFollowUp, findLead, findLeadById, findLeadByPhone, loadCrmConfig, markCrmNoteSent, recordCrmFailure, recordCrmId,
  recordCrmSynced, recordLeadNote, saveLeadDetails, setLeadStanding, unsentCrmNotes, type CrmConfig, type LeadActor,
} from '../db/leads';
import type { Pool } from '../db/pool';
import { findTenant } from '../db/tenants';
import { conversationIdFor } from '../domain/contact-key';
import type { ConversationRef, ToolUse } from '../domain/conversation';
import { detectLanguage } from '../domain/offline-model/language';
import { turnOutcome } from '../domain/turn-outcome';
import { HOT_SCORE, leadScore, leadStage, leadSummary, type Lead, type LeadDetails, type QualificationRules } from '../domain/leads';
import type { ToolArgs } from '../domain/tools';
import type { LeadSyncInput } from '../workflows/lead-sync-definitions';
import { withHeartbeat } from './heartbeat';
import { countedTool, type ToolAnswer, type ToolInput } from './tools';
import { USAGE_METRICS } from '../domain/usage-metrics';
import { eventCounter, recordUsage } from './usage';

/** A hot lead's seller is asked to follow up within a day. */
const FOLLOW_UP_AFTER_MS = 24 * 60 * 60 * 1000;

/** A turn as the lead's observer reads it: what the customer said, which tools ran. */
export interface ObservedTurn {
  ref: ConversationRef;
  customerText: string;
  tools: ToolUse[];
}

export interface LeadDeps {
  pool: Pool;
  /** Wakes (or starts) the lead's CRM sync workflow: `requestLeadSync` in the worker. */
  syncLead: (lead: LeadSyncInput) => Promise<void>;
  /** The demo tenant's CRM, from env; other tenants keep theirs in PostgreSQL. */
  demoCrm?: CrmSettings;
  /** CONTACT_KEY_SECRET: names the lead's conversation for tenants with opaque contact keys. */
  contactKeySecret?: string;
}

/** What the assistant's lead tools answer: the lead as the model may speak of it. */
export interface LeadView {
  name: string | null;
  email: string | null;
  stage: Lead['stage'];
  score: number;
  interests: string[];
  /** Details the tenant's rules want that the customer has not given. */
  missing: string[];
}

/**
 * Keeps what was learnt of a contact on their lead (made if they had none), re-scores it, and
 * has the CRM hear of any change. Used by the lead tools and by bookings: the stage follows the
 * contact's appointments. A lead with nothing to reach its person by stays local.
 */
export async function updateLead(deps: LeadDeps, ref: ConversationRef, details: LeadDetails, actor: LeadActor): Promise<{ lead: Lead; rules: QualificationRules }> {
  const { rules } = await crmConfigOf(deps, ref.tenantId);
  const saved = await saveLeadDetails(deps.pool, ref, { phone: channelPhone(ref), ...details }, {
    actor,
    conversationId: conversationIdFor(ref, await findTenant(deps.pool, ref.tenantId), deps.contactKeySecret),
  });
  const { lead, changed } = await recognised(deps.pool, ref, saved);
  const hasAppointment = (await listUpcomingBookings(deps.pool, ref, new Date())).length > 0;
  const standing = { score: leadScore(lead, rules), stage: leadStage(lead, rules, hasAppointment) };
  const moved = await setLeadStanding(deps.pool, lead, standing, actor);
  const reachable = lead.name || lead.email || lead.phone;
  if ((changed.length > 0 || moved) && reachable) await deps.syncLead({ tenantId: ref.tenantId, leadId: lead.id });
  return { lead: { ...lead, ...standing }, rules };
}

/**
 * A new lead of a contact whose channel proves their phone (WhatsApp) may be a person the business
 * knows from another channel, who gave that phone there: what that lead knows and this one does
 * not is taken over, and the CRM record is shared, so the CRM gets no second lead for one person.
 * A phone or e-mail merely typed proves nothing: matching on it would tell a stranger someone's
 * name, or let them edit that person's CRM record.
 */
async function recognised(pool: Pool, ref: ConversationRef, saved: { lead: Lead; changed: string[] }): Promise<{ lead: Lead; changed: string[] }> {
  const phone = channelPhone(ref);
  if (!phone || !saved.changed.includes('created')) return saved;
  const known = await findLeadByPhone(pool, ref.tenantId, phone, saved.lead.id);
  if (!known) return saved;
  const { lead } = saved;
  if (known.crmExternalId) await recordCrmId(pool, lead.id, known.crmExternalId);
  const missing = {
    ...(lead.name ? {} : known.name ? { name: known.name } : {}),
    ...(lead.email ? {} : known.email ? { email: known.email } : {}),
    ...(lead.company ? {} : known.company ? { company: known.company } : {}),
    interests: known.interests,
  };
  const merged = await saveLeadDetails(pool, ref, missing, { actor: 'identity', conversationId: lead.conversationId ?? '' });
  return { lead: merged.lead, changed: [...saved.changed, ...merged.changed] };
}

// WhatsApp and its gateways name a contact by their phone number: the lead has it without asking.
const PHONE_CHANNELS = new Set(['whatsapp', 'evolution', 'gupshup']);
export function channelPhone(ref: ConversationRef): string | undefined {
  return PHONE_CHANNELS.has(ref.channel) && /^\d{6,15}$/.test(ref.contactId) ? `+${ref.contactId}` : undefined;
}

async function crmConfigOf(deps: LeadDeps, tenantId: string): Promise<CrmConfig> {
  const stored = await loadCrmConfig(deps.pool, tenantId);
  return tenantId === DEMO_TENANT.id && deps.demoCrm ? { ...stored, settings: deps.demoCrm } : stored;
}

async function catalogueName(pool: Pool, tenantId: string, said: string): Promise<string> {
  const [best] = await searchServices(pool, tenantId, said);
  return best?.name ?? said;
}

function view(lead: Lead, rules: QualificationRules): LeadView {
  const has = { name: lead.name, email: lead.email, phone: lead.phone, company: lead.company, contact: lead.email ?? lead.phone };
  const missing = rules.requiredFields.filter((field) => !has[field]).map((field) => (field === 'contact' ? 'email or phone' : field));
  return { name: lead.name, email: lead.email, stage: lead.stage, score: lead.score, interests: lead.interests, missing };
}

export function createLeadActivities(deps: LeadDeps) {
  return {
    saveLeadDetailsTool: countedTool(
      deps,
      'save_lead_details',
      async (_deps, { ref, args }: ToolInput<ToolArgs<'save_lead_details'>>): Promise<ToolAnswer<{ lead: LeadView }>> => {
        // "la depilación", "laser": kept as the catalogue names the service, for the sales team.
        const interests = args.interests && (await Promise.all(args.interests.map((interest) => catalogueName(deps.pool, ref.tenantId, interest))));
        const { lead, rules } = await updateLead(deps, ref, { ...args, ...(interests ? { interests } : {}) }, 'assistant');
        return { outcome: 'ok', content: { lead: view(lead, rules) }, effects: { lead: leadSummary(lead) } };
      },
    ),
    qualifyLeadTool: countedTool(
      deps,
      'qualify_lead',
      async (_deps, { ref }: ToolInput<ToolArgs<'qualify_lead'>>): Promise<ToolAnswer<{ lead: LeadView }>> => {
        const { lead, rules } = await updateLead(deps, ref, {}, 'assistant');
        return { outcome: 'ok', content: { lead: view(lead, rules) }, effects: { lead: leadSummary(lead) } };
      },
    ),
    lookupLeadTool: countedTool(
      deps,
      'lookup_lead',
      async (_deps, { ref }: ToolInput<ToolArgs<'lookup_lead'>>): Promise<ToolAnswer<{ lead: LeadView | null }>> => {
        const lead = await findLead(deps.pool, ref);
        if (!lead) return { outcome: 'ok', content: { lead: null } };
        const { rules } = await crmConfigOf(deps, ref.tenantId);
        return { outcome: 'ok', content: { lead: view(lead, rules) } };
      },
    ),

    async pushLeadToCrm(input: LeadSyncInput): Promise<void> {
      try {
        await withHeartbeat(() => pushLead(deps, input));
      } catch (error) {
        // Every failed attempt: a CRM that is down shows as a rising count while the sync retries.
        await recordUsage(deps.pool, [eventCounter(USAGE_METRICS.errors, input.tenantId, { kind: 'crm_push' })]);
        throw error;
      }
    },

    /**
     * After a turn was answered: its outcome goes on the contact's lead (if they have one) and,
     * through the lead's sync, on the CRM's timeline. Never creates a lead.
     */
    async observeTurn({ ref, customerText, tools }: ObservedTurn): Promise<void> {
      const lead = await findLead(deps.pool, ref);
      if (!lead) return;
      const tenant = await findTenant(deps.pool, ref.tenantId);
      const language = detectLanguage(customerText) ?? tenant?.language ?? 'es';
      await recordLeadNote(deps.pool, lead.id, turnOutcome({ customerText, tools, language }));
      if (lead.name || lead.email || lead.phone) await deps.syncLead({ tenantId: ref.tenantId, leadId: lead.id });
    },

    async recordLeadPushFailure({ leadId, error }: LeadSyncInput & { error: string }): Promise<void> {
      await recordCrmFailure(deps.pool, leadId, error);
    },
  };
}

/**
 * Pushes the lead as it stands. The CRM's id is stored the moment it is known; without one, the
 * CRM is searched first (by our idempotency key, then its duplicate check), so that a push retried
 * after a crash between the CRM's answer and ours updates the lead it made.
 */
async function pushLead(deps: LeadDeps, { tenantId, leadId }: LeadSyncInput): Promise<void> {
  const pushedAt = new Date();
  const [lead, config, tenant] = await Promise.all([findLeadById(deps.pool, tenantId, leadId), crmConfigOf(deps, tenantId), findTenant(deps.pool, tenantId)]);
  if (!lead || !tenant) return; // deleted since: nothing to push
  const adapter = crmAdapter(config.settings);
  if (adapter) {
    const crmLead = leadForCrm(lead, tenant.name);
    let externalId = lead.crmExternalId ?? (await adapter.find(crmLead));
    if (externalId) {
      if (!lead.crmExternalId) await recordCrmId(deps.pool, lead.id, externalId);
      await adapter.update(externalId, crmLead);
    } else {
      externalId = await adapter.create(crmLead);
      await recordCrmId(deps.pool, lead.id, externalId);
    }
    if (adapter.addNote) await pushNotes(deps.pool, lead, externalId, adapter.addNote.bind(adapter));
  }
  await recordCrmSynced(deps.pool, lead.id, pushedAt);
  if (adapter) await recordUsage(deps.pool, [eventCounter(USAGE_METRICS.leadsPushed, tenantId, { crm: config.settings.provider })]);
}

/**
 * The turn notes the CRM has not had, each marked once sent (a crash between the two repeats
 * one note, never loses it); the first note of a hot lead carries its seller's follow-up task.
 */
async function pushNotes(pool: Pool, lead: Lead, externalId: string, addNote: NonNullable<CrmAdapter['addNote']>): Promise<void> {
  for (const { id, note } of await unsentCrmNotes(pool, lead.id)) {
    const text = `${note.summary}\n${note.intent} · ${note.sentiment} · ${note.nextStep}`;
    const followUp =
      lead.score >= HOT_SCORE && (await claimFollowUp(pool, lead.id))
        ? { title: `Follow up: ${lead.name ?? lead.email ?? lead.phone}`, dueAt: new Date(Date.now() + FOLLOW_UP_AFTER_MS).toISOString() }
        : undefined;
    await addNote(externalId, { text, ...(followUp ? { followUp } : {}) });
    await markCrmNoteSent(pool, id);
  }
}
