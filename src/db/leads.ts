import { z } from 'zod';
import { CrmSettingsSchema, type CrmSettings } from '../crm/adapter';
import type { ConversationRef } from '../domain/conversation';
import { LeadSchema, QualificationRulesSchema, type Lead, type LeadDetails, type LeadStage, type QualificationRules } from '../domain/leads';
import type { TurnOutcome } from '../domain/turn-outcome';
import type { Pool } from './pool';
import { inTransaction } from './transaction';

const LEAD_COLUMNS = `id, tenant_id AS "tenantId", channel, contact_id AS "contactId", name, email, phone, company, interests, needs,
  budget::float8 AS budget, score, stage, conversation_id AS "conversationId", crm_external_id AS "crmExternalId",
  crm_status AS "crmStatus", crm_error AS "crmError", created_at AS "createdAt", updated_at AS "updatedAt"`;
const LIVE = 'deleted_at IS NULL';

const toLead = (row: unknown) => LeadSchema.parse(row);

/** Who changed a lead, for its audit trail. */
export type LeadActor = 'assistant' | 'booking' | 'staff' | 'crm' | 'identity';

export async function findLead(pool: Pool, ref: ConversationRef): Promise<Lead | undefined> {
  const { rows } = await pool.query(
    `SELECT ${LEAD_COLUMNS} FROM leads WHERE tenant_id = $1 AND channel = $2 AND contact_id = $3 AND ${LIVE}`,
    [ref.tenantId, ref.channel, ref.contactId],
  );
  return rows[0] && toLead(rows[0]);
}

/** The lead of this tenant with that id; another tenant's id finds nothing. */
export async function findLeadById(pool: Pool, tenantId: string, id: string): Promise<Lead | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  const { rows } = await pool.query(`SELECT ${LEAD_COLUMNS} FROM leads WHERE tenant_id = $1 AND id = $2 AND ${LIVE}`, [tenantId, id]);
  return rows[0] && toLead(rows[0]);
}

/**
 * Another contact's lead of the tenant with this phone: the same person on another channel (a web
 * chat, then WhatsApp). Of several, the first that had a name: one typed in later by someone else
 * does not replace it.
 */
export async function findLeadByPhone(pool: Pool, tenantId: string, phone: string | undefined, except?: string): Promise<Lead | undefined> {
  if (!phone) return undefined;
  const { rows } = await pool.query(
    `SELECT ${LEAD_COLUMNS} FROM leads WHERE tenant_id = $1 AND ${LIVE} AND phone = $2 AND id IS DISTINCT FROM $3::uuid
     ORDER BY name IS NOT NULL DESC, created_at LIMIT 1`,
    [tenantId, phone, except ?? null],
  );
  return rows[0] && toLead(rows[0]);
}

/**
 * What the customer told about themselves, kept on their lead (made if they had none): each
 * detail said replaces the last, interests add up. Returns the lead as it now stands and the
 * fields that changed; the change goes to the audit trail, and the CRM is to hear of it.
 */
