import type { ConversationRef } from '../domain/conversation';
import type { Pool } from './pool';

/** Records "baja" (true) or "alta" (false) for the contact; returns whether anything changed. */
export async function setOptedOut(pool: Pool, ref: ConversationRef, optedOut: boolean): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO contacts (tenant_id, channel, contact_id, opted_out_at)
     VALUES ($1, $2, $3, CASE WHEN $4 THEN now() END)
     ON CONFLICT (tenant_id, channel, contact_id) DO UPDATE SET opted_out_at = EXCLUDED.opted_out_at, updated_at = now()
       WHERE (contacts.opted_out_at IS NOT NULL) <> $4`,
    [ref.tenantId, ref.channel, ref.contactId, optedOut],
  );
  return rowCount === 1;
}

export async function isOptedOut(pool: Pool, ref: ConversationRef): Promise<boolean> {
  const { rows } = await pool.query(
    'SELECT 1 FROM contacts WHERE tenant_id = $1 AND channel = $2 AND contact_id = $3 AND opted_out_at IS NOT NULL',
    [ref.tenantId, ref.channel, ref.contactId],
  );
  return rows.length > 0;
}

/** When the contact last wrote, as far as the archived transcripts tell; undefined if never. */
export async function lastInboundAt(pool: Pool, ref: ConversationRef): Promise<string | undefined> {
  const { rows } = await pool.query<{ at: Date | null }>(
    `SELECT max(m.at) AS at FROM conversation_messages m JOIN conversation_sessions s USING (session_id)
     WHERE s.tenant_id = $1 AND s.channel = $2 AND s.contact_id = $3 AND m.role = 'customer'`,
    [ref.tenantId, ref.channel, ref.contactId],
  );
  return rows[0]?.at?.toISOString();
}
