import http from 'node:http';
import { hmacSha256Hex } from '../src/secrets';
import type { FakeWhatsApp } from '../test/helpers/fake-whatsapp';
import { fixtureJson } from '../test/helpers/fixtures';
import { sleep } from './concurrency';
import { customerMessage } from './script';

/** One POST to the webhook and what it got back. */
export interface Ack {
  /** The customer's first message (its conversation starts), a later one, or a redelivery of one. */
  kind: 'first' | 'next' | 'redelivery';
  /** HTTP status, or `timeout` / `network`. */
  outcome: string;
  latencyMs: number;
}

export interface CustomerLog {
  waId: string;
  /** The wamids sent, in order (each acknowledged with 200 in the end, or counted as refused). */
  messageIds: string[];
  /** Webhook POST → the reply reached the fake Graph API, of each message answered in time. */
  replyLatenciesMs: number[];
  /** Messages whose reply did not come within `replyTimeoutMs` (the customer wrote on anyway). */
  unanswered: number;
}

export interface WebhookPlan {
  url: string;
  appSecret: string;
  replies: ReplyWatch;
  customers: number;
  /** The first customer's index: customers' numbers and message ids follow from it. */
  firstCustomer: number;
  /** No message is sent after this long. */
  deadlineMs: number;
  /** Customers arrive evenly over this long, as people do, rather than all in the same millisecond. */
  arrivalMs: number;
  replyTimeoutMs: number;
  /** A person reads the reply and types the next message: this long between a reply and the next message. */
  typingMs: number;
  /** Every n-th message of a customer is delivered twice, as Meta does at times: the copy must change nothing. */
  redeliverEvery: number;
  runTag: string;
  abort: AbortSignal;
}

const ACK_TIMEOUT_MS = 10_000;
/** Meta retries a webhook that was not answered 200; the benchmark does so sooner, a few times. */
const RETRIES = 5;
const RETRY_DELAY_MS = 1_000;

/**
 * Meta's servers keep their connections open and do not share the CPU with Concierge; here the
 * provider runs on the same two cores, so it posts with node:http over kept-alive connections,
 * which costs it a fraction of what fetch does and leaves the acknowledgement Concierge's own.
 */
const PROVIDER_AGENT = new http.Agent({ keepAlive: true });

function post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: PROVIDER_AGENT, signal, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    request.once('error', reject);
    request.end(body);
  });
}

/** The text notification as Meta sends it; each message swaps in its customer's number, a new wamid, the time and the text. */
const TEXT_FIXTURE = fixtureJson('whatsapp-cloud.text.json');

/**
 * Closed-loop WhatsApp customers: each POSTs a signed Cloud API notification to the webhook,
 * waits for the assistant's reply to arrive at the fake Graph API, then writes again.
 */
export async function runWebhookLoad(plan: WebhookPlan): Promise<{ acks: Ack[]; customers: CustomerLog[]; durationMs: number }> {
  const acks: Ack[] = [];
  const started = performance.now();
  const deadline = started + plan.deadlineMs;
  // Distinct numbers per run, in case the Temporal server outlives it (TEMPORAL_ADDRESS).
  const prefix = `54911${String(Number.parseInt(plan.runTag.slice(-6), 36) % 10_000).padStart(4, '0')}`;

  const customer = async (index: number): Promise<CustomerLog> => {
    await sleep((plan.arrivalMs * index) / plan.customers);
    const number = plan.firstCustomer + index;
    const log: CustomerLog = { waId: `${prefix}${String(number).padStart(4, '0')}`, messageIds: [], replyLatenciesMs: [], unanswered: 0 };
    for (let turn = 0; performance.now() < deadline && !plan.abort.aborted; turn++) {
      const messageId = `wamid.${plan.runTag}.${number}.${turn}`;
      const body = notification(log.waId, `Cliente ${number}`, messageId, customerMessage(number, turn));
      const reply = plan.replies.next(log.waId, plan.replyTimeoutMs);
      const sentAt = performance.now();
      log.messageIds.push(messageId);
      const acked = await deliver(plan, body, turn === 0 ? 'first' : 'next', acks);
      if (acked && (turn + 1) % plan.redeliverEvery === 0) await deliver(plan, body, 'redelivery', acks);
      const repliedAt = await reply;
      if (repliedAt === undefined) log.unanswered++;
      else log.replyLatenciesMs.push(repliedAt - sentAt);
      await sleep(plan.typingMs);
    }
    return log;
  };
  const customers = await Promise.all(Array.from({ length: plan.customers }, (_, index) => customer(index)));
  return { acks, customers, durationMs: performance.now() - started };
}

/** POSTs until answered 200, as the provider retries; every attempt's answer is an ack measured. */
async function deliver(plan: WebhookPlan, body: string, kind: Ack['kind'], acks: Ack[]): Promise<boolean> {
  const headers = { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmacSha256Hex(plan.appSecret, body)}` };
  for (let attempt = 0; attempt <= RETRIES && !plan.abort.aborted; attempt++) {
    if (attempt > 0) await sleep(RETRY_DELAY_MS);
    const signal = AbortSignal.any([plan.abort, AbortSignal.timeout(ACK_TIMEOUT_MS)]);
    const started = performance.now();
    let outcome: string;
    try {
      outcome = String(await post(plan.url, headers, body, signal));
    } catch {
      outcome = (signal.reason as Error | undefined)?.name === 'TimeoutError' ? 'timeout' : 'network';
    }
    acks.push({ kind, outcome, latencyMs: performance.now() - started });
    if (outcome === '200') return true;
  }
  return false;
}

/** The text fixture as this customer's message, serialised once: the signature covers these bytes. */
function notification(waId: string, name: string, messageId: string, text: string): string {
  const payload = structuredClone(TEXT_FIXTURE);
  const value = payload.entry[0].changes[0].value;
  value.contacts = [{ profile: { name }, wa_id: waId }];
  value.messages = [{ from: waId, id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), text: { body: text }, type: 'text' }];
  return JSON.stringify(payload);
}

/**
 * Replies (Cloud API sends the fake accepted) as they reach it, per recipient. A customer has one message
 * awaiting its reply at a time, so the next send to it is that reply; the totals per recipient
 * (`received`) tell lost from duplicated in the end.
 */
export class ReplyWatch {
  readonly received = new Map<string, number>();
  private readonly waiting = new Map<string, (at: number) => void>();
  private readonly onSent = (body: { to?: unknown }) => {
    const to = String(body.to ?? '');
    this.received.set(to, (this.received.get(to) ?? 0) + 1);
    this.waiting.get(to)?.(performance.now());
    this.waiting.delete(to);
  };

  constructor(private readonly fake: FakeWhatsApp) {
    fake.onSent = this.onSent;
  }

  /** When the next reply to `to` arrives; undefined if none within `timeoutMs`. */
  next(to: string, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(to);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(to, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  stop(): void {
    this.fake.onSent = undefined;
  }
}
