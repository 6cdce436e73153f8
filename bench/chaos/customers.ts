import { setTimeout as sleep } from 'node:timers/promises';
import type { ChannelFakes } from './channels';
import { deliver, signedWebhook, type Inbound } from './provider';
import type { Random } from './random';
import { customerName, intentAt, messageTag, messageText, type Intent } from './script';

/** One customer message: how its webhook went, and whether its reply came in time. */
export interface SentMessage {
  tag: string;
  /** The provider's id of the message, as Concierge's transcript records it. */
  messageId: string;
  intent: Intent;
  channel: Inbound['channel'];
  /** `whatsapp:<wa_id>` or `telegram:<chat id>`, as the channel fakes name who they sent to. */
  contact: string;
  /** Accepted (200) in the end, possibly after refusals. */
  accepted: boolean;
  attempts: number;
  refusals: string[];
  /** Delivered twice, as providers do now and then. */
  redelivered: boolean;
  sentAt: number;
  /** When its reply reached the customer, if it did before the customer wrote on. */
  repliedAt?: number;
}

export interface CustomerPlan {
  customers: number;
  apiUrls: readonly string[];
  fakes: ChannelFakes;
  /** No message is sent after this (ms since the epoch). */
  until: number;
  replyTimeoutMs: number;
  redelivery: number;
  /** Distinct per run: contacts, wamids and update ids do not repeat another run's. */
  runTag: number;
  random: Random;
  abort: AbortSignal;
}

/** Customers arrive over this long rather than in the same millisecond. */
const ARRIVAL_MS = 10_000;
/** Between a reply and the customer's next message, as a person reads and types. */
const THINK_MS = [500, 2_500] as const;

/**
 * C customers, half on WhatsApp and half on Telegram, each writing its next message once the
 * reply to the last has reached its phone (or `replyTimeoutMs` passed), until `until`. Every
 * message's webhook is retried until accepted; some are delivered a second time.
 */
export async function runCustomers(plan: CustomerPlan): Promise<SentMessage[]> {
  const sent: SentMessage[] = [];
  const redeliveries: Promise<unknown>[] = [];
  let sequence = plan.runTag * 1_000_000;

  const customer = async (index: number) => {
    const channel = index % 2 === 0 ? 'whatsapp' : 'telegram';
    const contact = channel === 'whatsapp' ? `54911${pad(plan.runTag, 4)}${pad(index, 4)}` : `7${pad(plan.runTag, 4)}${pad(index, 4)}`;
    await sleep((ARRIVAL_MS * index) / plan.customers);
    for (let turn = 0; Date.now() < plan.until && !plan.abort.aborted; turn++) {
      const tag = messageTag(index, turn);
      const webhook = signedWebhook({ channel, contact, name: customerName(index), sequence: ++sequence, text: messageText(index, turn) }, plan.fakes, plan.runTag);
      const message: SentMessage = { tag, messageId: webhook.messageId, intent: intentAt(index, turn), channel, contact: `${channel}:${contact}`, accepted: false, attempts: 0, refusals: [], redelivered: false, sentAt: Date.now() };
      sent.push(message);
      const reply = plan.fakes.replyTo(tag, plan.replyTimeoutMs);
      const log = await deliver(plan.apiUrls, webhook, plan.replyTimeoutMs, index);
      Object.assign(message, { accepted: log.accepted, attempts: log.attempts, refusals: log.refusals });
      if (log.accepted && plan.random.next() < plan.redelivery) {
        message.redelivered = true;
        // A provider's redelivery comes a little later, maybe to another API process.
        redeliveries.push(sleep(plan.random.between(0, 3_000)).then(() => deliver(plan.apiUrls, webhook, plan.replyTimeoutMs, index + 1)));
      }
      if (await reply) message.repliedAt = Date.now();
      await sleep(plan.random.between(...THINK_MS));
    }
  };
  await Promise.all(Array.from({ length: plan.customers }, (_, index) => customer(index)));
  await Promise.all(redeliveries);
  return sent;
}

function pad(value: number, digits: number): string {
  return String(value % 10 ** digits).padStart(digits, '0');
}
