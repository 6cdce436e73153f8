import { whatsappAdapter } from '../src/channels/whatsapp';
import { conversationWorkflowId } from '../src/domain/conversation';
import { FakeWhatsApp, FAKE_ACCESS_TOKEN, FAKE_PHONE_NUMBER_ID } from '../test/helpers/fake-whatsapp';
import { sleep } from './concurrency';
import { aheadForACore, type CustomerPriority } from './customer-priority';
import { checkDelivery } from './delivery';
import type { Design } from './designs';
import { cpuMsPerMessage, sampleRoles, singleProcess, waitUntilQuiet, type ProcessRole } from './meter';
import type { BenchOptions } from './options';
import type { Child } from './children';
import { readMachineTicks } from './proc';
import { percentile, round, sum } from './stats';
import { ReplyWatch, runWebhookLoad, type Ack, type WebhookPlan } from './webhook-load';

/** The webhook phase: WhatsApp customers through the real webhook, against the fake Graph API. */
export interface WebhookRun {
  customers: number;
  durationMs: number;
  /** Customer messages sent (each acknowledged 200 in the end unless counted in `refused`). */
  messages: number;
  /** Webhook POSTs: messages, redeliveries and retries after a non-200. */
  posts: number;
  redeliveries: number;
  /** The WhatsApp burst quiet period the conversations wait before answering (the channel's default). */
  quietPeriodMs: number;
  /** Webhook POST → its HTTP answer, of every POST. */
  ackP50Ms: number | null;
  ackP95Ms: number | null;
  ackP99Ms: number | null;
  ackMaxMs: number | null;
  /** The same by kind: a conversation's first message (it starts), a later one, a redelivered one. */
  ackByKind: Record<Ack['kind'], { count: number; p50Ms: number | null; p99Ms: number | null }>;
  /**
   * `ahead`: the customers' process went ahead of Concierge's for a core while timed, as a
   * provider's servers do not wait for ours; `shared`: it had no privilege to, and its own waits
   * are in the acks.
   */
  customerPriority: CustomerPriority;
  /**
   * Of the machine's CPU time while the customers wrote, the share its host kept for others
   * (steal; 0 on bare metal): a virtual CPU that waits for its host delays whatever it was running.
   */
  hostStealPercent: number;
  /** Count per answer: HTTP status, `timeout`, `network`. */
  acks: Record<string, number>;
  non200: number;
  /** Messages never answered 200 after all retries. */
  refused: number;
  /** Webhook POST → the reply reached the fake Graph API (includes the quiet period). */
  replyP50Ms: number | null;
  replyP95Ms: number | null;
  replyP99Ms: number | null;
  /** At the fake Graph API: messages without a reply, and replies beyond one per message. */
  repliesLost: number;
  repliesDuplicated: number;
  /** In the conversations' `state` transcript: each message recorded once, with exactly one reply. */
  transcriptLost: number;
  transcriptDuplicated: number;
  transcriptUnverified: number;
  /** CPU ms per message of each process, from the phase's start until Concierge is quiet again. */
  cpuMsPerMsg: Record<string, number>;
}

/** The Graph API the demo tenant's WhatsApp channel points at; started before Concierge, which reads it from env. */
export async function startFakeGraph(): Promise<{ fake: FakeWhatsApp; env: Record<string, string>; appSecret: string }> {
  const fake = await new FakeWhatsApp().start();
  const { apiBase, appSecret } = fake.credentials();
  return {
    fake,
    appSecret,
    env: { WHATSAPP_API_BASE: apiBase, WHATSAPP_ACCESS_TOKEN: FAKE_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID: FAKE_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET: appSecret },
  };
}

export interface WebhookContext {
  options: BenchOptions;
  /** The API process the webhooks go to (apart from the worker, as in production). */
  api: { process: Child; url: string };
  concierge: Design;
  graph: { fake: FakeWhatsApp; appSecret: string };
  allRoles: readonly ProcessRole[];
  runTag: string;
  abort: AbortSignal;
}

const QUIET_MAX_MS = 60_000;
const QUERY_CONCURRENCY = 20;
const REDELIVER_EVERY = 5;
const REPLY_TIMEOUT_MS = 30_000;
const WARM_UP_CUSTOMERS = 5;
const WARM_UP_MS = 10_000;
/** Numbers apart from the measured customers'. */
const WARM_UP_FIRST_CUSTOMER = 9_000;
/** A second reply to a message would come within a quiet period of the first. */
const DUPLICATE_GRACE_MS = whatsappAdapter.defaultQuietPeriodMs + 2_000;

/**
 * A few customers, not measured, before the load: the first requests a fresh API process serves
 * compile its code (tens of milliseconds each), which a process that has been serving does not do.
 */
async function warmUp(context: WebhookContext): Promise<void> {
  const replies = new ReplyWatch(context.graph.fake);
  try {
    await runWebhookLoad(loadPlan(context, replies, { customers: WARM_UP_CUSTOMERS, deadlineMs: WARM_UP_MS, firstCustomer: WARM_UP_FIRST_CUSTOMER }));
  } finally {
    replies.stop();
  }
}

