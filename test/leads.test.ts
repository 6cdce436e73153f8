import type { CrmSettings } from '../src/crm/adapter';
import { stateQuery } from '../src/workflows';
import { weekdayAhead } from './helpers/booking-fixtures';
import { FakeBitrix24Crm } from './helpers/fake-bitrix24-crm';
import { FakeCrmWebhook } from './helpers/fake-crm-webhook';
import { FakeHubSpot } from './helpers/fake-hubspot';
import { FakeKrayin } from './helpers/fake-krayin';
import { startTestStack, type TestStack } from './helpers/stack';
import { activityTypeOf } from './helpers/history';
import { waitFor } from './helpers/wait-for';

/** A CRM fake, and how many leads it holds that the assistant pushed, with their e-mails. */
interface CrmUnderTest {
  settings(): CrmSettings;
  pushed(): { email: string | undefined; stage: string }[];
  stop(): Promise<void>;
}

const WEBHOOK_SECRET = 'whsec-concierge-test-0001';

const CRMS: Record<string, () => Promise<CrmUnderTest>> = {
  bitrix24: async () => {
    const portal = await new FakeBitrix24Crm().start();
    return {
      settings: () => ({ provider: 'bitrix24', baseUrl: portal.baseUrl }),
      pushed: () => portal.leads().map((lead) => ({ email: lead.EMAIL?.[0]?.VALUE, stage: lead.STATUS_ID })),
      stop: () => portal.stop(),
    };
  },
  krayin: async () => {
    const krayin = await new FakeKrayin().start();
    return {
      settings: () => ({ provider: 'krayin', baseUrl: krayin.baseUrl, token: krayin.token }),
      pushed: () =>
        krayin.leads().map((lead: any) => ({
          email: krayin.persons().find((person: any) => person.id === lead.person_id)?.emails?.[0]?.value,
          stage: String(lead.lead_pipeline_stage_id),
        })),
      stop: () => krayin.stop(),
    };
  },
  hubspot: async () => {
    const hubspot = await new FakeHubSpot().start();
    return {
      settings: () => ({ provider: 'hubspot', baseUrl: hubspot.baseUrl, token: hubspot.token }),
      pushed: () =>
        hubspot.deals().map((deal: any) => ({
          email: hubspot.contacts().find((contact: any) => deal.associations?.some((to: any) => String(to.id) === String(contact.id)))?.properties.email,
          stage: deal.properties.dealstage,
        })),
      stop: () => hubspot.stop(),
    };
  },
  webhook: async () => {
    const receiver = await new FakeCrmWebhook(WEBHOOK_SECRET).start();
    return {
      settings: () => ({ provider: 'webhook', baseUrl: receiver.url, webhookSecret: WEBHOOK_SECRET }),
      pushed: () => receiver.received.filter((push) => push.body.event === 'lead.created').map((push) => ({ email: push.body.lead.email, stage: push.body.lead.stage })),
      stop: () => receiver.stop(),
    };
  },
};

const CONVERSATIONS = [
  {
    language: 'Spanish',
    email: 'ana.perez@example.com',
    name: 'Ana Pérez',
    introduce: 'Hola! me llamo Ana Pérez, mi mail es ana.perez@example.com. Me interesa la depilación láser',
    book: (day: string) => `Quiero reservar depilación láser el ${day} a las 10`,
    yes: 'sí',
    service: 'Depilación láser',
  },
  {
    language: 'English',
    email: 'ben.carter@example.com',
    name: 'Ben Carter',
    introduce: "Hi, I'm Ben Carter, my email is ben.carter@example.com and I'm interested in a chemical peel",
    book: (day: string) => `Can I book a chemical peel on ${day} at 11am?`,
    yes: 'yes please',
    service: 'Peeling químico',
  },
];

/**
 * Issue 12, acceptance 1: a conversation with the offline model that gives a name, an e-mail and
 * an interest makes exactly one lead in PostgreSQL and one in the tenant's CRM (each CRM's fake
 * checks the requests' exact shapes in its own unit test); the booking made in it carries the name.
 */
