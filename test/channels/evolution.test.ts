import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { evolutionAdapter } from '../../src/channels/evolution';
import type { TranscriptEntry } from '../../src/domain/conversation';
import { stateQuery } from '../../src/workflows';
import { EVOLUTION_FIXTURE_API_KEY, FakeEvolution } from '../helpers/fake-evolution';
import { fixtureBody, fixtureJson, fixtureNames } from '../helpers/fixtures';
import { startTestStack, type TestStack } from '../helpers/stack';
import { sleep, waitFor } from '../helpers/wait-for';

const WEBHOOK = '/webhooks/demo/evolution';
/** The customer of every fixture; tests that need a conversation of their own swap in another number. */
const FIXTURE_CUSTOMER = '5491100000001';
const INSTANCE = 'clinica-centro';

/** A fixture as another customer wrote it. */
const asCustomer = (fixture: string, phone: string) => fixtureBody(fixture).replaceAll(FIXTURE_CUSTOMER, phone);

/** A webhook as Evolution v2 posts it, for the documented cases there is no fixture of. */
function webhook(event: string, data: unknown, apikey: string | undefined = EVOLUTION_FIXTURE_API_KEY): string {
  return JSON.stringify({ event, instance: INSTANCE, data, destination: 'https://bot.example.com/webhooks/evolution', date_time: '2025-01-01T10:00:00.512Z', sender: '5491100009999@s.whatsapp.net', server_url: 'https://evo.example.com', apikey });
}

/** One `messages.upsert` message from a customer (their phone's JID unless `key` says otherwise). */
function upsert(phone: string, id: string, message: Record<string, unknown>, messageType = Object.keys(message)[0], key: Record<string, unknown> = {}) {
  return { key: { remoteJid: `${phone}@s.whatsapp.net`, fromMe: false, id, ...key }, pushName: 'Cliente', status: 'DELIVERY_ACK', message, messageType, messageTimestamp: 1735725600, instanceId: 'i-1', source: 'android' };
}

