import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { registeredRoutes } from '../src/api/openapi';
import { saveLeadDetails } from '../src/db/leads';
import { createTenantToken } from '../src/db/tenant-tokens';
import { stateQuery } from '../src/workflows/definitions';
import { policy, seedBookingTenant, ZONE } from './helpers/booking-fixtures';
import { FakeTelegram } from './helpers/fake-telegram';
import { startTestStack, type TestStack } from './helpers/stack';
import { customerWrites, seedTelegramTenant, sentTo } from './helpers/telegram-tenant';
import { waitFor } from './helpers/wait-for';

/**
 * Acceptance 3: with tenant A's token, every admin route called with tenant B's ids or filters
 * answers 404 or an empty list (403 where only the operator may act at all), and B's data is as
 * it was. The routes are read from the server itself: an admin route this table does not know
 * how to call fails the test, so a new one cannot skip the check.
 */
const ADMIN_TOKEN = 'tenant-isolation-admin-token-0123456789';
const A = 'iso-clinic-a';
const B = 'iso-clinic-b';
const B_CUSTOMER = 940000002;
const B_CONVERSATION = `conversation:${B}:telegram:${B_CUSTOMER}`;

interface Call {
  method: string;
  url: string;
  body?: unknown;
}
interface BIds {
  leadId: string;
  bookingId: string;
}

/** How to call each admin route with B's ids or filters. */
const B_CALLS: Record<string, { calls: (ids: BIds) => Call[]; operatorOnly?: boolean }> = {
  'GET /admin/conversations': {
    calls: () => [
      { method: 'GET', url: `/admin/conversations?tenant=${B}` },
      { method: 'GET', url: `/admin/conversations?contact=${B_CUSTOMER}` },
      { method: 'GET', url: `/admin/conversations?tenant=${B}&status=handoff&channel=telegram` },
    ],
  },
  'GET /admin/conversations/:id': { calls: () => [{ method: 'GET', url: `/admin/conversations/${encodeURIComponent(B_CONVERSATION)}` }] },
  'POST /admin/conversations/:id/handoff': {
    calls: () => [{ method: 'POST', url: `/admin/conversations/${encodeURIComponent(B_CONVERSATION)}/handoff`, body: { reason: 'A takes it' } }],
  },
  'POST /admin/conversations/:id/messages': {
    calls: () => [{ method: 'POST', url: `/admin/conversations/${encodeURIComponent(B_CONVERSATION)}/messages`, body: { text: 'A writes to B’s customer' } }],
  },
  'POST /admin/conversations/:id/resume': { calls: () => [{ method: 'POST', url: `/admin/conversations/${encodeURIComponent(B_CONVERSATION)}/resume` }] },
  'GET /admin/bookings': { calls: () => [{ method: 'GET', url: `/admin/bookings?tenant=${B}` }, { method: 'GET', url: '/admin/bookings' }] },
  'GET /admin/leads': { calls: () => [{ method: 'GET', url: `/admin/leads?tenant=${B}` }, { method: 'GET', url: '/admin/leads' }] },
  'POST /admin/leads/:id/push': {
    calls: ({ leadId }) => [
      { method: 'POST', url: `/admin/leads/${leadId}/push` },
      { method: 'POST', url: `/admin/leads/${leadId}/push?tenant=${B}` },
    ],
  },
  'DELETE /admin/contacts/:channel/:contact': {
    calls: () => [
      { method: 'DELETE', url: `/admin/contacts/telegram/${B_CUSTOMER}` },
      { method: 'DELETE', url: `/admin/contacts/telegram/${B_CUSTOMER}?tenant=${B}` },
    ],
  },
  'POST /admin/tenants': { operatorOnly: true, calls: () => [{ method: 'POST', url: '/admin/tenants', body: tenantDocument(B) }] },
  'GET /admin/tenants/:id': { calls: () => [{ method: 'GET', url: `/admin/tenants/${B}` }] },
  'PUT /admin/tenants/:id': { calls: () => [{ method: 'PUT', url: `/admin/tenants/${B}`, body: tenantDocument(B) }] },
};

/** The demo clinic's document under another id: what an operator would send. */
function tenantDocument(id: string): Record<string, unknown> {
  return { ...JSON.parse(readFileSync(path.resolve(__dirname, '../tenants/demo.json'), 'utf8')), id };
}