describe.each(Object.keys(CRMS))('leads pushed to %s', (provider) => {
  let crm: CrmUnderTest;
  let stack: TestStack;
  beforeAll(async () => {
    crm = await CRMS[provider]!();
    stack = await startTestStack({ demoCrm: crm.settings(), adminToken: 'admin-token-for-leads-test' });
  });
  afterAll(async () => {
    await stack?.stop();
    await crm?.stop();
  });

  test.each(CONVERSATIONS)('$language: name, e-mail and interest make one lead, here and in the CRM; the booking carries the name', async (script) => {
    const session = `lead-${provider}-${script.language}`;
    const say = async (message: string) => (await stack.request('POST', '/api/chat', { session_id: session, message })).body.reply as string;
    const first = weekdayAhead(3);

    expect(await say(script.introduce)).toMatch(new RegExp(script.name.split(' ')[0]!));
    const day = script.language === 'Spanish' ? first.toFormat('d/M') : first.setLocale('en').toFormat('MMMM d');
    expect(await say(script.book(day))).toMatch(/\?$/);
    expect(await say(script.yes)).toMatch(/✅/);

    const { rows: leads } = await stack.db.pool.query('SELECT name, email, interests, stage FROM leads WHERE contact_id = $1', [session]);
    expect(leads).toEqual([{ name: script.name, email: script.email, interests: [script.service], stage: 'appointment_booked' }]);
    const { rows: bookings } = await stack.db.pool.query('SELECT customer_name FROM bookings WHERE contact_id = $1', [session]);
    expect(bookings).toEqual([{ customer_name: script.name }]);
    // Ops see the lead in the conversation's state.
    const state = await stack.client.workflow.getHandle(`conversation:demo:web:${session}`).query(stateQuery);
    expect(state.lead).toMatchObject({ name: script.name, stage: 'appointment_booked', score: expect.any(Number) });

    await waitFor(`the lead in ${provider}, at its booked stage`, async () => {
      const { rows } = await stack.db.pool.query("SELECT crm_status FROM leads WHERE contact_id = $1", [session]);
      return rows[0]?.crm_status === 'synced';
    });
    const mine = crm.pushed().filter((lead) => lead.email === script.email);
    expect(mine).toHaveLength(1);

    const listed = await stack.request('GET', `/admin/leads?tenant=demo&stage=appointment_booked`, undefined, { authorization: 'Bearer admin-token-for-leads-test' });
    expect(listed.body.leads.filter((lead: any) => lead.email === script.email)).toEqual([
      expect.objectContaining({ name: script.name, stage: 'appointment_booked', crm: expect.objectContaining({ status: 'synced', error: null }) }),
    ]);
  }, 60_000);
});

