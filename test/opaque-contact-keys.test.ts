import { WorkflowNotFoundError } from '@temporalio/client';
import demoDocument from '../tenants/demo.json';
import { contactKey } from '../src/domain/contact-key';
import { hmacSha256Hex } from '../src/secrets';
import { ContactIdKey, TenantIdKey } from '../src/temporal/search-attributes';
import { weekdayAhead } from './helpers/booking-fixtures';
import { FakeWhatsApp } from './helpers/fake-whatsapp';
import { startTestStack, TEST_CONTACT_KEY_SECRET, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

const ADMIN = { authorization: 'Bearer admin-token-for-opaque-keys-test' };
const TENANT = 'clinica-opaca';
const PHONE = '5491166661234';
const KEY = contactKey(TEST_CONTACT_KEY_SECRET, { tenantId: TENANT, channel: 'whatsapp', contactId: PHONE });
const CONVERSATION_ID = `conversation:${TENANT}:whatsapp:${KEY}`;

describe('a tenant with opaque contact keys: Temporal never names the contact by their phone', () => {
  let stack: TestStack;
  let whatsapp: FakeWhatsApp;
  let sequence = 0;
  beforeAll(async () => {
    whatsapp = await new FakeWhatsApp().start();
    stack = await startTestStack({ adminToken: ADMIN.authorization.slice('Bearer '.length) });
  });
  afterAll(async () => {
    await stack?.stop();
    await whatsapp?.stop();
  });

  /** The customer writes on the tenant's WhatsApp (a signed Cloud API webhook) and is answered at their number. */
  async function write(text: string): Promise<void> {
    const answered = whatsapp.sent(PHONE).length;
    const message = { from: PHONE, id: `wamid.opaque-${++sequence}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } };
    const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '5491100009999', phone_number_id: '100000000000001' }, contacts: [{ profile: { name: 'Rosita' }, wa_id: PHONE }], messages: [message] };
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '200000000000001', changes: [{ value, field: 'messages' }] }] });
    const response = await stack.request('POST', `/webhooks/${TENANT}/whatsapp`, body, {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${hmacSha256Hex(whatsapp.credentials().appSecret, body)}`,
    });
    expect(response.status).toBe(200);
    await waitFor(`an answer to «${text}»`, () => whatsapp.sent(PHONE).length > answered);
  }

  const runsOfTenant = async () => {
    const runs = [];
    for await (const run of stack.client.workflow.list({ query: `${TenantIdKey.name} = '${TENANT}'` })) runs.push(run);
    return runs;
  };

  test('the setting is part of the tenant document; chatting and booking leave no phone in workflow ids, search attributes or summaries; staff still find and erase by phone', async () => {
    const document = { ...demoDocument, id: TENANT, name: 'Clínica Opaca', opaqueContactKeys: true, channels: { whatsapp: { ...whatsapp.credentials(), quietPeriodMs: 0 } } };
    expect((await stack.request('POST', '/admin/tenants', document, ADMIN)).status).toBe(201);
    expect((await stack.request('GET', `/admin/tenants/${TENANT}`, undefined, ADMIN)).body.opaqueContactKeys).toBe(true);

    await write('Hola, me llamo Rosa Quiroga');
    await write(`Quiero reservar limpieza facial el ${weekdayAhead(3).toFormat('d/M')} a las 11`);
    await write('sí');
    const { rows } = await stack.db.pool.query("SELECT id FROM bookings WHERE tenant_id = $1 AND contact_id = $2 AND status <> 'cancelled'", [TENANT, PHONE]);
    expect(rows).toHaveLength(1);
    const appointmentId = `appointment:${rows[0].id}`;

    // The conversation runs under the key; its input keeps the number, which the replies went to.
    const conversation = await stack.client.workflow.getHandle(CONVERSATION_ID).describe();
    expect(conversation.typedSearchAttributes.get(ContactIdKey)).toBe(KEY);
    expect(await conversation.staticSummary()).not.toContain(PHONE);
    const appointment = stack.client.workflow.getHandle(appointmentId);
    await waitFor('the appointment keyed by contact', async () => (await appointment.describe()).typedSearchAttributes.get(ContactIdKey) === KEY, 10_000);
    await waitFor('both in visibility', async () => (await runsOfTenant()).length >= 2, 10_000);
    for (const run of await runsOfTenant()) {
      expect(run.workflowId).not.toContain(PHONE);
      expect(JSON.stringify(Object.fromEntries(run.typedSearchAttributes.getAll().map(({ key, value }) => [key.name, value])))).not.toContain(PHONE);
    }

    // Staff find the conversation by the phone they were given, and read it with its bookings.
    await waitFor('the conversation listed by phone', async () => {
      const listed = await stack.request('GET', `/admin/conversations?tenant=${TENANT}&contact=${PHONE}`, undefined, ADMIN);
      return listed.status === 200 && listed.body.conversations.some((each: { id: string }) => each.id === CONVERSATION_ID);
    }, 10_000);
    const read = await stack.request('GET', `/admin/conversations/${encodeURIComponent(CONVERSATION_ID)}`, undefined, ADMIN);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: CONVERSATION_ID, contact_id: PHONE, bookings: [expect.anything()] });

    const erased = await stack.request('DELETE', `/admin/contacts/whatsapp/${PHONE}?tenant=${TENANT}`, undefined, ADMIN);
    expect(erased.status).toBe(200);
    expect(erased.body.workflow_runs_deleted).toBeGreaterThanOrEqual(2);
    for (const workflowId of [CONVERSATION_ID, appointmentId]) {
      await waitFor(`${workflowId} deleted`, () =>
        stack.client.workflow.getHandle(workflowId).describe().then(() => false, (error) => (error instanceof WorkflowNotFoundError ? true : Promise.reject(error))),
      );
    }
  });
});
