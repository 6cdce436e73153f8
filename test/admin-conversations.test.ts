import { saveLeadDetails } from '../src/db/leads';
import { createTenantToken } from '../src/db/tenant-tokens';
import { FakeTelegram } from './helpers/fake-telegram';
import { startTestStack, type TestStack } from './helpers/stack';
import { customerWrites, seedTelegramTenant, sentTo } from './helpers/telegram-tenant';
import { waitFor } from './helpers/wait-for';

const ADMIN_TOKEN = 'admin-token-for-conversation-tests-0123';
const CLINIC = 'conv-norte';
const OTHER = 'conv-sur';
const LUCIA = 910000001;
const PEDRO = 910000002;
const OTHER_CUSTOMER = 910000003;
const idOf = (tenant: string, chatId: number) => `conversation:${tenant}:telegram:${chatId}`;
const path = (id: string, action = '') => `/admin/conversations/${encodeURIComponent(id)}${action}`;

describe('admin conversations', () => {
  let telegram: FakeTelegram;
  let stack: TestStack;
  let clinicToken: string;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    // A short window: older messages leave the workflow's state and are only in the archive.
    stack = await startTestStack({ adminToken: ADMIN_TOKEN, conversation: { maxMessages: 2, foldBatch: 1 } });
    await seedTelegramTenant(stack, CLINIC, telegram);
    await seedTelegramTenant(stack, OTHER, telegram);
    clinicToken = await createTenantToken(stack.db.pool, CLINIC, 'staff');
    await customerWrites(stack, CLINIC, LUCIA, 'Hola');
    await customerWrites(stack, CLINIC, PEDRO, 'Hola');
    await customerWrites(stack, OTHER, OTHER_CUSTOMER, 'Hola');
    await waitFor('the three greetings answered', () => [LUCIA, PEDRO, OTHER_CUSTOMER].every((chat) => sentTo(telegram, chat).length === 1));
  });
  afterAll(async () => {
    await stack?.stop();
    await telegram?.stop();
  });

  const as = (token: string) => ({
    get: (url: string) => stack.request('GET', url, undefined, { authorization: `Bearer ${token}` }),
    post: (url: string, body?: unknown) => stack.request('POST', url, body, { authorization: `Bearer ${token}` }),
  });
  const admin = as(ADMIN_TOKEN);
  const listIds = async (query: string, token = ADMIN_TOKEN) => {
    const answer = await as(token).get(`/admin/conversations?${query}`);
    expect(answer.status).toBe(200);
    return (answer.body.conversations as { id: string }[]).map((conversation) => conversation.id).sort();
  };
  /** Visibility is eventually consistent: a change shows in the list within a moment. */
  const listShows = (query: string, ids: string[], token = ADMIN_TOKEN) =>
    waitFor(`?${query} lists ${ids.join(', ')}`, async () => JSON.stringify(await listIds(query, token)) === JSON.stringify([...ids].sort()), 10_000);

  test('lists conversations through visibility, by tenant, channel, status and contact, a page at a time', async () => {
    await listShows(`tenant=${CLINIC}`, [idOf(CLINIC, LUCIA), idOf(CLINIC, PEDRO)]);
    const [first] = (await admin.get(`/admin/conversations?tenant=${CLINIC}&contact=${LUCIA}`)).body.conversations;
    expect(first).toEqual({
      id: idOf(CLINIC, LUCIA),
      run_id: expect.any(String),
      tenant: CLINIC,
      channel: 'telegram',
      contact_id: String(LUCIA),
      display_name: null, // no lead, no earlier session that kept a name
      status: 'active',
      started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      closed_at: null,
    });
    expect(await listIds(`tenant=${CLINIC}&channel=telegram&status=active`)).toEqual([idOf(CLINIC, LUCIA), idOf(CLINIC, PEDRO)].sort());
    expect(await listIds(`tenant=${CLINIC}&channel=whatsapp`)).toEqual([]);
    expect(await listIds(`tenant=${CLINIC}&status=handoff`)).toEqual([]);
    // The operator sees every tenant; a tenant's token its own, asked or not.
    expect(await listIds(`contact=${OTHER_CUSTOMER}`)).toEqual([idOf(OTHER, OTHER_CUSTOMER)]);
    expect(await listIds('', clinicToken)).toEqual([idOf(CLINIC, LUCIA), idOf(CLINIC, PEDRO)].sort());
    // Staff see the name the contact's lead has.
    await saveLeadDetails(stack.db.pool, { tenantId: CLINIC, channel: 'telegram', contactId: String(PEDRO) }, { name: 'Pedro Gómez' }, { actor: 'staff', conversationId: idOf(CLINIC, PEDRO) });
    expect((await admin.get(`/admin/conversations?tenant=${CLINIC}&contact=${PEDRO}`)).body.conversations).toMatchObject([{ display_name: 'Pedro Gómez' }]);

    const pageOne = await admin.get(`/admin/conversations?tenant=${CLINIC}&limit=1`);
    expect(pageOne.body.conversations).toHaveLength(1);
    expect(pageOne.body.next_page_token).toEqual(expect.any(String));
    const pageTwo = await admin.get(`/admin/conversations?tenant=${CLINIC}&limit=1&page_token=${pageOne.body.next_page_token}`);
    expect(pageTwo.status).toBe(200);
    expect([...pageOne.body.conversations, ...pageTwo.body.conversations].map((conversation: { id: string }) => conversation.id).sort()).toEqual(
      [idOf(CLINIC, LUCIA), idOf(CLINIC, PEDRO)].sort(),
    );
  });

  test("one conversation: its state, its whole transcript (archived part included) in the clinic's zone, the contact's lead and bookings", async () => {
    await customerWrites(stack, CLINIC, LUCIA, '¿Dónde están?');
    await waitFor('the second answer', () => sentTo(telegram, LUCIA).length === 2);
    // Then the first exchange leaves the workflow's memory: staff read it from PostgreSQL.
    const read = () => admin.get(path(idOf(CLINIC, LUCIA)));
    await waitFor('the first exchange folded', async () => (await read()).body.state.transcript.length === 2);
    const answer = await read();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: idOf(CLINIC, LUCIA),
      tenant: CLINIC,
      channel: 'telegram',
      contact_id: String(LUCIA),
      status: 'active',
      display_name: 'Lucía',
      handoff: null,
      time_zone: 'America/Argentina/Buenos_Aires',
      bookings: [],
      state: { status: 'active', tenantId: CLINIC },
    });
    const { transcript, state } = answer.body;
    expect(transcript.map((entry: { role: string }) => entry.role)).toEqual(['customer', 'assistant', 'customer', 'assistant']);
    expect(transcript.map((entry: { text: string }) => entry.text).slice(0, 3)).toEqual(['Hola', sentTo(telegram, LUCIA)[0], '¿Dónde están?']);
    expect(transcript.map((entry: { seq: number }) => entry.seq)).toEqual([0, 1, 2, 3]);
    expect(state.transcript.map((entry: { seq: number }) => entry.seq)).toEqual([2, 3]);
  });

  test('take over, reply as staff (the reply reaches the customer on Telegram), hand back', async () => {
    const id = idOf(CLINIC, PEDRO);
    const taken = await admin.post(path(id, '/handoff'), { reason: 'Pedro asked about a refund' });
    expect(taken).toMatchObject({ status: 202, body: { conversation_id: id, accepted: 'handoff' } });
    await listShows(`tenant=${CLINIC}&status=handoff`, [id]);
    expect((await admin.get(path(id))).body).toMatchObject({ status: 'handoff', handoff: { reason: 'Pedro asked about a refund' } });

    // The customer writes meanwhile: the assistant stays silent.
    await customerWrites(stack, CLINIC, PEDRO, '¿Me devuelven la seña?');
    const replied = await as(clinicToken).post(path(id, '/messages'), { text: 'Hola Pedro, soy Marta: sí, te la devolvemos hoy.', author: 'Marta' });
    expect(replied).toMatchObject({ status: 202, body: { conversation_id: id, accepted: 'message', message_id: expect.any(String) } });
    await waitFor('the staff reply on Telegram', () => sentTo(telegram, PEDRO).includes('Hola Pedro, soy Marta: sí, te la devolvemos hoy.'));
    expect(sentTo(telegram, PEDRO)).toHaveLength(2); // the greeting's answer, then Marta: nothing from the assistant
    const during = (await admin.get(path(id))).body.transcript.slice(-2);
    expect(during).toMatchObject([
      { role: 'customer', text: '¿Me devuelven la seña?', silenced: 'handoff' },
      { role: 'staff', text: 'Hola Pedro, soy Marta: sí, te la devolvemos hoy.', author: 'Marta' },
    ]);

    // A retried reply (same message_id) is delivered once.
    const once = { text: 'Te escribo cuando esté hecha.', message_id: 'marta-2' };
    expect((await admin.post(path(id, '/messages'), once)).status).toBe(202);
    expect((await admin.post(path(id, '/messages'), once)).status).toBe(202);
    await waitFor('the second staff reply', () => sentTo(telegram, PEDRO).includes(once.text));

    expect(await admin.post(path(id, '/resume'))).toMatchObject({ status: 202, body: { conversation_id: id, accepted: 'resume' } });
    await listShows(`tenant=${CLINIC}&status=handoff`, []);
    await customerWrites(stack, CLINIC, PEDRO, 'Gracias, ¿dónde están?');
    await waitFor('the assistant answering again', () => sentTo(telegram, PEDRO).length === 4);
    expect(sentTo(telegram, PEDRO).filter((text) => text === once.text)).toHaveLength(1);
  });

  test('bad ids, bodies and filters are refused clearly; unknown and closed conversations are told apart', async () => {
    expect(await stack.request('GET', '/admin/conversations')).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(await admin.get(path('not-a-conversation'))).toMatchObject({ status: 400, body: { error: 'invalid_conversation_id' } });
    expect(await admin.get(path('conversation:conv-norte:fax:1'))).toMatchObject({ status: 400, body: { error: 'invalid_conversation_id' } });
    expect(await admin.get(path(idOf(CLINIC, 919999999)))).toMatchObject({ status: 404, body: { error: 'conversation_not_found' } });
    expect(await admin.post(path(idOf(CLINIC, 919999999), '/resume'))).toMatchObject({ status: 404, body: { error: 'conversation_not_found' } });

    const blank = await admin.post(path(idOf(CLINIC, LUCIA), '/messages'), { text: '   ' });
    expect(blank).toMatchObject({ status: 400, body: { error: 'invalid_request', issues: [{ path: 'text' }] } });
    expect((await admin.post(path(idOf(CLINIC, LUCIA), '/messages'), { text: 'x'.repeat(4097) })).status).toBe(400);
    expect((await admin.post(path(idOf(CLINIC, LUCIA), '/handoff'), { reason: 42 })).body).toMatchObject({ issues: [{ path: 'reason' }] });

    const badFilters = await admin.get('/admin/conversations?status=waiting&channel=fax&limit=0');
    expect(badFilters).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(badFilters.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['channel', 'limit', 'status']);
    // A filter value cannot reach the visibility query unchecked.
    const injected = await admin.get(`/admin/conversations?contact=${encodeURIComponent("1' OR TenantId = 'conv-sur")}`);
    expect(injected).toMatchObject({ status: 400, body: { issues: [{ path: 'contact' }] } });
    expect(await admin.get('/admin/conversations?page_token=not!a!token')).toMatchObject({ status: 400, body: { issues: [{ path: 'page_token' }] } });
    // A token this API did not issue never reaches Temporal (whose server fails on a well-formed one of the wrong types).
    const forged = `${Buffer.from('{"StartTime":[1]}').toString('base64url')}.${'0'.repeat(32)}`;
    for (const token of ['bm90LWEtcGFnZS10b2tlbg', forged]) {
      expect(await admin.get(`/admin/conversations?page_token=${token}`)).toMatchObject({ status: 400, body: { error: 'invalid_page_token' } });
    }

    // A conversation that is over takes no staff action: it opens again when the customer writes.
    await customerWrites(stack, OTHER, 910000004, 'Hola');
    await waitFor('its answer', () => sentTo(telegram, 910000004).length === 1);
    await stack.client.workflow.getHandle(idOf(OTHER, 910000004)).terminate('test: the conversation is over');
    expect(await admin.post(path(idOf(OTHER, 910000004), '/messages'), { text: 'Hola' })).toMatchObject({ status: 409, body: { error: 'conversation_closed' } });
    expect((await admin.get(path(idOf(OTHER, 910000004)))).body).toMatchObject({ status: 'closed', transcript: [{ text: 'Hola' }, { role: 'assistant' }] });
    await listShows(`tenant=${OTHER}&status=closed`, [idOf(OTHER, 910000004)]);
  });
});
