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
export async function claimSend(
  pool: Pool,
  key: string,
  ref: ConversationRef,
  message: { text: string; templateParameters?: string[] },
  leaseMs: number,
): Promise<Claim> {
  const { rowCount } = await pool.query(
    `INSERT INTO outbound_messages (idempotency_key, tenant_id, channel, contact_id, text, template_parameters, status)
     VALUES ($1, $2, $3, $4, $5, $7, 'sending')
     ON CONFLICT (idempotency_key) DO UPDATE SET claimed_at = now()
       WHERE outbound_messages.status = 'sending'
         AND outbound_messages.claimed_at < now() - make_interval(secs => $6::double precision / 1000)`,
    [key, ref.tenantId, ref.channel, ref.contactId, message.text, leaseMs, message.templateParameters ? JSON.stringify(message.templateParameters) : null],
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

/** A message we sent, found by the provider's id for it (a failure report names only that). */
export async function findSentMessage(
  pool: Pool,
  ref: ConversationRef,
  providerMessageId: string,
): Promise<{ idempotencyKey: string; text: string; templateParameters?: string[] } | undefined> {
  const { rows } = await pool.query<{ idempotency_key: string; text: string; template_parameters: string[] | null }>(
    `SELECT idempotency_key, text, template_parameters FROM outbound_messages
     WHERE channel = $1 AND provider_message_id = $2 AND tenant_id = $3 AND contact_id = $4`,
    [ref.channel, providerMessageId, ref.tenantId, ref.contactId],
  );
  const row = rows[0];
  return row && { idempotencyKey: row.idempotency_key, text: row.text, templateParameters: row.template_parameters ?? undefined };
}