function loadPlan(context: WebhookContext, replies: ReplyWatch, shape: Pick<WebhookPlan, 'customers' | 'deadlineMs'> & Partial<WebhookPlan>): WebhookPlan {
  return {
    url: new URL('/webhooks/demo/whatsapp', context.api.url).href,
    appSecret: context.graph.appSecret,
    replies,
    arrivalMs: whatsappAdapter.defaultQuietPeriodMs,
    replyTimeoutMs: REPLY_TIMEOUT_MS,
    typingMs: context.options.webhookTypingMs,
    redeliverEvery: REDELIVER_EVERY,
    runTag: context.runTag,
    abort: context.abort,
    firstCustomer: 0,
    ...shape,
  };
}

export async function measureWebhooks(context: WebhookContext): Promise<WebhookRun> {
  const { options, concierge } = context;
  const quietPeriodMs = whatsappAdapter.defaultQuietPeriodMs;
  concierge.process.assertRunning();
  await warmUp(context);
  await waitUntilQuiet(context.allRoles, QUIET_MAX_MS);
  const roles = [...concierge.roles, singleProcess('Concierge API', context.api.process.pid)];
  const before = sampleRoles(roles);
  const replies = new ReplyWatch(context.graph.fake);
  try {
    const machineBefore = readMachineTicks();
    const { result: load, priority: customerPriority } = await aheadForACore(() =>
      runWebhookLoad(loadPlan(context, replies, { customers: options.webhookCustomers, deadlineMs: options.webhookDeadlineMs })),
    );
    const machineAfter = readMachineTicks();
    const expected = (waId: string) => load.customers.find((customer) => customer.waId === waId)?.messageIds.length ?? 0;
    const settleBy = Date.now() + options.settleMs;
    while (Date.now() < settleBy && load.customers.some(({ waId }) => (replies.received.get(waId) ?? 0) < expected(waId))) await sleep(250);
    await sleep(DUPLICATE_GRACE_MS);
    await waitUntilQuiet(roles, QUIET_MAX_MS);
    const after = sampleRoles(roles);
    concierge.process.assertRunning();
    context.api.process.assertRunning();

    const transcript = await checkDelivery(
      concierge.delivery,
      load.customers.map(({ waId, messageIds }) => ({ sessionId: waId, messageIds, outcomes: [] })),
      {
        workflowId: (waId) => conversationWorkflowId({ tenantId: 'demo', channel: 'whatsapp', contactId: waId }),
        settleMs: options.settleMs,
        concurrency: QUERY_CONCURRENCY,
      },
    );
    const messages = sum(load.customers.map((customer) => customer.messageIds.length));
    const gap = (waId: string) => (replies.received.get(waId) ?? 0) - expected(waId);
    const latency = (values: number[], p: number) => {
      const value = percentile(values, p);
      return value === undefined ? null : round(value);
    };
    const ackMs = load.acks.map((ack) => ack.latencyMs);
    const replyMs = load.customers.flatMap((customer) => customer.replyLatenciesMs);
    const byKind = (kind: Ack['kind']) => {
      const values = load.acks.filter((ack) => ack.kind === kind).map((ack) => ack.latencyMs);
      return { count: values.length, p50Ms: latency(values, 50), p99Ms: latency(values, 99) };
    };
    const acks: Record<string, number> = {};
    for (const { outcome } of load.acks) acks[outcome] = (acks[outcome] ?? 0) + 1;
    return {
      customers: options.webhookCustomers,
      durationMs: Math.round(load.durationMs),
      messages,
      posts: load.acks.length,
      redeliveries: load.acks.filter((ack) => ack.kind === 'redelivery' && ack.outcome === '200').length,
      quietPeriodMs,
      ackP50Ms: latency(ackMs, 50),
      ackP95Ms: latency(ackMs, 95),
      ackP99Ms: latency(ackMs, 99),
      ackMaxMs: latency(ackMs, 100),
      ackByKind: { first: byKind('first'), next: byKind('next'), redelivery: byKind('redelivery') },
      customerPriority,
      hostStealPercent: round((100 * (machineAfter.steal - machineBefore.steal)) / Math.max(1, machineAfter.total - machineBefore.total)),
      acks,
      non200: load.acks.length - (acks['200'] ?? 0),
      refused: messages - load.acks.filter((ack) => ack.kind !== 'redelivery' && ack.outcome === '200').length,
      replyP50Ms: latency(replyMs, 50),
      replyP95Ms: latency(replyMs, 95),
      replyP99Ms: latency(replyMs, 99),
      repliesLost: sum(load.customers.map(({ waId }) => Math.max(0, -gap(waId)))),
      repliesDuplicated: sum(load.customers.map(({ waId }) => Math.max(0, gap(waId)))),
      transcriptLost: transcript.lost,
      transcriptDuplicated: transcript.duplicated,
      transcriptUnverified: transcript.unverified,
      cpuMsPerMsg: cpuMsPerMessage(before, after, messages),
    };
  } finally {
    replies.stop();
  }
}
