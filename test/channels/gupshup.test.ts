import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { gupshupAdapter } from '../../src/channels/gupshup';
import type { TranscriptEntry } from '../../src/domain/conversation';
import { stateQuery, templateResendWorkflowId } from '../../src/workflows';
import { FakeGupshup } from '../helpers/fake-gupshup';
import { fixtureBody, fixtureJson, fixtureNames } from '../helpers/fixtures';
import { startTestStack, type TestStack } from '../helpers/stack';
import { sleep, waitFor } from '../helpers/wait-for';

const TOKEN = 'TEST-GUPSHUP-TOKEN';
const WEBHOOK = `/webhooks/demo/gupshup?token=${TOKEN}`;
/** The customer of every fixture; tests that need a conversation of their own swap in another number. */
const FIXTURE_CUSTOMER = '5491100000001';

/** A fixture as another customer wrote it. */
const asCustomer = (fixture: string, phone: string) => fixtureBody(fixture).replaceAll(FIXTURE_CUSTOMER, phone);

/** A callback as Gupshup posts it (payload version 2), for the documented cases there is no fixture of. */
const callback = (type: string, payload: Record<string, unknown>) => JSON.stringify({ app: 'ClinicaCentroApp', timestamp: 1735725600370, version: 2, type, payload });

/** A customer's message of one type, as Gupshup wraps it. */
const inbound = (phone: string, id: string, type: string, payload: Record<string, unknown>) =>
  callback('message', { id, source: phone, type, payload, sender: { phone, name: 'Cliente', country_code: '54', dial_code: phone.slice(2) } });

type CustomerEntry = Extract<TranscriptEntry, { role: 'customer' }>;

