import { randomUUID } from 'node:crypto';
import { DEFAULT_RATE_LIMITS } from '../src/api/rate-limits';
import { hmacSha256Hex } from '../src/secrets';
import { stateQuery } from '../src/workflows';
import { FakeWhatsApp } from './helpers/fake-whatsapp';
import type { HttpResponse } from './helpers/http';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

/**
 * Acceptance 5, with the production limits (DEFAULT_RATE_LIMITS): a contact sending 100 quick
 * messages gets the excess refused with 429 and Retry-After, and every message it was told was
 * taken reaches its conversation; an address making up 1,000 sessions starts only as many
 * conversations as its limit.
 */

const APP_SECRET = 'rate_limit_app_secret_0123456789';
const LIMIT = DEFAULT_RATE_LIMITS.messagesPerSession;

let stack: TestStack;
let whatsapp: FakeWhatsApp;
beforeAll(async () => {
  whatsapp = await new FakeWhatsApp().start();
  stack = await startTestStack({
    chatRateLimits: DEFAULT_RATE_LIMITS,
    channels: { whatsapp: { ...whatsapp.credentials(), appSecret: APP_SECRET, quietPeriodMs: 0 } },
  });
});
afterAll(async () => {
  await stack.stop();
  await whatsapp.stop();
});

/** Accepted: answered (200), handed over to be answered (202 queued, 504 reply_timeout). */
const isAccepted = (response: HttpResponse) => [200, 202, 504].includes(response.status);

/** How many answers of each status: the figure a failure shows. */
const statuses = (responses: HttpResponse[]) => responses.reduce<Record<number, number>>((tally, { status }) => ({ ...tally, [status]: (tally[status] ?? 0) + 1 }), {});

function expectRefusedWithRetryAfter(responses: HttpResponse[]) {
  for (const response of responses) {
    expect([response.status, response.body.error]).toEqual([429, 'rate_limited']);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  }
}

async function customerMessageIds(conversationId: string): Promise<string[]> {
  const state = await stack.client.workflow.getHandle(conversationId).query(stateQuery);
  return state.transcript.flatMap((entry) => (entry.role === 'customer' ? [entry.messageId] : []));
}

/** Conversations this stack's worker runs, as Temporal's visibility counts them. */
async function conversationsStarted(): Promise<number> {
  const { count } = await stack.client.workflow.count(`WorkflowType = 'conversationWorkflow' AND TaskQueue = '${stack.taskQueue}'`);
  return count;
}

test(`100 quick messages from a business backend's session: ${LIMIT} taken, the rest 429 with Retry-After; each one taken is in the transcript`, async () => {
  const ids = Array.from({ length: 100 }, (_, i) => `eager-${i}-${randomUUID()}`);
  const responses = await Promise.all(ids.map((messageId, i) => stack.request('POST', '/api/chat', { session_id: 'eager', message: `¿Tienen turno? (${i})`, message_id: messageId })));

  const accepted = ids.filter((_, i) => isAccepted(responses[i]!));
  expect([accepted.length, statuses(responses)[429]]).toEqual([LIMIT, 100 - LIMIT]);
  expectRefusedWithRetryAfter(responses.filter((response) => !isAccepted(response)));
  await waitFor('every accepted message in the transcript', async () => (await customerMessageIds('conversation:demo:web:eager')).length >= LIMIT);
  expect((await customerMessageIds('conversation:demo:web:eager')).sort()).toEqual([...accepted].sort());
}, 60_000);

