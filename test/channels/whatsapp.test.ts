import { WorkflowNotFoundError } from '@temporalio/client';
import { whatsappAdapter } from '../../src/channels/whatsapp';
import type { TranscriptEntry } from '../../src/domain/conversation';
import { hmacSha256Hex } from '../../src/secrets';
import { stateQuery } from '../../src/workflows';
import { FAKE_ACCESS_TOKEN, FakeWhatsApp } from '../helpers/fake-whatsapp';
import { fixtureBody, fixtureJson, fixtureNames } from '../helpers/fixtures';
import { startTestStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

const WEBHOOK = '/webhooks/demo/whatsapp';
const APP_SECRET = 'test_app_secret_0123456789abcdef';
/** The customer of every fixture; tests that need a conversation of their own swap in another number. */
const FIXTURE_CUSTOMER = '5491100000001';

const sign = (body: string) => `sha256=${hmacSha256Hex(APP_SECRET, body)}`;

/** A fixture as another customer wrote it (wamids are kept: they are unique per conversation anyway). */
const asCustomer = (fixture: string, waId: string) => fixtureBody(fixture).replaceAll(FIXTURE_CUSTOMER, waId);

/** A `messages` notification as Meta sends it, for the documented cases there is no fixture of. */
function notification(value: Record<string, unknown>, field = 'messages', businessNumber = '5491100009999'): string {
  const metadata = { display_phone_number: businessNumber, phone_number_id: '100000000000001' };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '200000000000001', changes: [{ value: { messaging_product: 'whatsapp', metadata, ...value }, field }] }] });
}

function customerMessage(waId: string, name: string, message: Record<string, unknown>): Record<string, unknown> {
  return { contacts: [{ profile: { name }, wa_id: waId }], messages: [{ from: waId, timestamp: '1735725600', ...message }] };
}