let telegram: FakeTelegram;
let stack: TestStack;
let tokenA: string;
let ids: BIds;
beforeAll(async () => {
  telegram = await new FakeTelegram().start();
  stack = await startTestStack({ adminToken: ADMIN_TOKEN });
  for (const tenant of [A, B]) {
    await seedBookingTenant(stack.db.pool, tenant, policy(), [{ id: 'eva', serviceIds: ['limpieza-facial'] }]);
    await seedTelegramTenant(stack, tenant, telegram);
  }
  tokenA = await createTenantToken(stack.db.pool, A, 'clinic A');
  // Each clinic has a customer waiting for a person, a booking and a lead.
  for (const [tenant, chatId] of [[A, 940000001], [B, B_CUSTOMER]] as const) {
    await customerWrites(stack, tenant, chatId, 'Hola, quiero hablar con una persona');
    await waitFor(`${tenant}'s customer answered`, () => sentTo(telegram, chatId).length === 1);
  }
  const start = DateTime.now().setZone(ZONE).plus({ days: 3 }).set({ hour: 11, minute: 0, second: 0, millisecond: 0 });
  const { rows } = await stack.db.pool.query<{ id: string }>(
    `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, status, starts_at, ends_at, blocked, idempotency_key)
     VALUES ($1, 'eva', 'limpieza-facial', 'telegram', $2, 'confirmed', $3, $4, tstzrange($3, $4), gen_random_uuid()::text) RETURNING id`,
    [B, String(B_CUSTOMER), start.toJSDate(), start.plus({ minutes: 60 }).toJSDate()],
  );
  const ref = { tenantId: B, channel: 'telegram' as const, contactId: String(B_CUSTOMER) };
  const { lead } = await saveLeadDetails(stack.db.pool, ref, { name: 'Beatriz Bravo', email: 'beatriz@example.com' }, { actor: 'staff', conversationId: B_CONVERSATION });
  ids = { leadId: lead.id, bookingId: rows[0]!.id };
  await waitFor('both handoffs visible', async () => {
    const listed = await stack.request('GET', '/admin/conversations?status=handoff', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    // The test server is shared with other suites: count only these two clinics' conversations.
    return listed.body.conversations?.filter((conversation: any) => [A, B].includes(conversation.tenant)).length === 2;
  });
});
afterAll(async () => {
  await stack?.stop();
  await telegram?.stop();
});

const send = (call: Call, token: string) => stack.request(call.method, call.url, call.body, { authorization: `Bearer ${token}` });

/** What B's data looks like to the operator: it must be the same after A's attempts. */
async function bSnapshot() {
  const operator = (url: string) => send({ method: 'GET', url }, ADMIN_TOKEN);
  const conversation = (await operator(`/admin/conversations/${encodeURIComponent(B_CONVERSATION)}`)).body;
  return {
    status: conversation.status,
    handoff: conversation.handoff?.reason,
    transcript: conversation.transcript.map((entry: { role: string; text: string }) => `${entry.role}: ${entry.text}`),
    bookings: (await operator(`/admin/bookings?tenant=${B}`)).body.bookings.map((booking: any) => `${booking.id} ${booking.status} ${booking.customer.contact_id}`),
    leads: (await operator(`/admin/leads?tenant=${B}`)).body.leads.map((lead: any) => `${lead.id} ${lead.name} ${lead.email} ${lead.crm.status}`),
    tenant: (await operator(`/admin/tenants/${B}`)).body,
    sentToCustomer: sentTo(telegram, B_CUSTOMER),
  };
}

test('the operator sees B’s conversation, booking, lead and tenant through these routes (so the ids below are real)', async () => {
  const operator = (url: string) => send({ method: 'GET', url }, ADMIN_TOKEN);
  expect((await operator(`/admin/conversations?tenant=${B}`)).body.conversations.map((conversation: any) => conversation.id)).toEqual([B_CONVERSATION]);
  expect(await operator(`/admin/conversations/${encodeURIComponent(B_CONVERSATION)}`)).toMatchObject({ status: 200, body: { status: 'handoff', lead: { id: ids.leadId } } });
  expect((await operator(`/admin/bookings?tenant=${B}`)).body.bookings.map((booking: any) => booking.id)).toEqual([ids.bookingId]);
  expect((await operator(`/admin/leads?tenant=${B}`)).body.leads.map((lead: any) => lead.id)).toEqual([ids.leadId]);
  expect(await operator(`/admin/tenants/${B}`)).toMatchObject({ status: 200 });
});

test("with A's token, every admin route called with B's ids or filters answers 404 or an empty list, and B's data is untouched", async () => {
  // HEAD is Fastify's twin of each GET.
  const adminRoutes = registeredRoutes(stack.app)
    .filter(({ method, url }) => method !== 'HEAD' && url.startsWith('/admin'))
    .map(({ method, url }) => `${method} ${url}`);
  // A route missing from the table is one this test cannot call yet: add it to B_CALLS.
  expect(adminRoutes.sort()).toEqual(Object.keys(B_CALLS).sort());

  const before = await bSnapshot();
  const answers: string[] = [];
  for (const route of adminRoutes) {
    const { calls, operatorOnly } = B_CALLS[route]!;
    for (const call of calls(ids)) {
      const answer = await send(call, tokenA);
      const lists = Object.values(answer.body ?? {}).filter(Array.isArray);
      const refused = answer.status === 404 || (operatorOnly === true && answer.status === 403);
      const empty = answer.status === 200 && lists.length === 1 && lists[0]!.length === 0;
      answers.push(`${call.method} ${call.url} → ${refused || empty ? 'nothing of B' : `${answer.status} ${JSON.stringify(answer.body)}`}`);
      // Not even a trace of B in an error message.
      expect(JSON.stringify(answer.body)).not.toMatch(new RegExp(`${B_CUSTOMER}|Beatriz|${ids.leadId}|${ids.bookingId}`));
    }
  }
  expect(answers.filter((answer) => !answer.endsWith('nothing of B'))).toEqual([]);
  expect(answers.length).toBeGreaterThanOrEqual(adminRoutes.length);

  // Nothing A asked for reached B: the conversation still waits for B's staff, nothing was sent.
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // signals, had any gone through, act within this
  expect(await bSnapshot()).toEqual(before);
  const state = await stack.client.workflow.getHandle(B_CONVERSATION).query(stateQuery);
  expect(state.transcript.filter((entry) => entry.role === 'staff')).toEqual([]);
});
