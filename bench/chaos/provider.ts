import { setTimeout as sleep } from 'node:timers/promises';
import { hmacSha256Hex } from '../../src/secrets';
import type { ChannelFakes } from './channels';

/**
 * The channel providers' side of the webhooks: one customer message as WhatsApp Cloud API or
 * Telegram Bot API sends it (formats of /work/shared/fixtures), signed, POSTed as the provider
 * does: an answer other than 200 (or none) is retried with backoff until it is accepted.
 */
export interface Inbound {
  channel: 'whatsapp' | 'telegram';
  /** The wa_id, or the Telegram chat id. */
  contact: string;
  name: string;
  /** Unique per message: the wamid's tail, or the update id. */
  sequence: number;
  text: string;
}

export interface SignedWebhook {
  /** The id Concierge keys the message by (and its transcript shows): the wamid, or `tg-<update_id>`. */
  messageId: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}

export function signedWebhook(message: Inbound, fakes: ChannelFakes, runTag: number): SignedWebhook {
  const now = Math.floor(Date.now() / 1000);
  if (message.channel === 'whatsapp') {
    const credentials = fakes.whatsapp.credentials();
    const messageId = `wamid.CHAOS${runTag}${message.sequence}`;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{
        id: '200000000000001',
        changes: [{
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '5491100009999', phone_number_id: credentials.phoneNumberId },
            contacts: [{ profile: { name: message.name }, wa_id: message.contact }],
            messages: [{ from: message.contact, id: messageId, timestamp: String(now), type: 'text', text: { body: message.text } }],
          },
        }],
      }],
    });
    return {
      messageId,
      path: '/webhooks/demo/whatsapp',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmacSha256Hex(credentials.appSecret, body)}` },
    };
  }
  const chat = Number(message.contact);
  const [firstName, lastName] = message.name.split(' ');
  const body = JSON.stringify({
    update_id: message.sequence,
    message: {
      message_id: message.sequence,
      from: { id: chat, is_bot: false, first_name: firstName, last_name: lastName, language_code: 'es' },
      chat: { id: chat, first_name: firstName, last_name: lastName, type: 'private' },
      date: now,
      text: message.text,
    },
  });
  return {
    messageId: `tg-${message.sequence}`,
    path: '/webhooks/demo/telegram',
    body,
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': fakes.telegram.credentials().webhookSecret },
  };
}

/** What delivering one webhook took: the refusals and failures before the 200. */
export interface DeliveryLog {
  attempts: number;
  /** Status of each refused attempt (`503`, `429`…), `network` or `timeout`. */
  refusals: string[];
  accepted: boolean;
}

const ATTEMPT_TIMEOUT_MS = 15_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;

/**
 * POSTs until an API answers 200, each retry to the next API URL (a load balancer's choice), for at
 * most `giveUpMs` (Meta retries for days; a run cannot wait that long).
 */
export async function deliver(apiUrls: readonly string[], webhook: SignedWebhook, giveUpMs: number, first = 0): Promise<DeliveryLog> {
  const log: DeliveryLog = { attempts: 0, refusals: [], accepted: false };
  const deadline = Date.now() + giveUpMs;
  for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    const url = apiUrls[(first + log.attempts) % apiUrls.length]! + webhook.path;
    log.attempts++;
    const outcome = await post(url, webhook);
    if (outcome === '200') {
      log.accepted = true;
      return log;
    }
    log.refusals.push(outcome);
    if (Date.now() + delay > deadline) return log;
    await sleep(delay);
  }
}

async function post(url: string, webhook: SignedWebhook): Promise<string> {
  try {
    const response = await fetch(url, { method: 'POST', headers: webhook.headers, body: webhook.body, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
    await response.arrayBuffer();
    return String(response.status);
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
  }
}
