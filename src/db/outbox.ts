import type { ConversationRef } from '../domain/conversation';
import type { Pool } from './pool';

/**
 * `claimed`: this attempt may send. `sent`: an earlier attempt did. `in-flight`: another attempt
 * holds a fresh claim and may be sending right now.
 */
export type Claim = 'claimed' | 'sent' | 'in-flight';

/**
 * Claims the send of one message. A claim lives for `leaseMs` (longer than a send attempt may
 * take): after that its attempt is taken for dead and the message may be claimed again, which
 * sends a second copy only if that attempt died after the provider accepted the message and
 * before `markSent`.
 */
export async function claimSend(pool: Pool, key: string, ref: ConversationRef, text: string, leaseMs: number): Promise<Claim> {
  const { rowCount } = await pool.query(
    `INSERT INTO outbound_messages (idempotency_key, tenant_id, channel, contact_id, text, status)
     VALUES ($1, $2, $3, $4, $5, 'sending')
     ON CONFLICT (idempotency_key) DO UPDATE SET claimed_at = now()
       WHERE outbound_messages.status = 'sending'
         AND outbound_messages.claimed_at < now() - make_interval(secs => $6::double precision / 1000)`,
    [key, ref.tenantId, ref.channel, ref.contactId, text, leaseMs],
  );
  if (rowCount === 1) return 'claimed';
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM outbound_messages WHERE idempotency_key = $1', [key]);
  return rows[0]?.status === 'sent' ? 'sent' : 'in-flight';
}

export async function markSent(pool: Pool, key: string, providerMessageId: string | undefined): Promise<void> {
  await pool.query(
    `UPDATE outbound_messages SET status = 'sent', provider_message_id = $2, sent_at = now() WHERE idempotency_key = $1`,
    [key, providerMessageId ?? null],
  );
}