/** Issue 12, acceptance 6: a CRM that refuses the lead is not retried forever, and staff can push it again. */
test('a lead the CRM refuses is marked failed with its error, shown in /admin/leads, and pushed once the CRM is fixed', async () => {
  const receiver = await new FakeCrmWebhook(WEBHOOK_SECRET).start();
  const stack = await startTestStack({ demoCrm: { provider: 'webhook', baseUrl: receiver.url, webhookSecret: WEBHOOK_SECRET }, adminToken: 'admin-token-for-leads-test' });
  const admin = { authorization: 'Bearer admin-token-for-leads-test' };
  try {
    receiver.failWith(401);
    await stack.request('POST', '/api/chat', { session_id: 'lead-refused', message: 'Hola, soy Carla Ruiz, mi correo es carla@example.com' });
    const leadOf = async () => (await stack.request('GET', '/admin/leads?tenant=demo', undefined, admin)).body.leads.find((lead: any) => lead.email === 'carla@example.com');
    await waitFor('the refusal recorded', async () => (await leadOf())?.crm.status === 'failed');
    expect((await leadOf()).crm.error).toMatch(/401/);
    // A refusal is not retried: each push (the details, then the turn's note) made one attempt, one request.
    const sync = stack.client.workflow.getHandle((await leadOf()).sync_workflow_id);
    // The attempts of each push, from the history: a started event names its scheduled one.
    const attempts = async () => {
      const events = (await sync.fetchHistory()).events ?? [];
      const pushes = new Set(events.filter((event) => activityTypeOf(event) === 'pushLeadToCrm').map((event) => String(event.eventId)));
      return events.flatMap((event) => {
        const started = event.activityTaskStartedEventAttributes;
        return started && pushes.has(String(started.scheduledEventId)) ? [started.attempt] : [];
      });
    };
    await waitFor('no push left running', async () => ((await sync.describe()).raw.pendingActivities ?? []).length === 0);
    const settled = await attempts();
    expect(settled).toEqual(settled.map(() => 1));
    expect(receiver.requests.length).toBe(settled.length);

    receiver.recover();
    const pushed = await stack.request('POST', `/admin/leads/${(await leadOf()).id}/push?tenant=demo`, undefined, admin);
    expect(pushed.status).toBe(202);
    await waitFor('the lead pushed', async () => (await leadOf())?.crm.status === 'synced');
    expect(receiver.received.filter((push) => push.body.event === 'lead.created' && push.body.lead.email === 'carla@example.com')).toHaveLength(1);

    // Another tenant's token does not find it.
    await stack.db.pool.query(`INSERT INTO tenants (id, name, time_zone, language) VALUES ('other', 'Otra', 'America/Argentina/Buenos_Aires', 'es')`);
    const other = await stack.backendToken('other');
    const foreign = await stack.request('POST', `/admin/leads/${(await leadOf()).id}/push`, undefined, { authorization: `Bearer ${other}` });
    expect(foreign.status).toBe(404);
    expect((await stack.request('GET', '/admin/leads', undefined, { authorization: `Bearer ${other}` })).body.leads).toEqual([]);
  } finally {
    await stack.stop();
    await receiver.stop();
  }
}, 60_000);

/**
 * Issue 12, acceptance 4 and 5: a returning customer is greeted by name and their lead updated,
 * not duplicated; a booking moves the stage forward and a cancel back, here and in the CRM.
 */
test('a returning customer is greeted by name; booking and cancelling move the stage forward and back, here and in Bitrix24', async () => {
  const portal = await new FakeBitrix24Crm().start();
  const stack = await startTestStack({ demoCrm: { provider: 'bitrix24', baseUrl: portal.baseUrl }, conversation: { idleTimeoutMs: 1_500 } });
  const session = 'lead-returning';
  const say = async (message: string) => (await stack.request('POST', '/api/chat', { session_id: session, message })).body.reply as string;
  const lead = async () => (await stack.db.pool.query('SELECT id, name, phone, stage, crm_status FROM leads WHERE contact_id = $1', [session])).rows;
  const portalLead = () => portal.leads().filter((candidate) => candidate.EMAIL?.[0]?.VALUE === 'carmen@example.com');
  const synced = (label: string) => waitFor(label, async () => (await lead())[0]?.crm_status === 'synced');
  try {
    expect(await say('Hola, me llamo Carmen Díaz, mi mail es carmen@example.com')).toMatch(/^¡Gracias, Carmen!/);
    const handle = stack.client.workflow.getHandle(`conversation:demo:web:${session}`);
    const firstRun = (await handle.describe()).runId;
    await handle.result(); // the session closes when idle

    expect(await say('Hola!')).toMatch(/^¡Hola, Carmen!/);
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect(await say('mi teléfono es +54 9 11 5555 1234')).toMatch(/^¡Gracias, Carmen!/);
    expect(await lead()).toEqual([expect.objectContaining({ name: 'Carmen Díaz', phone: '+5491155551234', stage: 'new' })]);
    await synced('the phone pushed');
    expect(portalLead()).toHaveLength(1);
    expect(portalLead()[0]!.PHONE?.map((phone: { VALUE: string }) => phone.VALUE)).toEqual(['+5491155551234']);

    await say(`Quiero reservar limpieza facial el ${weekdayAhead(3).toFormat('d/M')} a las 11`);
    expect(await say('sí')).toMatch(/✅/);
    await waitFor('the booked stage in Bitrix24', () => portalLead()[0]?.STATUS_ID === 'PROCESSED');
    expect((await lead())[0].stage).toBe('appointment_booked');

    expect(await say('quiero cancelar mi turno')).toMatch(/cancelé/);
    await waitFor('the stage back in Bitrix24', () => portalLead()[0]?.STATUS_ID === 'IN_PROCESS');
    expect(await lead()).toEqual([expect.objectContaining({ stage: 'qualified' })]);
    expect(portalLead()).toHaveLength(1);

    // Each turn's outcome is on the lead's timeline; the lead, hot since the booking, got one follow-up task.
    const timeline = () => portal.notes().filter((note) => String(note.ENTITY_ID) === portalLead()[0]!.ID).map((note) => String(note.COMMENT));
    await waitFor('the cancel on the timeline', () => timeline().some((comment) => comment.includes('cancellation')));
    expect(timeline().some((comment) => comment.includes('«quiero cancelar mi turno» → list_my_bookings, cancel_booking'))).toBe(true);
    expect(portal.todos()).toHaveLength(1);
  } finally {
    await stack.stop();
    await portal.stop();
  }
}, 60_000);

