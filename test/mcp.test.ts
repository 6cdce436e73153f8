import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { appointmentStateQuery } from '../src/workflows';
import { instant, isoDate, policy, seedBookingTenant, weekdayAhead, ZONE } from './helpers/booking-fixtures';
import { testTemporalAddress } from './helpers/services';
import { startTestStack, TEST_CONTACT_KEY_SECRET, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

/**
 * The MCP server (issue 15): the official SDK's own client, over streamable HTTP against the API
 * as production builds it and over stdio against `npm run mcp`'s entry point, on a real Temporal
 * and PostgreSQL. A tool call must do what the assistant's call does.
 */
const ADMIN_TOKEN = 'mcp-test-admin-token-0123456789';
const SERVICE = 'depilacion-laser';
const ana = { channel: 'whatsapp', contact_id: '+5491155550101' } as const;

let stack: TestStack;
let demoToken: string;
let otherToken: string;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startTestStack({ adminToken: ADMIN_TOKEN });
  await seedBookingTenant(stack.db.pool, 'other-clinic', policy(), [{ id: 'eva', serviceIds: [SERVICE] }]);
  demoToken = (await stack.backendToken('demo'))!;
  otherToken = (await stack.backendToken('other-clinic'))!;
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await stack?.stop();
});

async function connectOverHttp(token: string): Promise<Client> {
  const client = new Client({ name: 'concierge-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', stack.baseUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** A tool's answer: whether it is an error, and its JSON content. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<{ isError: boolean; content: any }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const [first] = result.content;
  if (first?.type !== 'text') throw new Error(`expected a text answer, got ${JSON.stringify(result)}`);
  return { isError: result.isError === true, content: JSON.parse(first.text) };
}

const bookingsOf = async (tenantId: string, contactId: string) =>
  (
    await stack.db.pool.query(
      `SELECT id, tenant_id, channel, contact_id, service_id, status, starts_at, customer_name FROM bookings WHERE tenant_id = $1 AND contact_id = $2 ORDER BY starts_at`,
      [tenantId, contactId],
    )
  ).rows;

/** Its appointment workflow runs and follows it, with its reminders planned, as a chat booking's does. */
async function followedByItsAppointment(booking: { id: string; starts_at: Date }) {
  const handle = stack.client.workflow.getHandle(`appointment:${booking.id}`);
  await waitFor('the appointment workflow to follow the booking', async () => {
    const state = await handle.query(appointmentStateQuery).catch(() => undefined);
    return state?.start === booking.starts_at.toISOString() && state.reminders.length > 0;
  });
  expect((await handle.describe()).status.name).toBe('RUNNING');
}

const day = weekdayAhead(4);

test('lists the tools and resources, with JSON schemas from the assistant tools’ own', async () => {
  const client = await connectOverHttp(demoToken);
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual(
    ['cancel_booking', 'check_availability', 'create_booking', 'list_bookings', 'lookup_lead', 'reschedule_booking', 'search_services', 'suggest_slots', 'update_lead'],
  );
  const create = tools.find((tool) => tool.name === 'create_booking')!;
  expect(create.inputSchema.required).toEqual(['customer', 'service', 'date', 'time']);
  expect(create.inputSchema.properties).toHaveProperty('customer.properties.channel.enum', expect.arrayContaining(['whatsapp', 'web']));
  expect(tools.find((tool) => tool.name === 'check_availability')!.inputSchema.properties).not.toHaveProperty('customer');

  const { resources } = await client.listResources();
  expect(resources.map((resource) => resource.uri).sort()).toEqual(['concierge://business-hours', 'concierge://catalogue']);
  const read = async (uri: string) => JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text);
  expect((await read('concierge://catalogue')).services).toEqual(expect.arrayContaining([expect.objectContaining({ id: SERVICE })]));
  expect(await read('concierge://business-hours')).toMatchObject({ takesAppointments: true, timeZone: ZONE, weeklyHours: expect.any(Object) });
});

test('checks availability and books over streamable HTTP: the booking is in PostgreSQL and followed by its appointment workflow', async () => {
  const client = await connectOverHttp(demoToken);
  const availability = await call(client, 'check_availability', { service: SERVICE, date: isoDate(day), time: '10:00' });
  expect(availability).toMatchObject({ isError: false, content: { date: isoDate(day), available: true } });

  const booked = await call(client, 'create_booking', { customer: ana, service: SERVICE, date: isoDate(day), time: '10:00', customer_name: 'Ana' });
  expect(booked.isError).toBe(false);
  const [booking] = await bookingsOf('demo', ana.contact_id);
  expect(booking).toMatchObject({ channel: 'whatsapp', service_id: SERVICE, status: 'confirmed', customer_name: 'Ana' });
  expect(booking.starts_at.toISOString()).toBe(instant(day, '10:00'));
  expect(JSON.stringify(booked.content)).toContain(booking.id);
  await followedByItsAppointment(booking);

  // The slot is now taken, for anyone: the same answer the assistant would get.
  const again = await call(client, 'create_booking', { customer: { channel: 'web', contact_id: 'someone-else' }, service: SERVICE, date: isoDate(day), time: '10:00' });
  expect(again.isError).toBe(true);
  expect(await bookingsOf('demo', 'someone-else')).toEqual([]);

  const mine = await call(client, 'list_bookings', { customer: ana });
  expect(JSON.stringify(mine.content)).toContain(booking.id);
});

test('a create_booking retried with its request_id (a timed-out client, say) answers as the first call did and books once', async () => {
  const client = await connectOverHttp(demoToken);
  const bruno = { channel: 'telegram', contact_id: '700100' } as const;
  const request = { customer: bruno, request_id: 'agent-7f3a-booking-1', service: SERVICE, date: isoDate(day), time: '12:00', customer_name: 'Bruno' };
  const [first, retried] = await Promise.all([call(client, 'create_booking', request), call(client, 'create_booking', request)]);
  const later = await call(client, 'create_booking', request);
  expect(first.isError).toBe(false);
  expect(retried).toEqual(first);
  expect(later).toEqual(first);
  const booked = await bookingsOf('demo', bruno.contact_id);
  expect(booked).toHaveLength(1);
  expect(JSON.stringify(first.content)).toContain(booked[0].id);

  // Another request_id is another request: the customer is refused a second booking at that time.
  const other = await call(client, 'create_booking', { ...request, request_id: 'agent-7f3a-booking-2' });
  expect(other.isError).toBe(true);
  expect(await bookingsOf('demo', bruno.contact_id)).toHaveLength(1);
  const badId = await call(client, 'create_booking', { ...request, request_id: 'has spaces' });
  expect(badId.content.error).toMatch(/^Invalid arguments, nothing was done: request_id: /);
});

test("a tenant's token cannot see or change another tenant's bookings or leads", async () => {
  const [booking] = await bookingsOf('demo', ana.contact_id);
  expect(booking).toBeDefined();
  const demo = await connectOverHttp(demoToken);
  const other = await connectOverHttp(otherToken);
  expect((await call(demo, 'update_lead', { customer: ana, name: 'Ana Pérez', email: 'ana@example.com' })).isError).toBe(false);

  expect(JSON.stringify((await call(other, 'list_bookings', { customer: ana })).content)).not.toContain(booking.id);
  expect((await call(other, 'cancel_booking', { customer: ana, booking_id: booking.id })).isError).toBe(true);
  expect((await call(other, 'reschedule_booking', { customer: ana, booking_id: booking.id, date: isoDate(day), time: '11:00' })).isError).toBe(true);
  expect((await call(other, 'lookup_lead', { customer: ana })).content).toEqual({ lead: null });
  // No argument names a tenant: one that tries is refused, not obeyed.
  expect((await call(other, 'list_bookings', { customer: ana, tenant: 'demo' })).isError).toBe(true);

  expect(await bookingsOf('demo', ana.contact_id)).toEqual([expect.objectContaining({ id: booking.id, status: 'confirmed' })]);
  expect(booking.starts_at.toISOString()).toBe(instant(day, '10:00'));
  expect((await call(demo, 'lookup_lead', { customer: ana })).content.lead).toMatchObject({ name: 'Ana Pérez', email: 'ana@example.com' });
});

test('lookup_lead only reads: a customer without a lead gets null, and none is made for them', async () => {
  const client = await connectOverHttp(demoToken);
  const stranger = { channel: 'whatsapp', contact_id: '5491155550199' };
  const leadsOf = async (contactId: string) =>
    (await stack.db.pool.query(`SELECT id, stage, score FROM leads WHERE tenant_id = 'demo' AND contact_id = $1`, [contactId])).rows;

  expect(await call(client, 'lookup_lead', { customer: stranger })).toEqual({ isError: false, content: { lead: null } });
  expect(await leadsOf(stranger.contact_id)).toEqual([]);

  const updated = await call(client, 'update_lead', { customer: stranger, name: 'Iris' });
  expect(updated.isError).toBe(false);
  const [lead] = await leadsOf(stranger.contact_id);
  // What the update answered, unchanged: the lead as stored, its missing details under the tenant's rules.
  const looked = await call(client, 'lookup_lead', { customer: stranger });
  expect(looked.content.lead).toEqual(updated.content.lead);
  expect(looked.content.lead).toMatchObject({ name: 'Iris', stage: lead.stage, score: lead.score, missing: expect.any(Array) });
  expect(await leadsOf(stranger.contact_id)).toEqual([lead]);
});

test('bad arguments get the MCP error shape: a tool result with isError and the reason, or a JSON-RPC error for an unknown tool', async () => {
  const client = await connectOverHttp(demoToken);
  const badTime = await call(client, 'create_booking', { customer: ana, service: SERVICE, date: isoDate(day), time: '25:00' });
  expect(badTime).toEqual({ isError: true, content: { error: expect.stringMatching(/^Invalid arguments, nothing was done: time: expected HH:MM/) } });
  const noCustomer = await call(client, 'create_booking', { service: SERVICE, date: isoDate(day), time: '11:00' });
  expect(noCustomer).toEqual({ isError: true, content: { error: expect.stringContaining('customer') } });
  const badContact = await call(client, 'list_bookings', { customer: { channel: 'fax', contact_id: 'a b' } });
  expect(badContact.content.error).toMatch(/customer\.channel: .*customer\.contact_id: /);
  await expect(client.callTool({ name: 'drop_tables', arguments: {} })).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
  expect(await bookingsOf('demo', ana.contact_id)).toHaveLength(1);
});

test('POST /mcp wants a tenant token: 401 without one or with a wrong one, 403 for ADMIN_TOKEN; GET is 405', async () => {
  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } };
  const accept = { accept: 'application/json, text/event-stream' };
  const post = (headers: Record<string, string>) => stack.request('POST', '/mcp', initialize, { ...accept, ...headers });
  expect(await post({})).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  expect(await post({ authorization: 'Bearer not-a-token-of-anyone-0123456789' })).toMatchObject({ status: 401 });
  expect(await post({ authorization: `Bearer ${ADMIN_TOKEN}` })).toMatchObject({ status: 403, body: { error: 'tenant_token_required' } });
  expect(await post({ authorization: `Bearer ${demoToken}` })).toMatchObject({ status: 200, body: { result: { serverInfo: { name: 'concierge' } } } });
  expect(await stack.request('GET', '/mcp', undefined, { authorization: `Bearer ${demoToken}` })).toMatchObject({ status: 405 });
});