export async function saveLeadDetails(
  pool: Pool,
  ref: ConversationRef,
  details: LeadDetails,
  { actor, conversationId }: { actor: LeadActor; conversationId: string },
): Promise<{ lead: Lead; changed: string[] }> {
  return inTransaction(pool, async (client) => {
    const inserted = await client.query(
      `INSERT INTO leads (tenant_id, channel, contact_id, conversation_id, phone) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, channel, contact_id) WHERE ${LIVE} DO NOTHING RETURNING id`,
      [ref.tenantId, ref.channel, ref.contactId, conversationId, details.phone ?? null],
    );
    const { rows } = await client.query(
      `SELECT ${LEAD_COLUMNS} FROM leads WHERE tenant_id = $1 AND channel = $2 AND contact_id = $3 AND ${LIVE} FOR UPDATE`,
      [ref.tenantId, ref.channel, ref.contactId],
    );
    const before = toLead(rows[0]);
    const after = merged(before, details);
    const fields = (['name', 'email', 'phone', 'company', 'interests', 'needs', 'budget'] as const).filter(
      (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
    );
    const changed: string[] = inserted.rowCount === 1 ? ['created', ...fields] : [...fields];
    let lead = before;
    if (changed.length > 0) {
      const updated = await client.query(
        `UPDATE leads SET name = $2, email = $3, phone = $4, company = $5, interests = $6, needs = $7, budget = $8,
                conversation_id = $9, crm_status = CASE WHEN crm_status = 'failed' THEN crm_status ELSE 'pending' END, updated_at = now()
         WHERE id = $1 RETURNING ${LEAD_COLUMNS}`,
        [before.id, after.name, after.email, after.phone, after.company, after.interests, after.needs, after.budget, conversationId],
      );
      lead = toLead(updated.rows[0]);
      await insertEvent(client, lead.id, actor, inserted.rowCount === 1 ? 'created' : 'details', Object.fromEntries(fields.map((field) => [field, lead[field]])));
      if (after.name && after.name !== before.name) {
        await client.query(
          `INSERT INTO contacts (tenant_id, channel, contact_id, display_name) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, channel, contact_id) DO UPDATE SET display_name = EXCLUDED.display_name, updated_at = now()`,
          [ref.tenantId, ref.channel, ref.contactId, after.name],
        );
      }
    }
    return { lead, changed };
  });
}

function merged(lead: Lead, details: LeadDetails): Pick<Lead, 'name' | 'email' | 'phone' | 'company' | 'interests' | 'needs' | 'budget'> {
  const interests = [...lead.interests];
  for (const interest of details.interests ?? []) {
    if (!interests.some((known) => known.toLowerCase() === interest.toLowerCase())) interests.push(interest);
  }
  return {
    name: details.name ?? lead.name,
    email: details.email?.toLowerCase() ?? lead.email,
    phone: details.phone ?? lead.phone,
    company: details.company ?? lead.company,
    interests,
    needs: details.needs ?? lead.needs,
    budget: details.budget ?? lead.budget,
  };
}

/** Sets the lead's score and stage; returns whether either changed (the CRM is then to hear of it). */
export async function setLeadStanding(pool: Pool, lead: Lead, standing: { score: number; stage: LeadStage }, actor: LeadActor): Promise<boolean> {
  if (lead.score === standing.score && lead.stage === standing.stage) return false;
  const { rowCount } = await pool.query(
    `UPDATE leads SET score = $2, stage = $3, crm_status = CASE WHEN crm_status = 'failed' THEN crm_status ELSE 'pending' END, updated_at = now()
     WHERE id = $1 AND (score, stage) IS DISTINCT FROM ($2, $3)`,
    [lead.id, standing.score, standing.stage],
  );
  if (rowCount === 1) await insertEvent(pool, lead.id, actor, 'standing', { score: standing.score, stage: standing.stage });
  return rowCount === 1;
}

/**
 * The CRM's id, kept the moment it is known (a retried push then finds it and updates), or the
 * record another lead of the same person has. Never replaces one already kept.
 */
export async function recordCrmId(pool: Pool, leadId: string, externalId: string): Promise<void> {
  await pool.query('UPDATE leads SET crm_external_id = $2 WHERE id = $1 AND crm_external_id IS NULL', [leadId, externalId]);
}

/** Pushed: the CRM has the lead as it stood at `pushedAt`; a change since keeps it pending. */
export async function recordCrmSynced(pool: Pool, leadId: string, pushedAt: Date): Promise<void> {
  await pool.query(
    `UPDATE leads SET crm_status = CASE WHEN updated_at <= $2 THEN 'synced' ELSE crm_status END, crm_error = NULL, crm_synced_at = now()
     WHERE id = $1`,
    [leadId, pushedAt],
  );
}

/** The CRM refused the lead: staff see why in /admin/leads until a push succeeds. */
export async function recordCrmFailure(pool: Pool, leadId: string, error: string): Promise<void> {
  await pool.query(`UPDATE leads SET crm_status = 'failed', crm_error = $2 WHERE id = $1`, [leadId, error.slice(0, 1000)]);
  await insertEvent(pool, leadId, 'crm', 'push_failed', { error: error.slice(0, 1000) });
}

/** A push asked for again (after the CRM's settings were fixed): the lead is pending once more. */
export async function markCrmPending(pool: Pool, leadId: string): Promise<void> {
  await pool.query(`UPDATE leads SET crm_status = 'pending', crm_error = NULL WHERE id = $1`, [leadId]);
}

/** A turn's outcome, for the lead's trail and the CRM's timeline. */
export async function recordLeadNote(pool: Pool, leadId: string, note: TurnOutcome): Promise<void> {
  await insertEvent(pool, leadId, 'assistant', 'note', { ...note });
}

/** The notes the CRM has not had yet, oldest first. */
export async function unsentCrmNotes(pool: Pool, leadId: string): Promise<{ id: string; note: TurnOutcome }[]> {
  const { rows } = await pool.query(
    `SELECT id::text, change AS note FROM lead_events WHERE lead_id = $1 AND kind = 'note' AND crm_sent_at IS NULL ORDER BY id`,
    [leadId],
  );
  return rows;
}

export async function markCrmNoteSent(pool: Pool, eventId: string): Promise<void> {
  await pool.query('UPDATE lead_events SET crm_sent_at = now() WHERE id = $1', [eventId]);
}

/** Claims the lead's one follow-up task: true the first time only. */
export async function claimFollowUp(pool: Pool, leadId: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE leads SET follow_up_requested_at = now() WHERE id = $1 AND follow_up_requested_at IS NULL', [leadId]);
  return rowCount === 1;
}

async function insertEvent(db: Pick<Pool, 'query'>, leadId: string, actor: LeadActor, kind: string, change: Record<string, unknown>) {
  await db.query('INSERT INTO lead_events (lead_id, actor, kind, change) VALUES ($1, $2, $3, $4)', [leadId, actor, kind, change]);
}

export async function listLeads(pool: Pool, filter: { tenantId?: string; stage?: LeadStage; limit: number }): Promise<Lead[]> {
  const { rows } = await pool.query(
    `SELECT ${LEAD_COLUMNS} FROM leads
     WHERE ${LIVE} AND ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR stage = $2)
     ORDER BY updated_at DESC LIMIT $3`,
    [filter.tenantId ?? null, filter.stage ?? null, filter.limit],
  );
  return rows.map(toLead);
}

/** A tenant's CRM (none: the built-in one, PostgreSQL only) and its qualification rules. */
export interface CrmConfig {
  settings: CrmSettings;
  rules: QualificationRules;
}

export async function loadCrmConfig(pool: Pool, tenantId: string): Promise<CrmConfig> {
  const { rows } = await pool.query('SELECT provider, config, qualification FROM tenant_crm WHERE tenant_id = $1', [tenantId]);
  const row = rows[0];
  if (!row) return { settings: { provider: 'builtin' }, rules: QualificationRulesSchema.parse({}) };
  return { settings: CrmSettingsSchema.parse({ ...row.config, provider: row.provider }), rules: QualificationRulesSchema.parse(row.qualification) };
}

export async function saveCrmConfig(pool: Pool, tenantId: string, { settings, rules }: { settings: CrmSettings; rules?: Partial<QualificationRules> }): Promise<void> {
  const { provider, ...config } = CrmSettingsSchema.parse(settings);
  await pool.query(
    `INSERT INTO tenant_crm (tenant_id, provider, config, qualification) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id) DO UPDATE SET provider = EXCLUDED.provider, config = EXCLUDED.config, qualification = EXCLUDED.qualification, updated_at = now()`,
    [tenantId, provider, config, rules ?? {}],
  );
}