describe('Gupshup webhook', () => {
  let stack: TestStack;
  let gupshup: FakeGupshup;
  beforeAll(async () => {
    gupshup = await new FakeGupshup().start();
    stack = await startTestStack({ channels: { gupshup: { ...gupshup.credentials(), quietPeriodMs: 0 } } });
  });
  afterAll(async () => {
    await stack.stop();
    await gupshup.stop();
  });

  const post = (body: string, path = WEBHOOK) => stack.request('POST', path, body, { 'content-type': 'application/json' });
  const conversation = (phone: string) => stack.client.workflow.getHandle(`conversation:demo:gupshup:${phone}`);
  const customerEntry = async (phone: string, messageId: string): Promise<CustomerEntry> => {
    const isIt = (entry: TranscriptEntry): entry is CustomerEntry => entry.role === 'customer' && entry.messageId === messageId;
    await waitFor(`message ${messageId} in the conversation`, async () => (await conversation(phone).query(stateQuery).catch(() => undefined))?.transcript.some(isIt) ?? false);
    return (await conversation(phone).query(stateQuery)).transcript.find(isIt)!;
  };
  const repliesTo = (phone: string) => gupshup.sends().filter((request) => request.form.destination === phone);
  const expectNoConversation = (phone: string) => expect(conversation(phone).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

  test('the text fixture, delivered three times, gets an empty 200 each time and one reply, as Gupshup documents the request', async () => {
    for (let delivery = 0; delivery < 3; delivery++) {
      const response = await post(fixtureBody('gupshup.text.json'));
      expect(response).toMatchObject({ status: 200, body: '' });
    }

    await waitFor('the reply', () => repliesTo(FIXTURE_CUSTOMER).length > 0);
    const expected = fixtureJson('gupshup.send-text.request.json');
    const [request] = repliesTo(FIXTURE_CUSTOMER);
    expect(request!.method).toBe(expected.method);
    expect(request!.path).toBe(new URL(expected.url).pathname);
    expect(request!.headers).toMatchObject({
      apikey: expected.headers.apikey,
      'content-type': expected.headers['Content-Type'],
      'cache-control': expected.headers['Cache-Control'],
    });
    expect(Object.keys(request!.form)).toEqual(Object.keys(expected.form));
    expect(request!.form).toEqual({ ...expected.form, message: expect.any(String) });
    const message = JSON.parse(request!.form.message!);
    expect(message).toEqual({ type: 'text', text: expect.any(String) });
    // Spaced as Gupshup writes it: the fixture's message field, with our text in it.
    expect(request!.form.message).toBe(expected.form.message.replace('¡Listo! Tu turno quedó reservado.', message.text));

    const entry = await customerEntry(FIXTURE_CUSTOMER, 'ABEGVJERAAAAAhBmYWtlLWlkLTAwMDAwMDAx');
    expect(entry.text).toBe('Hola, quiero reservar un turno');
    const state = await conversation(FIXTURE_CUSTOMER).query(stateQuery);
    expect(state.displayName).toBe('Lucía Fernández');
    expect(state.transcript.filter((candidate) => candidate.role === 'customer')).toHaveLength(1);
    await sleep(1500);
    expect(repliesTo(FIXTURE_CUSTOMER)).toHaveLength(1);
  });

  test('a wrong token is refused with 403 and a missing one with 401; neither starts a conversation', async () => {
    const customer = '5491100000101';
    const body = asCustomer('gupshup.text.json', customer);
    expect((await post(body, '/webhooks/demo/gupshup?token=TEST-GUPSHUP-TOKEM')).status).toBe(403);
    expect((await post(body, '/webhooks/demo/gupshup?token=x')).status).toBe(403);
    expect((await post(body, '/webhooks/demo/gupshup')).status).toBe(401);
    expect((await post(body, '/webhooks/demo/gupshup?token=')).status).toBe(401);
    await expectNoConversation(customer);
  });

  test('a body that is not JSON is a 400 with a JSON error, and one over 1 MB a 413; neither starts anything', async () => {
    const malformed = await post('{"app": "ClinicaCentroApp", "type": "message", "payload": {');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: 'malformed_webhook', message: expect.any(String) });
    expect((await post(callback('message', { source: '5491100000102', type: 'text', payload: { text: 'sin id' } }))).status).toBe(400);

    const customer = '5491100000102';
    const huge = JSON.parse(asCustomer('gupshup.text.json', customer));
    huge.payload.payload.text = 'x'.repeat(1024 * 1024);
    expect((await post(JSON.stringify(huge))).status).toBe(413);
    await expectNoConversation(customer);
  });

  test('receipts, opt-in/out, sandbox and billing events are acknowledged and start nothing; a failure report is handed to the failure handler', async () => {
    const ignoreFixtures = fixtureNames('gupshup', '.ignore.json');
    expect(ignoreFixtures.length).toBeGreaterThanOrEqual(3);
    for (const name of ignoreFixtures) {
      const response = await post(asCustomer(name, '5491100000201'));
      expect({ name, status: response.status, body: response.body }).toEqual({ name, status: 200, body: '' });
    }
    const events = [
      callback('message-event', { id: 'gs-1', gsId: 'gs-1', type: 'sent', destination: '5491100000202', payload: { ts: 1735725609 } }),
      callback('message-event', { id: 'gs-1', type: 'deleted', destination: '5491100000202', payload: {} }),
      callback('user-event', { phone: '5491100000203', type: 'opted-in' }),
      callback('user-event', { phone: '5491100000203', type: 'opted-out' }),
      callback('user-event', { phone: '5491100000203', type: 'sandbox-start' }),
      callback('billing-event', {
        deductions: { type: 'service', model: 'CBP', source: 'whatsapp', billable: true },
        references: { id: 'gs-1', gsId: 'gs-1', conversationId: 'c-1', destination: '5491100000204' },
      }),
      callback('template-event', { id: 't-1', type: 'status-update', status: 'APPROVED' }),
      // An interactive message the assistant cannot read (an order from a catalogue).
      inbound('5491100000205', 'wamid-order', 'order', { catalog_id: '1', product_items: [] }),
      // A number not on WhatsApp: logged, nothing to resend.
      asCustomer('gupshup.message-event-failed.json', '5491100000206'),
    ];
    for (const body of events) {
      const response = await post(body);
      expect({ body, status: response.status }).toEqual({ body, status: 200 });
    }
    const phones = ['5491100000201', '5491100000202', '5491100000203', '5491100000204', '5491100000205', '5491100000206'];
    for (const phone of phones) await expectNoConversation(phone);
    await sleep(500);
    expect(phones.flatMap(repliesTo)).toEqual([]);
  });

  test('a message refused because the 24-hour window had closed is handed over to be sent again as the template', async () => {
    const failed = JSON.parse(asCustomer('gupshup.message-event-failed.json', '5491100000251'));
    failed.payload = { ...failed.payload, id: 'gs-window-1', payload: { code: 1026, reason: 'Message sending failed as user is inactive for session message' } };
    expect((await post(JSON.stringify(failed))).status).toBe(200);
    const resend = stack.client.workflow.getHandle(templateResendWorkflowId({ tenantId: 'demo', channel: 'gupshup' }, 'gs-window-1'));
    await expect(resend.describe()).resolves.toBeDefined();
    // A number that is not on WhatsApp (the fixture) has no window to reopen.
    const notOnWhatsApp = stack.client.workflow.getHandle(templateResendWorkflowId({ tenantId: 'demo', channel: 'gupshup' }, fixtureJson('gupshup.message-event-failed.json').payload.id));
    await expect(notOnWhatsApp.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  test('image and audio fixtures reach the conversation as media; fetchMedia downloads the file from its link', async () => {
    const customer = '5491100000301';
    expect((await post(asCustomer('gupshup.image.json', customer))).status).toBe(200);
    expect((await post(asCustomer('gupshup.audio.json', customer))).status).toBe(200);

    const image = fixtureJson('gupshup.image.json').payload;
    expect(await customerEntry(customer, image.id)).toMatchObject({
      text: 'Foto del comprobante',
      media: [{ kind: 'image', url: image.payload.url, mimeType: 'image/jpeg', caption: 'Foto del comprobante' }],
    });
    const audio = fixtureJson('gupshup.audio.json').payload;
    expect(await customerEntry(customer, audio.id)).toMatchObject({ text: '', media: [{ kind: 'audio', url: audio.payload.url, mimeType: 'audio/ogg; codecs=opus' }] });

    const url = gupshup.storeFile('0000000000002', Buffer.from('OggS-voice-note'), 'audio/ogg; codecs=opus');
    const file = await gupshupAdapter.fetchMedia(gupshup.credentials(), { kind: 'audio', url });
    expect(file).toEqual({ bytes: Buffer.from('OggS-voice-note'), mimeType: 'audio/ogg; codecs=opus' });
    expect(gupshup.requests.some((request) => request.method === 'GET' && request.path === '/wa/media/0000000000002?download=false')).toBe(true);
  });

  test('a location becomes words; reply buttons, list rows and template quick replies become the chosen text', async () => {
    const customer = '5491100000401';
    expect((await post(asCustomer('gupshup.location.json', customer))).status).toBe(200);
    const location = await customerEntry(customer, fixtureJson('gupshup.location.json').payload.id);
    expect(location).toMatchObject({ text: '📍 -34.60372, -58.38159 https://maps.google.com/?q=-34.603722,-58.381592', media: [{ kind: 'location' }] });

    await post(inbound(customer, 'wamid-button', 'button_reply', { title: '10:00', id: 'choices', reply: '10:00 1' }));
    await post(inbound(customer, 'wamid-list', 'list_reply', { title: 'jue 3/12 10:00', id: 'choices', reply: 'jue 3/12 10:00 2', postbackText: 'slot:2025-12-03T10:00', description: '' }));
    await post(inbound(customer, 'wamid-quick', 'quick_reply', { text: 'Confirmar', type: 'button', postbackText: 'confirm' }));
    expect((await customerEntry(customer, 'wamid-button')).text).toBe('10:00');
    expect((await customerEntry(customer, 'wamid-list')).text).toBe('jue 3/12 10:00');
    expect((await customerEntry(customer, 'wamid-quick')).text).toBe('Confirmar');
  });
});

describe('Gupshup send', () => {
  let gupshup: FakeGupshup;
  beforeAll(async () => {
    gupshup = await new FakeGupshup().start();
  });
  afterAll(() => gupshup.stop());

  const send = (message: Parameters<typeof gupshupAdapter.send>[2]) => gupshupAdapter.send(gupshup.credentials(), '5491100000001', message);
  const lastMessage = () => JSON.parse(gupshup.requests.at(-1)!.form.message!);

  test('a template goes to template/msg exactly as Gupshup documents it, its name being Gupshup’s template id; the result is the messageId', async () => {
    const expected = fixtureJson('gupshup.send-template.request.json');
    const id = await send({
      text: 'Hola Lucía, te recordamos tu turno del 2 de enero, 15:00.',
      template: { name: '5f2449fd-e4d6-4d02-9647-e46a1b4635a4', language: 'es', parameters: ['Lucía', '2 de enero, 15:00'] },
    });
    const request = gupshup.requests.at(-1)!;
    expect(request.method).toBe(expected.method);
    expect(request.path).toBe(new URL(expected.url).pathname);
    expect(request.headers).toMatchObject({ apikey: expected.headers.apikey, 'content-type': expected.headers['Content-Type'] });
    expect(request.form).toEqual(expected.form);
    expect(Object.keys(request.form)).toEqual(Object.keys(expected.form));
    expect(id).toBe(gupshup.sentIds.at(-1));
  });

  test('up to three short choices are reply buttons; up to ten a list; longer ones are listed in the text', async () => {
    await send({ text: '¿Confirmás tu turno?', choices: [{ id: 'confirm', title: 'Confirmar' }, { id: 'cancel', title: 'Cancelar' }] });
    expect(lastMessage()).toEqual({
      type: 'quick_reply',
      content: { type: 'text', text: '¿Confirmás tu turno?' },
      options: [
        { type: 'text', title: 'Confirmar', postbackText: 'confirm' },
        { type: 'text', title: 'Cancelar', postbackText: 'cancel' },
      ],
    });

    const slots = ['09:00', '09:30', '10:00', '10:30', '11:00'].map((time) => ({ id: `slot:${time}`, title: `jue 3/12 ${time}` }));
    await send({ text: 'Tengo estos horarios:', choices: slots });
    expect(lastMessage()).toEqual({
      type: 'list',
      title: 'Opciones',
      body: 'Tengo estos horarios:',
      msgid: 'choices',
      globalButtons: [{ type: 'text', title: 'Ver opciones' }],
      items: [{ options: slots.map((slot) => ({ type: 'text', title: slot.title, postbackText: slot.id, description: '' })) }],
    });

    await send({ text: '¿Qué tratamiento?', choices: [{ id: 'a', title: 'Depilación láser definitiva en piernas completas' }, { id: 'b', title: 'Limpieza facial' }] });
    expect(lastMessage()).toEqual({ type: 'text', text: '¿Qué tratamiento?\n\n• Depilación láser definitiva en piernas completas\n• Limpieza facial' });
  });

  test('an image or a document carries the text as its caption; a text too long for a caption goes first, on its own', async () => {
    await send({ text: 'Así queda la piel', attachment: { kind: 'image', url: 'https://cdn.example.com/antes-despues.jpg' } });
    expect(lastMessage()).toEqual({ type: 'image', originalUrl: 'https://cdn.example.com/antes-despues.jpg', previewUrl: 'https://cdn.example.com/antes-despues.jpg', caption: 'Así queda la piel' });
    await send({ text: 'Tu presupuesto', attachment: { kind: 'document', url: 'https://cdn.example.com/docs/presupuesto.pdf', fileName: 'Presupuesto.pdf' } });
    expect(lastMessage()).toEqual({ type: 'file', url: 'https://cdn.example.com/docs/presupuesto.pdf', filename: 'Presupuesto.pdf', caption: 'Tu presupuesto' });

    const before = gupshup.requests.length;
    const long = 'Indicaciones previas. '.repeat(60);
    const id = await send({ text: long, attachment: { kind: 'document', url: 'https://cdn.example.com/docs/indicaciones.pdf' } });
    const [text, document] = gupshup.requests.slice(before).map((request) => JSON.parse(request.form.message!));
    expect(text).toEqual({ type: 'text', text: long });
    expect(document).toEqual({ type: 'file', url: 'https://cdn.example.com/docs/indicaciones.pdf', filename: 'indicaciones.pdf' });
    expect(id).toBe(gupshup.sentIds.at(-2));
  });

  test('a refusal is a non-retryable ChannelRefused', async () => {
    const refused = gupshupAdapter.send({ ...gupshup.credentials(), apiKey: 'wrong' }, '5491100000001', { text: 'Hola' });
    await expect(refused).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(refused).rejects.toMatchObject({ type: 'ChannelRefused', nonRetryable: true });
  });

  test('a template is needed when the customer has not written in the last 24 hours, or when that is not known', () => {
    const now = new Date('2025-01-02T12:00:00Z');
    expect(gupshupAdapter.mustUseTemplate!({ text: 'x' }, now)).toBe(true);
    expect(gupshupAdapter.mustUseTemplate!({ text: 'x', lastInboundAt: '2025-01-01T12:00:01Z' }, now)).toBe(false);
    expect(gupshupAdapter.mustUseTemplate!({ text: 'x', lastInboundAt: '2025-01-01T12:00:00Z' }, now)).toBe(true);
  });
});