/**
 * Identity enrichment: a WhatsApp contact (the channel proves their phone) who gave that phone
 * earlier in the web chat is recognised; a phone merely typed in the web chat recognises no one.
 */
test('a WhatsApp customer whose phone a web lead gave is greeted by that name, and the CRM keeps one lead; a typed phone reveals nothing', async () => {
  const portal = await new FakeBitrix24Crm().start();
  const stack = await startTestStack({ demoCrm: { provider: 'bitrix24', baseUrl: portal.baseUrl } });
  const say = async (session: string, message: string) => (await stack.request('POST', '/api/chat', { session_id: session, message })).body.reply as string;
  const leads = async () => (await stack.db.pool.query("SELECT channel, name, crm_status, crm_external_id FROM leads WHERE phone = '+5491155550777' ORDER BY channel")).rows;
  await stack.db.pool.query("UPDATE tenants SET burst_quiet_ms = 0 WHERE id = 'demo'"); // one message, one turn: no wait for more
  try {
    await say('identity-web', 'Hola, soy Marta Gil, mi teléfono es +54 9 11 5555 0777');
    await waitFor('the web lead pushed', async () => (await leads())[0]?.crm_status === 'synced');
    // Someone else typing that phone in another web chat learns nothing about Marta.
    expect(await say('identity-stranger', 'mi número es +54 9 11 5555 0777')).toMatch(/^¡Gracias! /);

    const whatsapp = stack.client.workflow.getHandle('conversation:demo:whatsapp:5491155550777');
    const replies = async () => (await whatsapp.query(stateQuery)).transcript.filter((entry) => entry.role === 'assistant').map((entry) => entry.text);
    await stack.deliver('whatsapp', '5491155550777', 'Hola!');
    await waitFor('the greeting', async () => (await replies().catch(() => [])).length === 1);
    expect((await replies())[0]).toMatch(/^¡Hola, Marta!/);

    await stack.deliver('whatsapp', '5491155550777', `Quiero reservar limpieza facial el ${weekdayAhead(3).toFormat('d/M')} a las 11`);
    await waitFor('the summary', async () => (await replies()).length === 2);
    await stack.deliver('whatsapp', '5491155550777', 'sí');
    await waitFor('the WhatsApp lead pushed', async () => (await leads()).some((lead) => lead.channel === 'whatsapp' && lead.crm_status === 'synced'));
    const [web, byWhatsapp] = [(await leads()).find((lead) => lead.channel === 'web'), (await leads()).find((lead) => lead.channel === 'whatsapp')];
    expect(byWhatsapp).toMatchObject({ name: 'Marta Gil', crm_external_id: web!.crm_external_id });
    expect(portal.leads().filter((lead) => lead.PHONE?.some((phone: { VALUE: string }) => phone.VALUE === '+5491155550777'))).toHaveLength(1);
  } finally {
    await stack.stop();
    await portal.stop();
  }
}, 60_000);
