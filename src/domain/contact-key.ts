import { createHmac } from 'node:crypto';
import { conversationWorkflowId, type ConversationRef } from './conversation';
import type { Tenant } from './tenant';

/**
 * Opaque contact keys: for a tenant with `opaqueContactKeys` on, Temporal (workflow ids, search
 * attributes, summaries, its logs) names a contact by a keyed hash of it instead of their phone.
 * The key is CONTACT_KEY_SECRET, the same in every process and never changed: another secret
 * gives other keys, and the conversations under the old ones are no longer found by contact.
 * Web chat sessions are random ids that say nothing of anyone: they stay as they are.
 */

/** 'k' and 26 base64url characters (156 bits of HMAC-SHA256): a valid contact id. */
export function contactKey(secret: string, { tenantId, channel, contactId }: ConversationRef): string {
  return `k${createHmac('sha256', secret).update(`${tenantId}\0${channel}\0${contactId}`).digest('base64url').slice(0, 26)}`;
}

export type ContactKeySetting = Pick<Tenant, 'opaqueContactKeys'> | undefined;

/** The contact as Temporal sees them: their key when the tenant has opaque keys, else as they are. */
export function temporalContactId(ref: ConversationRef, tenant: ContactKeySetting, secret: string | undefined): string {
  if (!tenant?.opaqueContactKeys || ref.channel === 'web') return ref.contactId;
  if (!secret) throw new Error(`tenant ${ref.tenantId} has opaque contact keys on, and CONTACT_KEY_SECRET is not set`);
  return contactKey(secret, ref);
}

/** The contact's conversation workflow id, keyed when the tenant has opaque keys. */
export function conversationIdFor(ref: ConversationRef, tenant: ContactKeySetting, secret: string | undefined): string {
  return conversationWorkflowId({ ...ref, contactId: temporalContactId(ref, tenant, secret) });
}
