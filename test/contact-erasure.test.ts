import { WorkflowNotFoundError } from '@temporalio/client';
import { holdInboundMessage } from '../src/db/inbound-inbox';
import type { Pool } from '../src/db/pool';
import { hmacSha256Hex } from '../src/secrets';
import { weekdayAhead } from './helpers/booking-fixtures';
import { FakeGoogleCalendar } from './helpers/fake-google-calendar';
import { FakeWhatsApp } from './helpers/fake-whatsapp';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

const ADMIN = { authorization: 'Bearer admin-token-for-erasure-test' };

/** Two WhatsApp customers of the demo clinic; the first asks to be forgotten. */
const ROSA = { phone: '5491155550123', profile: 'Rosita Q', name: 'Rosa Quiroga', email: 'rosa.quiroga@example.com', secret: 'mi perro Zanahorio come frutillas' };
const TOMAS = { phone: '5491155550456', profile: 'Tomi B', name: 'Tomas Benitez', email: 'tomas.benitez@example.com' };
const needlesOf = (who: { phone: string; profile: string; name: string; email: string; secret?: string }) =>
  [who.phone, who.profile, who.name, who.email, ...(who.secret ? [who.secret] : [])];

/** Every table of the database, each row read whole as text: where a needle occurs, and how often. */
async function whereStored(pool: Pool, needle: string): Promise<Record<string, number>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name} t WHERE strpos(lower(t::text), lower($1)) > 0`, [needle]);
    if (rows[0]!.n > 0) found[name] = rows[0]!.n;
  }
  return found;
}

describe('erasing a contact (DELETE /admin/contacts/:channel/:contact)', () => {
  let stack: TestStack;
  let whatsapp: FakeWhatsApp;
  let google: FakeGoogleCalendar;
  let sequence = 0;
  /** The clinic keeps its agenda in Google Calendar too: each booking's event names its customer. */
  const AGENDA = 'agenda@clinica.example';
  beforeAll(async () => {
    [whatsapp, google] = await Promise.all([new FakeWhatsApp().start(), new FakeGoogleCalendar().start()]);
    stack = await startTestStack({
      channels: { whatsapp: { ...whatsapp.credentials(), quietPeriodMs: 0 } },
      adminToken: ADMIN.authorization.slice('Bearer '.length),
      conversation: { idleTimeoutMs: 3_000 },
    });
    await stack.db.pool.query(`INSERT INTO tenant_calendars (tenant_id, provider, config) VALUES ('demo', 'google', $1)`, [google.settings()]);
    await stack.db.pool.query(`UPDATE resources SET calendar = $1 WHERE tenant_id = 'demo'`, [{ provider: 'google', calendarId: AGENDA }]);
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all([whatsapp?.stop(), google?.stop()]);
  });
  const liveEventOf = (bookingId: string) => google.events(AGENDA).filter((event) => event.status === 'confirmed' && event.description?.includes(bookingId));

  /** A customer writes on WhatsApp (a signed Cloud API webhook) and the assistant's answer goes out. */
  async function write(who: { phone: string; profile: string }, text: string): Promise<void> {
    const answered = whatsapp.sent(who.phone).length;
    const message = { from: who.phone, id: `wamid.erasure-${++sequence}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } };
    const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '5491100009999', phone_number_id: '100000000000001' }, contacts: [{ profile: { name: who.profile }, wa_id: who.phone }], messages: [message] };
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '200000000000001', changes: [{ value, field: 'messages' }] }] });
    const response = await stack.request('POST', '/webhooks/demo/whatsapp', body, {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${hmacSha256Hex(whatsapp.credentials().appSecret, body)}`,
    });
    expect(response.status).toBe(200);
    await waitFor(`an answer to «${text}»`, () => whatsapp.sent(who.phone).length > answered);
  }

  async function introduceAndBook(who: typeof ROSA | typeof TOMAS, day: string, time: string): Promise<string> {
    await write(who, `Hola, me llamo ${who.name}, mi mail es ${who.email}`);
    await write(who, `Quiero reservar limpieza facial el ${day} a las ${time}`);
    await write(who, 'sí');
    const { rows } = await stack.db.pool.query("SELECT id FROM bookings WHERE contact_id = $1 AND status <> 'cancelled'", [who.phone]);
    expect(rows).toHaveLength(1);
    return rows[0].id;
  }

  const leadIdOf = async (phone: string) => (await stack.db.pool.query('SELECT id FROM leads WHERE contact_id = $1', [phone])).rows[0]?.id as string;
  const workflowIdsOf = async (phone: string, bookingId: string) => [
    `conversation:demo:whatsapp:${phone}`,
    `appointment:${bookingId}`,
    `lead-sync:demo:${await leadIdOf(phone)}`,
  ];
  const isGone = (workflowId: string) =>
    stack.client.workflow
      .getHandle(workflowId)
      .describe()
      .then(() => false, (error) => (error instanceof WorkflowNotFoundError ? true : Promise.reject(error)));
  const runsOf = async (query: string) => {
    const runs = [];
    for await (const run of stack.client.workflow.list({ query })) runs.push(run);
    return runs;
  };

  test("leaves no phone, name, e-mail or message of theirs in any table and no workflow; another customer's data is untouched; another tenant's token cannot", async () => {
    const rosaBooking = await introduceAndBook(ROSA, weekdayAhead(3).toFormat('d/M'), '11');
    const tomasBooking = await introduceAndBook(TOMAS, weekdayAhead(4).toFormat('d/M'), '15');
    // Their sessions close (transcripts archived); Rosa writes again and asks for a person.
    const closedSession = (phone: string) => async () =>
      (await stack.db.pool.query('SELECT 1 FROM conversation_sessions WHERE contact_id = $1 AND closed_at IS NOT NULL', [phone])).rowCount === 1;
    await waitFor("Rosa's first session archived", closedSession(ROSA.phone));
    await waitFor("Tomás's session archived", closedSession(TOMAS.phone));
    await write(ROSA, ROSA.secret);
    await write(ROSA, 'Quiero hablar con una persona');
    await waitFor('staff notified', async () => (await stack.db.pool.query('SELECT 1 FROM staff_notifications')).rowCount === 1);
    // The turn settled: what an activity still running would write after the erasure is only
    // caught by its second pass, if it comes by then.
    const rosaConversation = stack.client.workflow.getHandle(`conversation:demo:whatsapp:${ROSA.phone}`);
    await waitFor("Rosa's turn settled", async () => ((await rosaConversation.describe()).raw.pendingActivities ?? []).length === 0);
    await waitFor('both bookings in the Google agenda', () => liveEventOf(rosaBooking).length === 1 && liveEventOf(tomasBooking).length === 1);
    expect(JSON.stringify(liveEventOf(rosaBooking))).toContain(ROSA.email);

    // Before: each of Rosa's details is stored somewhere, and her workflows run.
    for (const needle of needlesOf(ROSA)) expect(Object.keys(await whereStored(stack.db.pool, needle))).not.toEqual([]);
    expect(await whereStored(stack.db.pool, ROSA.phone)).toEqual(
      expect.objectContaining({ contacts: 1, leads: 1, bookings: 1, outbound_messages: expect.any(Number), conversation_sessions: 2, staff_notifications: 1 }),
    );
    const rosaWorkflows = await workflowIdsOf(ROSA.phone, rosaBooking);
    for (const workflowId of rosaWorkflows) expect((await stack.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
    const tomasBefore = await Promise.all(needlesOf(TOMAS).map((needle) => whereStored(stack.db.pool, needle)));

    // Another tenant's token: Rosa is not found, by naming her tenant or not, and nothing is erased.
    await stack.db.pool.query(`INSERT INTO tenants (id, name, time_zone, language) VALUES ('other', 'Otra', 'America/Argentina/Buenos_Aires', 'es')`);
    const other = { authorization: `Bearer ${await stack.backendToken('other')}` };
    const named = await stack.request('DELETE', `/admin/contacts/whatsapp/${ROSA.phone}?tenant=demo`, undefined, other);
    expect([named.status, named.body.error]).toEqual([404, 'unknown_tenant']);
    const unnamed = await stack.request('DELETE', `/admin/contacts/whatsapp/${ROSA.phone}`, undefined, other);
    expect([unnamed.status, unnamed.body.error]).toEqual([404, 'contact_not_found']);
    expect(await whereStored(stack.db.pool, ROSA.email)).toEqual(expect.objectContaining({ leads: 1 }));
    expect(await stack.client.workflow.getHandle(rosaWorkflows[0]!).describe()).toMatchObject({ status: { name: 'RUNNING' } });

    // A message of hers acknowledged to Meta but not yet handed to her conversation (Temporal was
    // away, say): erased with the rest, not delivered afterwards into a conversation of no one.
    const undelivered = { id: 'wamid.undelivered', text: ROSA.secret, receivedAt: new Date().toISOString() };
    await holdInboundMessage(stack.db.pool, { ref: { tenantId: 'demo', channel: 'whatsapp', contactId: ROSA.phone }, message: undelivered }, 3_600_000);

    const erased = await stack.request('DELETE', `/admin/contacts/whatsapp/${ROSA.phone}?tenant=demo`, undefined, ADMIN);
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({
      tenant: 'demo',
      channel: 'whatsapp',
      erased: expect.objectContaining({ contacts: 1, conversation_sessions: 2, leads: 1, staff_notifications: 1, inbound_messages_undelivered: 1 }),
      bookings: { anonymised: 1, cancelled: 1 },
      other_leads_without_the_phone: 0,
      workflow_runs_deleted: expect.any(Number),
      calendar_events_deleted: 1,
    });
    expect(erased.body.erased.conversation_messages).toBeGreaterThanOrEqual(8);
    expect(erased.body.erased.outbound_messages).toBeGreaterThanOrEqual(4);
    expect(erased.body.erased.lead_events).toBeGreaterThanOrEqual(1);
    // Both sessions' conversation runs, the appointment and the lead push, at least.
    expect(erased.body.workflow_runs_deleted).toBeGreaterThanOrEqual(4);

    // After: none of Rosa's details in any column of any table.
    for (const needle of needlesOf(ROSA)) expect([needle, await whereStored(stack.db.pool, needle)]).toEqual([needle, {}]);
    // Her booking stays in the clinic's books with no one in it, cancelled: the slot is free again.
    const { rows: kept } = await stack.db.pool.query('SELECT contact_id, customer_name, status FROM bookings WHERE id = $1', [rosaBooking]);
    expect(kept).toEqual([{ contact_id: `erased-${rosaBooking}`, customer_name: null, status: 'cancelled' }]);
    // Her workflows are gone, histories included; none runs or is listed under her number. The
    // server deletes a run that closed moments before (her first session) only once its close is
    // in visibility, retrying with a backoff: on the dev server that takes up to about a minute.
    await waitFor("Rosa's workflows deleted", async () => (await Promise.all(rosaWorkflows.map(isGone))).every(Boolean));
    const rosaRuns = `ContactId = '${ROSA.phone}' OR WorkflowId IN (${rosaWorkflows.map((id) => `'${id}'`).join(', ')})`;
    expect((await runsOf(rosaRuns)).filter((run) => run.status.name === 'RUNNING')).toEqual([]);
    await waitFor('nothing of Rosa listed in Temporal', async () => (await runsOf(rosaRuns)).length === 0, 120_000);

    // Her event is gone from the clinic's Google agenda (its time free again there); Tomás's stays.
    expect(liveEventOf(rosaBooking)).toEqual([]);
    expect(liveEventOf(tomasBooking)).toHaveLength(1);
    const liveEvents = JSON.stringify(google.events(AGENDA).filter((event) => event.status === 'confirmed'));
    for (const needle of needlesOf(ROSA)) expect([needle, liveEvents.includes(needle)]).toEqual([needle, false]);

    // Tomás: every row as it was, his appointment and lead push still running.
    expect(await Promise.all(needlesOf(TOMAS).map((needle) => whereStored(stack.db.pool, needle)))).toEqual(tomasBefore);
    for (const workflowId of (await workflowIdsOf(TOMAS.phone, tomasBooking)).slice(1)) {
      expect((await stack.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
    }

    // Erased once: a second request finds nothing.
    const again = await stack.request('DELETE', `/admin/contacts/whatsapp/${ROSA.phone}?tenant=demo`, undefined, ADMIN);
    expect([again.status, again.body.error]).toEqual([404, 'contact_not_found']);
  }, 240_000);

  test('the erased number is taken off the lead of a web chat that gave it: writing again from it, no one is recognised', async () => {
    const marta = { phone: '5491155550789', profile: 'Marta' };
    const lastReply = () => whatsapp.sent(marta.phone).at(-1)?.text?.body as string | undefined;
    await stack.request('POST', '/api/chat', { session_id: 'erasure-web', message: 'Hola, soy Marta Gil, mi teléfono es +54 9 11 5555 0789' });
    await write(marta, 'Hola!');
    expect(lastReply()).toMatch(/^¡Hola, Marta!/);

    const erased = await stack.request('DELETE', `/admin/contacts/whatsapp/${marta.phone}?tenant=demo`, undefined, ADMIN);
    expect(erased.body).toMatchObject({ erased: { conversation_sessions: 1 }, other_leads_without_the_phone: 1 });
    // The web chat's lead is that contact's own and stays, without the phone, in its trail too.
    const { rows: webLead } = await stack.db.pool.query("SELECT id, name, phone FROM leads WHERE contact_id = 'erasure-web'");
    expect(webLead).toEqual([{ id: expect.any(String), name: 'Marta Gil', phone: null }]);
    const { rows: trail } = await stack.db.pool.query('SELECT change FROM lead_events WHERE lead_id = $1', [webLead[0].id]);
    expect(trail.length).toBeGreaterThan(0);
    expect(JSON.stringify(trail)).not.toContain(marta.phone);

    await write(marta, 'Hola!');
    expect(lastReply()).not.toMatch(/Marta/);
  }, 60_000);

  test('a bad channel or contact id is refused with 400 naming the field; no token, 401', async () => {
    const bad = await stack.request('DELETE', "/admin/contacts/fax/12'34?tenant=demo", undefined, ADMIN);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['channel', 'contact']);
    expect((await stack.request('DELETE', `/admin/contacts/whatsapp/${TOMAS.phone}?tenant=demo`, undefined, {})).status).toBe(401);
  });
});
