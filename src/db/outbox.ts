import type { ConversationRef } from '../domain/conversation';
import type { Pool } from './pool';

/**
 * Claims a send: true if this key has not been sent yet (the caller sends, then `markSent`),
 * false if it already was. A claim left 'sending' by a crash is claimed again: the provider
 * call may have happened, but only a crash in that instant can make a second copy.
 */
export async function claimSend(pool: Pool, key: string, ref: ConversationRef, text: string): Promise<boolean> {
  const { rows } = await pool.query<{ status: string }>(
    `INSERT INTO outbound_messages (idempotency_key, tenant_id, channel, contact_id, text, status)
     VALUES ($1, $2, $3, $4, $5, 'sending')
     ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
     RETURNING status`,
    [key, ref.tenantId, ref.channel, ref.contactId, text],
  );
  return rows[0].status !== 'sent';
}

export async function markSent(pool: Pool, key: string, providerMessageId: string | undefined): Promise<void> {
  await pool.query(
    `UPDATE outbound_messages SET status = 'sent', provider_message_id = $2, sent_at = now() WHERE idempotency_key = $1`,
    [key, providerMessageId ?? null],
  );
}