test('over stdio (npm run mcp): lists the tools and books, for the tenant of CONCIERGE_MCP_TOKEN', async () => {
  const transport = new StdioClientTransport({
    // The command a desktop client is given (README): npm must be --silent, stdout is the protocol.
    command: 'npm',
    args: ['--prefix', path.resolve(__dirname, '..'), 'run', '--silent', 'mcp'],
    env: {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      DATABASE_URL: stack.db.url,
      CONTACT_KEY_SECRET: TEST_CONTACT_KEY_SECRET,
      CONCIERGE_MCP_TOKEN: otherToken,
      LOG_LEVEL: 'warn',
    },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'concierge-test-stdio', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  expect((await client.listTools()).tools).toHaveLength(9);
  const booked = await call(client, 'create_booking', { customer: ana, service: SERVICE, date: isoDate(day), time: '11:00' });
  expect(booked.isError).toBe(false);
  const [booking] = await bookingsOf('other-clinic', ana.contact_id);
  expect(booking).toMatchObject({ channel: 'whatsapp', service_id: SERVICE, status: 'confirmed' });
  expect(booking.starts_at.toISOString()).toBe(instant(day, '11:00'));
  await followedByItsAppointment(booking);
}, 60_000);

test("erasing a customer deletes their MCP calls' workflows too (their inputs name them), as their conversation's", async () => {
  // Found by the same search attributes the erasure looks for (its own and visibility's).
  const query = `WorkflowType = 'toolCallWorkflow' AND TenantId = 'demo' AND Channel = 'whatsapp' AND ContactId = '${ana.contact_id}'`;
  const calls: string[] = [];
  await waitFor('the MCP calls to be visible by contact', async () => {
    calls.length = 0;
    for await (const run of stack.client.workflow.list({ query })) calls.push(run.workflowId);
    return calls.length >= 2;
  });
  const erased = await stack.request('DELETE', `/admin/contacts/whatsapp/${encodeURIComponent(ana.contact_id)}?tenant=demo`, undefined, {
    authorization: `Bearer ${ADMIN_TOKEN}`,
  });
  // The sweep deleted the calls (found by those attributes) beside her appointment and lead sync;
  // the dev server takes a while to make a deleted run unfindable (test/contact-erasure.test.ts waits for it).
  expect(erased).toMatchObject({ status: 200, body: { workflow_runs_deleted: expect.any(Number) } });
  expect(erased.body.workflow_runs_deleted).toBeGreaterThanOrEqual(calls.length + 1);
});

test('POST /mcp is rate-limited per tenant: 429 with Retry-After past mcpRequestsPerTenant', async () => {
  const limited = await startTestStack({ chatRateLimits: { mcpRequestsPerTenant: 2 } });
  try {
    const headers = { accept: 'application/json, text/event-stream', authorization: `Bearer ${await limited.backendToken('demo')}` };
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await limited.request('POST', '/mcp', list, headers)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await limited.request('POST', '/mcp', list, headers);
    expect(refused).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  } finally {
    await limited.stop();
  }
});