test(`100 quick signed WhatsApp webhooks from one customer: ${LIMIT} taken, the rest 429 (Meta delivers them again later); none lost`, async () => {
  const waId = '5491100077777';
  const bodies = Array.from({ length: 100 }, (_, i) =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '5491100009999', phone_number_id: '100000000000001' },
        contacts: [{ profile: { name: 'Ana' }, wa_id: waId }],
        messages: [{ from: waId, id: `wamid.flood-${i}`, timestamp: '1735725600', type: 'text', text: { body: `hola ${i}` } }],
      } }] }],
    }),
  );
  const responses = await Promise.all(
    bodies.map((body) => stack.request('POST', '/webhooks/demo/whatsapp', body, { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmacSha256Hex(APP_SECRET, body)}` })),
  );
  const accepted = bodies.flatMap((_, i) => (responses[i]!.status === 200 ? [`wamid.flood-${i}`] : []));
  expect(statuses(responses)).toEqual({ 200: LIMIT, 429: 100 - LIMIT });
  expectRefusedWithRetryAfter(responses.filter((response) => response.status !== 200));
  const conversation = `conversation:demo:whatsapp:${waId}`;
  await waitFor('every accepted message in the transcript', async () => (await customerMessageIds(conversation)).length >= LIMIT);
  expect((await customerMessageIds(conversation)).sort()).toEqual([...accepted].sort());
}, 60_000);

test(`1,000 made-up sessions from one address: ${DEFAULT_RATE_LIMITS.newSessionsPerAddress} conversations start, the rest 429`, async () => {
  const before = await conversationsStarted();
  const responses: HttpResponse[] = [];
  // A page's first message, as an anonymous caller sends it: no session, no token.
  for (let batch = 0; batch < 20; batch++) {
    responses.push(...(await Promise.all(Array.from({ length: 50 }, () => stack.request('POST', '/api/chat', { message: 'Hola' }, {})))));
  }
  const started = responses.filter(isAccepted);
  expect([started.length, statuses(responses)[429]]).toEqual([DEFAULT_RATE_LIMITS.newSessionsPerAddress, 1_000 - DEFAULT_RATE_LIMITS.newSessionsPerAddress]);
  expectRefusedWithRetryAfter(responses.filter((response) => !isAccepted(response)));
  expect(new Set(started.map((response) => response.body.session_id)).size).toBe(started.length);
  await waitFor('visibility to count the conversations', async () => (await conversationsStarted()) >= before + started.length);
  expect(await conversationsStarted()).toBe(before + started.length);
}, 90_000);

test('a tenant token making up session ids starts conversations up to its tenant limit; the operator token is not capped', async () => {
  const operatorToken = 'operator-token-0123456789abcdef';
  const capped = await startTestStack({ adminToken: operatorToken, chatRateLimits: { newContactsPerTenant: 15 } });
  try {
    const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => capped.request('POST', '/api/chat', { session_id: `made-up-${i}`, message: 'Hola' })));
    expect([responses.filter(isAccepted).length, statuses(responses)[429]]).toEqual([15, 45]);
    expectRefusedWithRetryAfter(responses.filter((response) => !isAccepted(response)));
    // A conversation already going on is not new: it still gets through.
    const going = responses.findIndex(isAccepted);
    expect((await capped.request('POST', '/api/chat', { session_id: `made-up-${going}`, message: '¿Precio?' })).status).toBe(200);
    const operator = await Promise.all(
      Array.from({ length: 20 }, (_, i) => capped.request('POST', '/api/chat', { session_id: `operator-${i}`, message: 'Hola' }, { authorization: `Bearer ${operatorToken}` })),
    );
    expect(statuses(operator)).toEqual({ 200: 20 });
  } finally {
    await capped.stop();
  }
}, 60_000);

test('20 wrong admin tokens from one address: then 429 with Retry-After even for the right token; pages and anonymous chats go on', async () => {
  const adminToken = 'operator-token-0123456789abcdef';
  const locked = await startTestStack({ adminToken, chatRateLimits: DEFAULT_RATE_LIMITS });
  try {
    const bookings = (token: string) => locked.request('GET', '/admin/bookings', undefined, { authorization: `Bearer ${token}` });
    expect((await bookings(adminToken)).status).toBe(200);
    for (let i = 0; i < DEFAULT_RATE_LIMITS.failedSignInsPerAddress; i++) expect((await bookings(`guess-${i}-0123456789abcdef`)).status).toBe(401);
    const right = await bookings(adminToken);
    expect([right.status, right.body.error]).toEqual([429, 'rate_limited']);
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(DEFAULT_RATE_LIMITS.signInLockoutMinutes * 60 - 60);
    expect(retryAfter).toBeLessThanOrEqual(DEFAULT_RATE_LIMITS.signInLockoutMinutes * 60);
    expect((await locked.request('GET', '/metrics', undefined, { authorization: `Bearer ${adminToken}` })).status).toBe(429);
    expect((await locked.request('GET', '/chat?tenant=demo')).status).toBe(200);
    expect((await locked.request('POST', '/api/chat', { message: 'Hola' }, {})).status).toBe(200);
  } finally {
    await locked.stop();
  }
});
