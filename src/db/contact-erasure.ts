import type { ConversationRef } from '../domain/conversation';
import type { PoolClient } from 'pg';
import type { Pool } from './pool';
import { inTransaction } from './transaction';

/** What a contact's rows name in Temporal: read before the rows are erased, to end those workflows too. */
export interface ContactTraces {
  bookingIds: string[];
  leadIds: string[];
  /** Provider ids of messages sent to the contact: a refused one may have a template-resend workflow. */
  providerMessageIds: string[];
}

const OF_CONTACT = 'tenant_id = $1 AND channel = $2 AND contact_id = $3';
const contactParams = (ref: ConversationRef) => [ref.tenantId, ref.channel, ref.contactId];

export async function findContactTraces(pool: Pool, ref: ConversationRef): Promise<ContactTraces> {
  const params = contactParams(ref);
  const [bookings, leads, sent] = await Promise.all([
    pool.query<{ id: string }>(`SELECT id::text FROM bookings WHERE ${OF_CONTACT}`, params),
    pool.query<{ id: string }>(`SELECT id::text FROM leads WHERE ${OF_CONTACT}`, params),
    pool.query<{ id: string }>(`SELECT provider_message_id AS id FROM outbound_messages WHERE ${OF_CONTACT} AND provider_message_id IS NOT NULL`, params),
  ]);
  const ids = (result: { rows: { id: string }[] }) => result.rows.map((row) => row.id);
  return { bookingIds: ids(bookings), leadIds: ids(leads), providerMessageIds: ids(sent) };
}

/** Rows erased, by what they were; bookings are kept without their person (see eraseContact). */
export interface ErasedRows {
  contacts: number;
  conversationSessions: number;
  conversationMessages: number;
  outboundMessages: number;
  /** Messages of theirs acknowledged to the provider but not yet handed to their conversation. */
  inboundMessages: number;
  staffNotifications: number;
  leads: number;
  leadEvents: number;
  bookingsAnonymised: number;
  bookingsCancelled: number;
  /** Other contacts' leads that had the erased contact's phone (given in a web chat, say). */
  phonesRemoved: number;
}

/**
 * Erases everything kept of a contact, in one transaction: their memory (contacts), sessions and
 * archived transcripts, the messages sent to them and those of theirs not yet delivered, staff notices of their conversation, their
 * leads (soft-deleted ones too) and the leads' trails. Bookings stay, because the business's
 * books and the resource's past days need them, but with no one in them: contact and name go,
 * and so does the idempotency key (it holds the conversation's workflow id, so the phone).
 * Bookings not yet over are cancelled: with no one to remind or to come, a kept one would only
 * block the slot, and the appointment reconciler would start reminding a placeholder.
 * The phone the contact's channel proves (`provenPhone`) is also taken off other contacts' leads
 * and their trails: left there, it would recognise the person again by name when they next write.
 * `conversationIds`: the conversation's workflow ids (keyed and not, for opaque contact keys).
 */
export async function eraseContact(pool: Pool, ref: ConversationRef, provenPhone: string | undefined, conversationIds: readonly string[]): Promise<ErasedRows> {
  const params = contactParams(ref);
  return inTransaction(pool, async (client) => {
    const count = async (sql: string, values: unknown[] = params) => (await client.query(sql, values)).rowCount ?? 0;
    const leadEvents = await count(`DELETE FROM lead_events WHERE lead_id IN (SELECT id FROM leads WHERE ${OF_CONTACT})`);
    const leads = await count(`DELETE FROM leads WHERE ${OF_CONTACT}`);
    const phonesRemoved = provenPhone ? await removePhone(client, ref.tenantId, provenPhone) : 0;
    const conversationMessages = await count(
      `DELETE FROM conversation_messages WHERE session_id IN (SELECT session_id FROM conversation_sessions WHERE ${OF_CONTACT})`,
    );
    const conversationSessions = await count(`DELETE FROM conversation_sessions WHERE ${OF_CONTACT}`);
    const contacts = await count(`DELETE FROM contacts WHERE ${OF_CONTACT}`);
    const outboundMessages = await count(`DELETE FROM outbound_messages WHERE ${OF_CONTACT}`);
    const inboundMessages = await count(`DELETE FROM inbound_inbox WHERE ${OF_CONTACT}`);
    const staffNotifications = await count('DELETE FROM staff_notifications WHERE tenant_id = $1 AND workflow_id = ANY($2::text[])', [
      ref.tenantId,
      conversationIds,
    ]);
    const { rows: bookings } = await client.query<{ cancelled: boolean }>(
      `WITH erased AS (
         SELECT id, status <> 'cancelled' AND ends_at > now() AS cancelled FROM bookings WHERE ${OF_CONTACT} FOR UPDATE)
       UPDATE bookings b SET contact_id = 'erased-' || b.id, customer_name = NULL, idempotency_key = 'erased:' || b.id,
         status = CASE WHEN erased.cancelled THEN 'cancelled' ELSE b.status END, updated_at = now()
       FROM erased WHERE b.id = erased.id RETURNING erased.cancelled`,
      params,
    );
    return {
      contacts,
      conversationSessions,
      conversationMessages,
      outboundMessages,
      inboundMessages,
      staffNotifications,
      leads,
      leadEvents,
      bookingsAnonymised: bookings.length,
      bookingsCancelled: bookings.filter((booking) => booking.cancelled).length,
      phonesRemoved,
    };
  });
}

async function removePhone(client: PoolClient, tenantId: string, phone: string): Promise<number> {
  const { rows } = await client.query<{ id: string }>(
    'UPDATE leads SET phone = NULL, updated_at = now() WHERE tenant_id = $1 AND phone = $2 RETURNING id',
    [tenantId, phone],
  );
  const ids = rows.map((row) => row.id);
  await client.query(`UPDATE lead_events SET change = change - 'phone' WHERE lead_id = ANY($1::uuid[]) AND change ->> 'phone' = $2`, [ids, phone]);
  return ids.length;
}