describe('WhatsApp Cloud API webhook', () => {
  let stack: TestStack;
  let whatsapp: FakeWhatsApp;
  beforeAll(async () => {
    whatsapp = await new FakeWhatsApp().start();
    stack = await startTestStack({ channels: { whatsapp: { ...whatsapp.credentials(), quietPeriodMs: 0 } } });
  });
  afterAll(async () => {
    await stack.stop();
    await whatsapp.stop();
  });

  const post = (body: string, headers: Record<string, string> = { 'x-hub-signature-256': sign(body) }) =>
    stack.request('POST', WEBHOOK, body, { 'content-type': 'application/json', ...headers });
  const conversation = (waId: string) => stack.client.workflow.getHandle(`conversation:demo:whatsapp:${waId}`);
  const stateOf = (waId: string) => conversation(waId).query(stateQuery);
  const customerEntries = async (waId: string) =>
    (await stateOf(waId)).transcript.filter((entry): entry is Extract<TranscriptEntry, { role: 'customer' }> => entry.role === 'customer');
  const expectNoConversation = (waId: string) => expect(conversation(waId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

  test('the signed text fixture is acknowledged and answered through the Cloud API, exactly as Meta expects the request', async () => {
    const signature = fixtureJson('whatsapp-cloud.text.signature.json');
    const response = await post(fixtureBody(signature.body_file), { [signature.header_name]: signature.header_value });
    expect(response.status).toBe(200);

    await waitFor('the reply', () => whatsapp.sent(FIXTURE_CUSTOMER).length > 0);
    const expected = fixtureJson('whatsapp-cloud.send-text.request.json');
    const request = whatsapp.requests.find((candidate) => candidate.body?.to === FIXTURE_CUSTOMER)!;
    expect(request.method).toBe(expected.method);
    expect(request.path).toBe(new URL(expected.url).pathname);
    expect(request.headers.authorization).toBe(expected.headers.Authorization);
    expect(request.headers['content-type']).toBe(expected.headers['Content-Type']);
    expect(request.body).toEqual({ ...expected.body, text: { preview_url: false, body: expect.any(String) } });
    expect(request.body.text.body.length).toBeGreaterThan(0);

    const state = await stateOf(FIXTURE_CUSTOMER);
    expect(state.displayName).toBe('Lucía Fernández');
    const [entry] = state.transcript;
    expect(entry).toMatchObject({ role: 'customer', messageId: fixtureJson('whatsapp-cloud.text.json').entry[0].changes[0].value.messages[0].id, text: 'Hola, quiero reservar un turno para mañana' });
  });

  test('a forged signature is refused with 403 and a missing one with 401; neither starts a conversation', async () => {
    const body = asCustomer('whatsapp-cloud.text.json', '5491100000101');
    const forged = await post(body, { 'x-hub-signature-256': sign(`${body} `) });
    expect(forged.status).toBe(403);
    const wrongSecret = await post(body, { 'x-hub-signature-256': `sha256=${hmacSha256Hex('not-the-app-secret', body)}` });
    expect(wrongSecret.status).toBe(403);
    const missing = await post(body, {});
    expect(missing.status).toBe(401);
    await expectNoConversation('5491100000101');
    expect(whatsapp.sent('5491100000101')).toEqual([]);
  });

  test('a body that is not JSON, or not a Meta notification, is answered 400 with a JSON error', async () => {
    const notJson = '{"object": "whatsapp_business_account", "entry": [';
    const response = await post(notJson);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'malformed_webhook', message: expect.any(String) });

    const wrongShape = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { messages: [{ from: '5491100000102' }] } }] }] });
    const shapeResponse = await post(wrongShape);
    expect(shapeResponse.status).toBe(400);
    expect(shapeResponse.body.error).toBe('malformed_webhook');
    await expectNoConversation('5491100000102');
  });

  test('a body over 1 MB is refused with 413', async () => {
    const huge = notification(customerMessage('5491100000103', 'Ana', { id: 'wamid.huge', type: 'text', text: { body: 'x'.repeat(1024 * 1024) } }));
    const response = await post(huge);
    expect(response.status).toBe(413);
    await expectNoConversation('5491100000103');
  });

  test('the verification handshake answers the challenge as text only with the right token', async () => {
    const { query, expected_response: expected } = fixtureJson('whatsapp-cloud.verify-handshake.json');
    const url = (params: Record<string, string>) => `${WEBHOOK}?${new URLSearchParams(params).toString()}`;
    const response = await fetch(`${stack.baseUrl}${url(query)}`);
    expect(response.status).toBe(expected.status);
    expect(response.headers.get('content-type')).toContain(expected.content_type);
    expect(await response.text()).toBe(expected.body);

    expect((await stack.request('GET', url({ ...query, 'hub.verify_token': 'wrong-token' }))).status).toBe(403);
    expect((await stack.request('GET', url({ ...query, 'hub.mode': 'unsubscribe' }))).status).toBe(403);
    expect((await stack.request('GET', url({ 'hub.mode': 'subscribe', 'hub.challenge': query['hub.challenge'] }))).status).toBe(403);
  });

  /** Every case Meta documents that is not a customer writing to us: acknowledged, nothing started, nothing sent. */
  const ignoredCases: [string, (waId: string) => string][] = [
    ...fixtureNames('whatsapp-cloud', '.ignore.json').map((name): [string, (waId: string) => string] => [
      name,
      (waId) => asCustomer(name, waId).replaceAll('5491100000003', waId),
    ]),
    ['status sent', (waId) => notification({ statuses: [{ id: 'wamid.OUT1', status: 'sent', timestamp: '1735725605', recipient_id: waId }] })],
    ['status played (voice note)', (waId) => notification({ statuses: [{ id: 'wamid.OUT2', status: 'played', timestamp: '1735725605', recipient_id: waId }] })],
    ['a reaction removed', (waId) => notification(customerMessage(waId, 'Ana', { id: 'wamid.R2', type: 'reaction', reaction: { message_id: 'wamid.OUT1' } }))],
    ['a system message (number changed)', (waId) =>
      notification({ messages: [{ from: waId, id: 'wamid.S1', timestamp: '1735725600', type: 'system', system: { body: `User changed from ${waId} to 5491100000999`, wa_id: '5491100000999', type: 'user_changed_number' } }] })],
    ['an unsupported message (poll)', (waId) =>
      notification(customerMessage(waId, 'Ana', { id: 'wamid.U1', type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }], unsupported: { type: 'poll_creation' } }))],
    ['an edited message', (waId) => notification(customerMessage(waId, 'Ana', { id: 'wamid.E1', type: 'edit', edit: { original_message_id: 'wamid.T1', message: { type: 'text', text: { body: 'Hola!' } } } }))],
    ['a revoked message', (waId) => notification(customerMessage(waId, 'Ana', { id: 'wamid.V1', type: 'revoke', revoke: { original_message_id: 'wamid.T1' } }))],
    ['a chat opened without a message', (waId) => notification(customerMessage(waId, 'Ana', { id: 'wamid.W1', type: 'request_welcome' }))],
    ['a message type Meta adds later', (waId) => notification(customerMessage(waId, 'Ana', { id: 'wamid.N1', type: 'hologram', hologram: {} }))],
    ['a message the business sent from its WhatsApp Business app', (waId) =>
      notification({ message_echoes: [{ from: '5491100009999', to: waId, id: 'wamid.ECHO1', timestamp: '1735725600', type: 'text', text: { body: 'Te esperamos!' } }] }, 'smb_message_echoes')],
    ['our own number writing', (waId) => notification(customerMessage(waId, 'Clínica', { id: 'wamid.OWN1', type: 'text', text: { body: 'hola' } }), 'messages', waId)],
    ['a template status update', () =>
      JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '200000000000001', time: 1735725600, changes: [{ value: { event: 'APPROVED', message_template_id: 12345, message_template_name: 'appointment_reminder', message_template_language: 'es_AR', reason: 'NONE' }, field: 'message_template_status_update' }] }] })],
    ['an account-level error', () => notification({ errors: [{ code: 130429, title: 'Rate limit hit', message: 'Rate limit hit', error_data: { details: 'Too many messages' } }] })],
    ['a failed status of a group message', (waId) =>
      notification({ statuses: [{ id: 'wamid.G1', status: 'failed', timestamp: '1735725605', recipient_id: '120363000000000001', recipient_type: 'group', recipient_participant_id: waId, errors: [{ code: 131026, title: 'Message undeliverable' }] }] })],
    ['a notification of another Meta product', () => JSON.stringify({ object: 'page', entry: [{ id: '1', changes: [{ field: 'feed', value: {} }] }] })],
  ];

  test.each(ignoredCases.map(([name, build], index) => [name, build, `54911000002${String(index).padStart(2, '0')}`] as const))(
    'ignored: %s → 200, no conversation, nothing sent',
    async (_name, build, waId) => {
      const response = await post(build(waId));
      expect(response.status).toBe(200);
      await expectNoConversation(waId);
      expect(whatsapp.sent(waId)).toEqual([]);
    },
  );

  test('a message delivered three times is answered once', async () => {
    const waId = '5491100000104';
    const body = asCustomer('whatsapp-cloud.text.json', waId);
    expect((await post(body)).status).toBe(200);
    expect((await post(body)).status).toBe(200);
    await waitFor('the reply', () => whatsapp.sent(waId).length === 1);
    // After the answer too, as Meta redelivers when our 200 came late.
    expect((await post(body)).status).toBe(200);
    // A later message is handled after the redelivery: once it is answered, the redelivery was seen.
    const next = notification(customerMessage(waId, 'Lucía Fernández', { id: 'wamid.NEXT104', type: 'text', text: { body: '¿Cuánto sale la limpieza facial?' } }));
    expect((await post(next)).status).toBe(200);
    await waitFor('the second reply', () => whatsapp.sent(waId).length === 2);
    const entries = await customerEntries(waId);
    expect(entries.map((entry) => entry.text)).toEqual(['Hola, quiero reservar un turno para mañana', '¿Cuánto sale la limpieza facial?']);
    expect(whatsapp.sent(waId)).toHaveLength(2);
  });

  test('a redelivery of a message already acknowledged is answered 200 without signalling its conversation again', async () => {
    const waId = '5491100000110';
    const body = asCustomer('whatsapp-cloud.text.json', waId);
    expect((await post(body)).status).toBe(200);
    expect((await post(body)).status).toBe(200);
    await waitFor('the reply', () => whatsapp.sent(waId).length === 1);
    const { events } = await conversation(waId).fetchHistory();
    expect(events?.filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'inboundMessage')).toHaveLength(1);
  });

  test('one request carrying messages of two customers starts two conversations', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '200000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '5491100009999', phone_number_id: '100000000000001' },
                contacts: [
                  { profile: { name: 'Ana Pérez' }, wa_id: '5491100000105' },
                  { profile: { name: 'Bruno Díaz' }, wa_id: '5491100000106' },
                ],
                messages: [
                  { from: '5491100000105', id: 'wamid.BATCH105', timestamp: '1735725600', type: 'text', text: { body: 'Hola' } },
                  { from: '5491100000106', id: 'wamid.BATCH106', timestamp: '1735725601', type: 'text', text: { body: '¿Cuánto sale la limpieza facial?' } },
                ],
              },
            },
          ],
        },
      ],
    });
    expect((await post(body)).status).toBe(200);
    await waitFor('both replies', () => whatsapp.sent('5491100000105').length === 1 && whatsapp.sent('5491100000106').length === 1);
    const [ana, bruno] = await Promise.all([stateOf('5491100000105'), stateOf('5491100000106')]);
    expect(ana.displayName).toBe('Ana Pérez');
    expect(ana.transcript[0]).toMatchObject({ role: 'customer', text: 'Hola', messageId: 'wamid.BATCH105' });
    expect(bruno.displayName).toBe('Bruno Díaz');
    expect(bruno.transcript[0]).toMatchObject({ role: 'customer', text: '¿Cuánto sale la limpieza facial?', messageId: 'wamid.BATCH106' });
    expect(whatsapp.sent('5491100000105')[0].text.body).toContain('Clínica Demo');
    expect(whatsapp.sent('5491100000106')[0].text.body).toMatch(/Limpieza facial profunda.*18\.000/);
  });

  test('a tapped reply button reaches the conversation as the customer saying its title', async () => {
    const waId = '5491100000107';
    expect((await post(asCustomer('whatsapp-cloud.interactive-button-reply.json', waId))).status).toBe(200);
    await waitFor('the message recorded', async () => (await customerEntries(waId).catch(() => [])).length === 1);
    expect((await customerEntries(waId))[0]).toMatchObject({ text: 'Confirmar', messageId: 'wamid.HBgNNTQ5MTEwMDAwMDAwMRUCABIYFjNFQjBBMDAwMDAwMDAwMDAwMDAwMDQA' });
  });

  test('an image and a voice note reach the conversation as media by id, and fetchMedia downloads them through the Graph API', async () => {
    const waId = '5491100000108';
    expect((await post(asCustomer('whatsapp-cloud.image.json', waId))).status).toBe(200);
    expect((await post(asCustomer('whatsapp-cloud.audio-voice.json', waId))).status).toBe(200);
    await waitFor('both messages recorded', async () => (await customerEntries(waId).catch(() => [])).length === 2);
    const [image, voice] = await customerEntries(waId);
    expect(image).toMatchObject({ text: 'Foto del comprobante', media: [{ kind: 'image', url: '1000000000000101', mimeType: 'image/jpeg', caption: 'Foto del comprobante' }] });
    expect(voice).toMatchObject({ media: [{ kind: 'audio', url: '1000000000000102', mimeType: 'audio/ogg; codecs=opus' }] });

    const credentials = whatsappAdapter.credentialsSchema.parse(whatsapp.credentials());
    const bytes = Buffer.from('OggS fake opus voice note');
    whatsapp.addMedia('1000000000000102', bytes, 'audio/ogg');
    const file = await whatsappAdapter.fetchMedia(credentials, voice!.media![0]!);
    expect(file.bytes.equals(bytes)).toBe(true);
    expect(file.mimeType).toBe('audio/ogg; codecs=opus');
    const [lookup, download] = whatsapp.requests.filter((request) => request.method === 'GET');
    expect(lookup).toMatchObject({ path: '/v21.0/1000000000000102', headers: { authorization: `Bearer ${FAKE_ACCESS_TOKEN}` } });
    expect(download).toMatchObject({ path: '/whatsapp_business/attachments/?mid=1000000000000102', headers: { authorization: `Bearer ${FAKE_ACCESS_TOKEN}` } });
  });

  test('a message refused outside the 24-hour window is acknowledged and starts no conversation', async () => {
    const waId = '5491100000109';
    expect((await post(asCustomer('whatsapp-cloud.status-failed-131047.json', waId))).status).toBe(200);
    await expectNoConversation(waId);
    expect(whatsapp.sent(waId)).toEqual([]);
  });
});
