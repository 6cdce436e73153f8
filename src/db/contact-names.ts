import type { ConversationRef } from '../domain/conversation';
import type { Pool } from './pool';

/** A contact's key in the map contactNames answers. */
export const contactKey = ({ tenantId, channel, contactId }: ConversationRef) => `${tenantId}\u0000${channel}\u0000${contactId}`;

/**
 * What staff call each contact, in one round trip: their lead's name, else the name their channel
 * gave (kept from earlier sessions). Contacts with neither are absent.
 */
export async function contactNames(pool: Pool, refs: readonly ConversationRef[]): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const { rows } = await pool.query<{ tenant_id: string; channel: string; contact_id: string; name: string }>(
    `SELECT r.tenant_id, r.channel, r.contact_id, COALESCE(l.name, c.display_name) AS name
     FROM jsonb_to_recordset($1::jsonb) AS r(tenant_id text, channel text, contact_id text)
     LEFT JOIN leads l ON l.tenant_id = r.tenant_id AND l.channel = r.channel AND l.contact_id = r.contact_id AND l.deleted_at IS NULL
     LEFT JOIN contacts c ON c.tenant_id = r.tenant_id AND c.channel = r.channel AND c.contact_id = r.contact_id
     WHERE COALESCE(l.name, c.display_name) IS NOT NULL`,
    [JSON.stringify(refs.map((ref) => ({ tenant_id: ref.tenantId, channel: ref.channel, contact_id: ref.contactId })))],
  );
  return new Map(rows.map((row) => [contactKey({ tenantId: row.tenant_id, channel: row.channel as ConversationRef['channel'], contactId: row.contact_id }), row.name]));
}