describe('Evolution API webhook', () => {
  let stack: TestStack;
  let evolution: FakeEvolution;
  beforeAll(async () => {
    evolution = await new FakeEvolution().start();
    stack = await startTestStack({ channels: { evolution: { ...evolution.credentials(), quietPeriodMs: 0 } } });
  });
  afterAll(async () => {
    await stack.stop();
    await evolution.stop();
  });

  const post = (body: string) => stack.request('POST', WEBHOOK, body, { 'content-type': 'application/json' });
  const conversation = (contactId: string) => stack.client.workflow.getHandle(`conversation:demo:evolution:${contactId}`);
  const customerEntry = async (contactId: string, keyId: string) => {
    const messageId = `evolution:${INSTANCE}:${keyId}`;
    await waitFor(`message ${keyId} in the conversation`, async () => (await conversation(contactId).query(stateQuery).catch(() => undefined))?.transcript.some((entry) => entry.role === 'customer' && entry.messageId === messageId) ?? false);
    const isIt = (entry: TranscriptEntry): entry is Extract<TranscriptEntry, { role: 'customer' }> => entry.role === 'customer' && entry.messageId === messageId;
    return (await conversation(contactId).query(stateQuery)).transcript.find(isIt)!;
  };
  const repliesTo = (number: string) => evolution.sends().filter((request) => request.body.number === number);
  const expectNoConversation = (contactId: string) => expect(conversation(contactId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

  test('the text fixture, delivered three times, is acknowledged each time and answered once through sendText, exactly as Evolution expects', async () => {
    const expected = fixtureJson('evolution.send-text.request.json');
    for (let delivery = 0; delivery < 3; delivery++) expect((await post(fixtureBody('evolution.text-conversation.json'))).status).toBe(200);

    await waitFor('the reply', () => repliesTo(FIXTURE_CUSTOMER).length > 0);
    const [request] = repliesTo(FIXTURE_CUSTOMER);
    expect(request!.method).toBe(expected.method);
    expect(request!.path).toBe(new URL(expected.url).pathname);
    expect(request!.headers.apikey).toBe(expected.headers.apikey);
    expect(request!.headers['content-type']).toBe(expected.headers['Content-Type']);
    expect(request!.body).toEqual({ ...expected.body, text: expect.any(String) });
    expect(request!.body.text.length).toBeGreaterThan(0);

    const entry = await customerEntry(FIXTURE_CUSTOMER, '3EB0A1B2C3D4E5F60001');
    expect(entry.text).toBe('Hola, ¿tienen turnos para el sábado?');
    const state = await conversation(FIXTURE_CUSTOMER).query(stateQuery);
    expect(state.transcript.filter((candidate) => candidate.role === 'customer')).toHaveLength(1);
    await sleep(1500);
    expect(repliesTo(FIXTURE_CUSTOMER)).toHaveLength(1);
  });

  test('a wrong apikey is refused with 403 and a missing one with 401; neither starts a conversation', async () => {
    const customer = '5491100000101';
    const fixture = JSON.parse(asCustomer('evolution.text-conversation.json', customer));
    expect((await post(JSON.stringify({ ...fixture, apikey: 'B6D711FCDE4D4FD5936544120E713977' }))).status).toBe(403);
    expect((await post(JSON.stringify({ ...fixture, apikey: 'short' }))).status).toBe(403);
    expect((await post(JSON.stringify({ ...fixture, apikey: undefined }))).status).toBe(401);
    expect((await post(JSON.stringify({ ...fixture, apikey: null }))).status).toBe(401);
    await expectNoConversation(customer);
  });

  test('a body that is not JSON is a 400 with a JSON error, and one over 1 MB a 413; neither starts anything', async () => {
    const malformed = await post('{"event": "messages.upsert", "data": {');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: 'malformed_webhook', message: expect.any(String) });
    const notEvolution = await post(webhook('messages.upsert', { key: { remoteJid: 42 } }));
    expect(notEvolution.status).toBe(400);
    expect(notEvolution.body.error).toBe('malformed_webhook');

    const customer = '5491100000102';
    const huge = JSON.parse(asCustomer('evolution.text-conversation.json', customer));
    huge.data.message.conversation = 'x'.repeat(1024 * 1024);
    expect((await post(JSON.stringify(huge))).status).toBe(413);
    await expectNoConversation(customer);
  });

  test('every ignore fixture and every documented non-message event is acknowledged and starts nothing', async () => {
    const ignoreFixtures = fixtureNames('evolution', '.ignore.json');
    expect(ignoreFixtures.length).toBeGreaterThanOrEqual(4);
    for (const name of ignoreFixtures) {
      const response = await post(asCustomer(name, '5491100000201'));
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
    }
    await expectNoConversation('5491100000201');
    // The group's member and the group itself.
    await expectNoConversation('5491100000003');
    await expectNoConversation('120363041967849074@g.us');

    const cases: [string, string, unknown][] = [
      ['status broadcast', 'messages.upsert', upsert('x', 'S1', { conversation: 'mi estado' }, 'conversation', { remoteJid: 'status@broadcast', participant: '5491100000202@s.whatsapp.net' })],
      ['broadcast list', 'messages.upsert', upsert('x', 'B1', { conversation: 'oferta' }, 'conversation', { remoteJid: '1735725600@broadcast' })],
      ['newsletter', 'messages.upsert', upsert('x', 'N1', { conversation: 'novedades' }, 'conversation', { remoteJid: '120363000000000000@newsletter' })],
      ['reaction', 'messages.upsert', upsert('5491100000203', 'R1', { reactionMessage: { key: { id: '3EB0C0BD05DCA97A7C09CB' }, text: '👍' } })],
      ['deletion', 'messages.upsert', upsert('5491100000204', 'P1', { protocolMessage: { key: { id: '3EB0A1' }, type: 'REVOKE' } })],
      ['edit', 'messages.upsert', upsert('5491100000205', 'E1', { editedMessage: { message: { protocolMessage: { type: 'MESSAGE_EDIT', editedMessage: { conversation: 'corregido' } } } } })],
      ['poll vote', 'messages.upsert', upsert('5491100000206', 'V1', { pollUpdateMessage: { vote: { selectedOptions: [] } } })],
      ['no content', 'messages.upsert', upsert('5491100000207', 'C1', { messageContextInfo: { deviceListMetadataVersion: 2 } }, 'unknown')],
      ['echo in a batch', 'MESSAGES_UPSERT', [upsert('5491100000208', 'F1', { conversation: 'te respondo' }, 'conversation', { fromMe: true })]],
      ['message deleted', 'messages.delete', { remoteJid: '5491100000209@s.whatsapp.net', fromMe: false, id: 'D1' }],
      ['our send', 'send.message', upsert('5491100000210', 'M1', { conversation: 'hola' }, 'conversation', { fromMe: true })],
      ['status update', 'MESSAGES_UPDATE', [{ keyId: 'K1', remoteJid: '5491100000211@s.whatsapp.net', fromMe: true, status: 'DELIVERY_ACK' }]],
      ['QR code', 'qrcode.updated', { qrcode: { instance: INSTANCE, code: '2@abc', base64: 'data:image/png;base64,AAAA' } }],
      ['presence', 'presence.update', { id: '5491100000212@s.whatsapp.net', presences: { '5491100000212@s.whatsapp.net': { lastKnownPresence: 'composing' } } }],
      ['contacts', 'contacts.upsert', [{ remoteJid: '5491100000213@s.whatsapp.net', pushName: 'Ana', profilePicUrl: null, instanceId: 'i-1' }]],
      ['chats', 'chats.upsert', [{ remoteJid: '5491100000214@s.whatsapp.net', instanceId: 'i-1', name: 'Ana' }]],
      ['history sync', 'messages.set', [upsert('5491100000215', 'H1', { conversation: 'mensaje viejo' })]],
      ['startup', 'application.startup', { instance: INSTANCE, status: 'open' }],
    ];
    for (const [label, event, data] of cases) {
      const response = await post(webhook(event, data));
      expect({ label, status: response.status }).toEqual({ label, status: 200 });
    }
    const contacts = Array.from({ length: 15 }, (_, index) => `5491100000${201 + index}`);
    for (const contact of contacts) await expectNoConversation(contact);
    await sleep(500);
    expect([...contacts, '5491100000003', '120363041967849074@g.us', 'status@broadcast'].flatMap(repliesTo)).toEqual([]);
  });

  test('image and voice-note fixtures reach the conversation as media Evolution downloads by message id', async () => {
    const customer = '5491100000301';
    expect((await post(asCustomer('evolution.image.json', customer))).status).toBe(200);
    expect((await post(asCustomer('evolution.audio-ptt.json', customer))).status).toBe(200);

    const image = await customerEntry(customer, '3EB0A1B2C3D4E5F60004');
    expect(image).toMatchObject({ text: 'Así quedó el auto', media: [{ kind: 'image', url: '3EB0A1B2C3D4E5F60004', mimeType: 'image/jpeg', caption: 'Así quedó el auto' }] });
    const voice = await customerEntry(customer, '3EB0A1B2C3D4E5F60003');
    expect(voice).toMatchObject({ text: '', media: [{ kind: 'audio', url: '3EB0A1B2C3D4E5F60003', mimeType: 'audio/ogg; codecs=opus' }] });

    // The media file, as Evolution gives it through getBase64FromMediaMessage.
    evolution.storeMedia('3EB0A1B2C3D4E5F60003', Buffer.from('OggS-voice-note'), 'audio/ogg; codecs=opus');
    const file = await evolutionAdapter.fetchMedia(evolution.credentials(), voice.media![0]!);
    expect(file).toEqual({ bytes: Buffer.from('OggS-voice-note'), mimeType: 'audio/ogg; codecs=opus' });
    const download = evolution.requests.find((request) => request.path === `/chat/getBase64FromMediaMessage/${INSTANCE}`)!;
    expect(download.headers.apikey).toBe(EVOLUTION_FIXTURE_API_KEY);
    expect(download.body).toEqual({ message: { key: { id: '3EB0A1B2C3D4E5F60003' } }, convertToMp4: false });
  });

  test('a location becomes words; button, list and template-button replies become the chosen text', async () => {
    const customer = '5491100000401';
    const location = { locationMessage: { degreesLatitude: -34.603722, degreesLongitude: -58.381592, name: 'Obelisco', address: 'Av. 9 de Julio s/n' } };
    const messages = [
      upsert(customer, 'L1', location),
      upsert(customer, 'B1', { buttonsResponseMessage: { selectedButtonId: 'confirm', selectedDisplayText: 'Confirmar turno' } }),
      upsert(customer, 'T1', { listResponseMessage: { title: 'Limpieza facial', listType: 'SINGLE_SELECT', singleSelectReply: { selectedRowId: 'svc-1' } } }),
      upsert(customer, 'P1', { templateButtonReplyMessage: { selectedId: 'cancel', selectedDisplayText: 'Cancelar', selectedIndex: 1 } }),
    ];
    // Evolution may batch several messages in one request.
    expect((await post(webhook('messages.upsert', messages))).status).toBe(200);

    expect(await customerEntry(customer, 'L1')).toMatchObject({
      text: '📍 Obelisco, Av. 9 de Julio s/n (-34.60372, -58.38159) https://maps.google.com/?q=-34.603722,-58.381592',
      media: [{ kind: 'location' }],
    });
    expect((await customerEntry(customer, 'B1')).text).toBe('Confirmar turno');
    expect((await customerEntry(customer, 'T1')).text).toBe('Limpieza facial');
    expect((await customerEntry(customer, 'P1')).text).toBe('Cancelar');
  });

  test('a contact addressed by its @lid is answered at the phone number that came with it, or at the @lid when none did', async () => {
    const withPhone = upsert('x', 'LID1', { conversation: 'Hola' }, 'conversation', { remoteJid: '123456789012345@lid', remoteJidAlt: '5491100000501@s.whatsapp.net', addressingMode: 'lid' });
    // Evolution 2.3 swaps them: the phone in remoteJid, the @lid in remoteJidAlt.
    const swapped = upsert('5491100000502', 'LID2', { conversation: 'Hola' }, 'conversation', { remoteJidAlt: '223456789012345@lid', addressingMode: 'pn' });
    const lidOnly = upsert('x', 'LID3', { conversation: 'Hola' }, 'conversation', { remoteJid: '323456789012345@lid' });
    for (const data of [withPhone, swapped, lidOnly]) expect((await post(webhook('messages.upsert', data))).status).toBe(200);

    await waitFor('three replies', () => ['5491100000501', '5491100000502', '323456789012345@lid'].every((number) => repliesTo(number).length > 0));
    expect(await customerEntry('5491100000501', 'LID1')).toMatchObject({ text: 'Hola' });
    expect(await customerEntry('323456789012345@lid', 'LID3')).toMatchObject({ text: 'Hola' });
  });
});

