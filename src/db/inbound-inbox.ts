import { z } from 'zod';
import { ConversationRefSchema, InboundMessageSchema } from '../domain/conversation';
import type { Pool } from './pool';

/** What a conversation is started or signalled with, kept until Temporal has it. */
export const InboxDeliverySchema = z.object({
  ref: ConversationRefSchema,
  message: InboundMessageSchema,
  channelQuietPeriodMs: z.number().int().nonnegative().optional(),
});
export type InboxDelivery = z.infer<typeof InboxDeliverySchema>;

export interface InboxRow {
  id: string;
  delivery: InboxDelivery;
  attempts: number;
}

/**
 * Keeps the message, leased to the caller for `leaseMs`. Undefined when the same provider
 * message is already waiting here (a redelivery while the first is on its way): nothing to do.
 */
export async function holdInboundMessage(pool: Pool, delivery: InboxDelivery, leaseMs: number): Promise<InboxRow | undefined> {
  // Named, so each connection plans it once: it is on the path of every webhook's answer.
  const { rows } = await pool.query<{ id: string }>({
    name: 'inbound-inbox-hold',
    text: `INSERT INTO inbound_inbox (tenant_id, channel, contact_id, message_id, delivery, leased_until)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision / 1000))
     ON CONFLICT (tenant_id, channel, contact_id, message_id) DO NOTHING
     RETURNING id`,
    values: [delivery.ref.tenantId, delivery.ref.channel, delivery.ref.contactId, delivery.message.id, JSON.stringify(delivery), leaseMs],
  });
  return rows[0] && { id: rows[0].id, delivery, attempts: 0 };
}

/** Rows whose lease ran out (their process died, or their last attempt failed), oldest first, leased to the caller. */
export async function claimDueInboundMessages(pool: Pool, limit: number, leaseMs: number): Promise<InboxRow[]> {
  const { rows } = await pool.query<{ id: string; delivery: unknown; attempts: number }>(
    `UPDATE inbound_inbox SET leased_until = now() + make_interval(secs => $2::double precision / 1000)
     WHERE id IN (SELECT id FROM inbound_inbox WHERE leased_until <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id, delivery, attempts`,
    [limit, leaseMs],
  );
  return rows.map((row) => ({ id: row.id, delivery: InboxDeliverySchema.parse(row.delivery), attempts: row.attempts }));
}

export async function removeInboundMessage(pool: Pool, id: string): Promise<void> {
  await pool.query({ name: 'inbound-inbox-remove', text: 'DELETE FROM inbound_inbox WHERE id = $1', values: [id] });
}

/** A failed attempt: the row may be tried again after `retryInMs`, by any process. */
export async function postponeInboundMessage(pool: Pool, id: string, retryInMs: number): Promise<void> {
  await pool.query(
    `UPDATE inbound_inbox SET attempts = attempts + 1, leased_until = now() + make_interval(secs => $2::double precision / 1000) WHERE id = $1`,
    [id, retryInMs],
  );
}
