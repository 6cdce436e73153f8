import { createHash } from 'node:crypto';
import type { Lead } from '../domain/leads';
import { callProvider } from '../provider-http';
import { hmacSha256Hex } from '../secrets';
import type { CrmAdapter, CrmNote, CrmSettings } from './adapter';

/**
 * The generic webhook, for CRMs we have no adapter for. What a receiver codes against:
 *
 * Every push is one `POST <baseUrl>` with the headers
 *   content-type: application/json
 *   Idempotency-Key: <key>             the same key for the same push: a receiver keeps the first
 *                                      answer per key and answers a repeat with it
 *   X-Concierge-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the webhook secret>
 * and the JSON body
 *   {
 *     "event": "lead.created" | "lead.updated" | "lead.note",
 *     "idempotencyKey": "<key>",        as in the header
 *     "externalId": "<id>",             lead.updated and lead.note: the id the receiver answered lead.created with
 *     "lead": {                         lead.created and lead.updated
 *       "id", "name", "email", "phone", "company", "interests": [], "needs", "budget", "score",
 *       "stage": "new" | "qualified" | "appointment_booked" | "won" | "lost",
 *       "channel", "conversationId", "createdAt", "updatedAt"      (unknown details are null; dates ISO 8601)
 *     },
 *     "note": { "text", "followUp"?: { "title", "dueAt" } }        lead.note
 *   }
 * The keys: lead.created `concierge-lead-<lead id>`; lead.updated `<that>:<updatedAt in ms>`;
 * lead.note `<externalId>:note:<first 16 hex of the SHA-256 of the note text>`.
 * A 2xx is success; lead.created may answer `{ "id": "<receiver's id>" }`. A 4xx is not retried; a 5xx is.
 */
export function createWebhookCrm(settings: CrmSettings): CrmAdapter {
  const { baseUrl, webhookSecret } = settings;
  if (!baseUrl || !webhookSecret) throw new Error('The webhook CRM needs baseUrl and webhookSecret');

  const push = async (event: string, idempotencyKey: string, payload: Record<string, unknown>): Promise<Response> => {
    const body = JSON.stringify({ event, idempotencyKey, ...payload });
    return callProvider({
      what: `CRM webhook ${event}`,
      kind: 'Crm',
      url: baseUrl,
      body,
      headers: {
        'content-type': 'application/json',
        'Idempotency-Key': idempotencyKey,
        'X-Concierge-Signature': `sha256=${hmacSha256Hex(webhookSecret, body)}`,
      },
    });
  };

  return {
    provider: 'webhook',

    // The receiver deduplicates by Idempotency-Key: a repeated create is answered like the first.
    find: async () => undefined,

    async create({ lead, idempotencyKey }) {
      const response = await push('lead.created', idempotencyKey, { lead: leadPayload(lead) });
      return receiverId(await response.text()) ?? idempotencyKey;
    },

    async update(externalId, { lead, idempotencyKey }) {
      await push('lead.updated', `${idempotencyKey}:${lead.updatedAt.getTime()}`, { externalId, lead: leadPayload(lead) });
    },

    async addNote(externalId, note: CrmNote) {
      const digest = createHash('sha256').update(note.text).digest('hex').slice(0, 16);
      await push('lead.note', `${externalId}:note:${digest}`, { externalId, note });
    },
  };
}

function leadPayload(lead: Lead) {
  const { id, name, email, phone, company, interests, needs, budget, score, stage, channel, conversationId } = lead;
  return { id, name, email, phone, company, interests, needs, budget, score, stage, channel, conversationId, createdAt: lead.createdAt.toISOString(), updatedAt: lead.updatedAt.toISOString() };
}

/** `{ id }` from a JSON answer; any other answer (empty, text) leaves the lead known by our key. */
function receiverId(text: string): string | undefined {
  try {
    const id: unknown = (JSON.parse(text) as { id?: unknown } | null)?.id;
    return (typeof id === 'string' && id !== '') || typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}