describe('Evolution send', () => {
  let evolution: FakeEvolution;
  beforeAll(async () => {
    evolution = await new FakeEvolution().start();
  });
  afterAll(() => evolution.stop());

  test('choices the text does not name are listed under it, since Baileys no longer delivers buttons; the result is the key.id', async () => {
    const id = await evolutionAdapter.send(evolution.credentials(), '5491100000001', {
      text: 'Tu turno es mañana a las 10:00. ¿Lo confirmás?',
      choices: [
        { id: 'confirm', title: 'Confirmar' },
        { id: 'cancel', title: 'Cancelar' },
      ],
    });
    const request = evolution.requests.at(-1)!;
    expect(request.path).toBe('/message/sendText/clinica-centro');
    expect(request.body).toEqual({ number: '5491100000001', text: 'Tu turno es mañana a las 10:00. ¿Lo confirmás?\n\n• Confirmar\n• Cancelar', delay: 1200, linkPreview: false });
    expect(id).toMatch(/^3EB0[0-9A-F]{18}$/);
  });

  test('an image or a document goes through sendMedia with the text as its caption', async () => {
    await evolutionAdapter.send(evolution.credentials(), '5491100000001', { text: 'Así queda la piel', attachment: { kind: 'image', url: 'https://cdn.example.com/antes-despues.jpg' } });
    expect(evolution.requests.at(-1)).toMatchObject({
      path: '/message/sendMedia/clinica-centro',
      headers: { apikey: EVOLUTION_FIXTURE_API_KEY },
      body: { number: '5491100000001', mediatype: 'image', media: 'https://cdn.example.com/antes-despues.jpg', caption: 'Así queda la piel' },
    });
    await evolutionAdapter.send(evolution.credentials(), '5491100000001', { text: 'Tu presupuesto', attachment: { kind: 'document', url: 'https://cdn.example.com/docs/presupuesto%202025.pdf' } });
    expect(evolution.requests.at(-1)!.body).toEqual({
      number: '5491100000001',
      mediatype: 'document',
      media: 'https://cdn.example.com/docs/presupuesto%202025.pdf',
      caption: 'Tu presupuesto',
      fileName: 'presupuesto 2025.pdf',
    });
  });

  test('a refusal (wrong token) is a non-retryable ChannelRefused; a template falls back to the text', async () => {
    const refused = evolutionAdapter.send({ ...evolution.credentials(), apiKey: 'wrong' }, '5491100000001', { text: 'Hola' });
    await expect(refused).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(refused).rejects.toMatchObject({ type: 'ChannelRefused', nonRetryable: true });

    await evolutionAdapter.send(evolution.credentials(), '5491100000001', { text: 'Recordatorio: mañana 10:00', template: { name: 'reminder', language: 'es', parameters: ['mañana 10:00'] } });
    expect(evolution.requests.at(-1)!.body).toMatchObject({ text: 'Recordatorio: mañana 10:00' });
  });
});
