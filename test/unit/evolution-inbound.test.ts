import { WebhookMalformed, type WebhookEvent } from '../../src/channels/adapter';
import { parseEvolutionWebhook } from '../../src/channels/evolution/inbound';

const parse = (body: unknown): WebhookEvent[] => parseEvolutionWebhook({ method: 'POST', headers: {}, query: {}, rawBody: Buffer.from(JSON.stringify(body)) });

function upsert(message: Record<string, unknown>, key: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    event: 'messages.upsert',
    instance: 'clinica-centro',
    data: { key: { remoteJid: '5491100000001@s.whatsapp.net', fromMe: false, id: 'ID1', ...key }, pushName: 'Lucía', message, messageType: Object.keys(message)[0], messageTimestamp: 1735725600, ...extra },
    apikey: 'k',
  };
}

/** The one customer message a webhook carried. */
function said(body: unknown) {
  const [event] = parse(body);
  if (event?.kind !== 'message') throw new Error(`not a customer message: ${JSON.stringify(event)}`);
  return event;
}

describe('Evolution webhook parsing', () => {
  test('a text keeps the customer, their push name, the instance-scoped id and WhatsApp time', () => {
    expect(said(upsert({ conversation: 'Hola' }))).toEqual({
      kind: 'message',
      contactId: '5491100000001',
      message: { id: 'evolution:clinica-centro:ID1', text: 'Hola', receivedAt: '2025-01-01T10:00:00.000Z', sender: { name: 'Lucía', phone: '5491100000001' } },
    });
    expect(said(upsert({ extendedTextMessage: { text: 'Mirá https://example.com', contextInfo: { stanzaId: 'X' } } })).message.text).toBe('Mirá https://example.com');
  });

  test('the event is recognised in each documented spelling', () => {
    for (const event of ['messages.upsert', 'MESSAGES_UPSERT', 'messages-upsert']) {
      expect(parse({ ...upsert({ conversation: 'Hola' }), event })[0]!.kind).toBe('message');
    }
  });

  test('every message of a batched upsert is an event of its own', () => {
    const body = upsert({ conversation: 'uno' });
    const second = { ...body.data, key: { ...body.data.key, id: 'ID2' }, message: { conversation: 'dos' } };
    const echo = { ...body.data, key: { ...body.data.key, id: 'ID3', fromMe: true } };
    expect(parse({ ...body, data: [body.data, second, echo] }).map((event) => (event.kind === 'message' ? event.message.text : event.kind))).toEqual(['uno', 'dos', 'ignored']);
  });

  test('disappearing, view-once and captioned-document envelopes are opened', () => {
    expect(said(upsert({ ephemeralMessage: { message: { extendedTextMessage: { text: 'efímero' } } } })).message.text).toBe('efímero');
    expect(said(upsert({ viewOnceMessageV2: { message: { imageMessage: { mimetype: 'image/jpeg', caption: 'una vez' } } } })).message).toMatchObject({
      text: 'una vez',
      media: [{ kind: 'image', url: 'ID1', mimeType: 'image/jpeg', caption: 'una vez' }],
    });
    expect(said(upsert({ documentWithCaptionMessage: { message: { documentMessage: { mimetype: 'application/pdf', fileName: 'estudio.pdf', caption: 'mi estudio' } } } })).message.media).toEqual([
      { kind: 'document', url: 'ID1', mimeType: 'application/pdf', caption: 'mi estudio' },
    ]);
  });

  test('videos, video notes, documents and stickers are media fetched by message id', () => {
    expect(said(upsert({ videoMessage: { mimetype: 'video/mp4', seconds: 3 } })).message.media).toEqual([{ kind: 'video', url: 'ID1', mimeType: 'video/mp4' }]);
    expect(said(upsert({ ptvMessage: { mimetype: 'video/mp4' } })).message.media).toEqual([{ kind: 'video', url: 'ID1', mimeType: 'video/mp4' }]);
    expect(said(upsert({ documentMessage: { mimetype: 'application/pdf', fileName: 'orden.pdf' } })).message).toMatchObject({ text: '', media: [{ kind: 'document', mimeType: 'application/pdf' }] });
    expect(said(upsert({ stickerMessage: { mimetype: 'image/webp' } })).message.media).toEqual([{ kind: 'image', url: 'ID1', mimeType: 'image/webp' }]);
    expect(said(upsert({ audioMessage: { ptt: true } })).message.media).toEqual([{ kind: 'audio', url: 'ID1', mimeType: 'audio/ogg' }]);
  });

  test('a shared contact becomes its name and phone; a live location its place', () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Dra. Pérez\nTEL;type=CELL;type=VOICE;waid=5491155550000:+54 9 11 5555-0000\nEND:VCARD';
    expect(said(upsert({ contactMessage: { displayName: 'Dra. Pérez', vcard } })).message.text).toBe('Dra. Pérez +5491155550000');
    const noWaId = 'BEGIN:VCARD\nFN:Ana\nTEL;type=HOME:+54 11 4444-0000\nEND:VCARD';
    expect(said(upsert({ contactsArrayMessage: { contacts: [{ displayName: 'Ana', vcard: noWaId }, { displayName: 'Beto' }] } })).message.text).toBe('Ana +54 11 4444-0000\nBeto');
    expect(said(upsert({ liveLocationMessage: { degreesLatitude: -34.6, degreesLongitude: -58.4 } })).message).toMatchObject({
      text: '📍 -34.60000, -58.40000 https://maps.google.com/?q=-34.6,-58.4',
      media: [{ kind: 'location' }],
    });
  });

  test('native-flow button replies give their text, or the id they were sent with', () => {
    expect(said(upsert({ interactiveResponseMessage: { body: { text: 'Sí, confirmo' }, nativeFlowResponseMessage: { paramsJson: '{"id":"yes"}' } } })).message.text).toBe('Sí, confirmo');
    expect(said(upsert({ interactiveResponseMessage: { nativeFlowResponseMessage: { paramsJson: '{"id":"yes"}' } } })).message.text).toBe('yes');
  });

  test('the phone of a @lid contact is read from remoteJidAlt or senderPn, with a device suffix dropped', () => {
    expect(said(upsert({ conversation: 'Hola' }, { remoteJid: '99@lid', senderPn: '5491100000009@s.whatsapp.net' })).contactId).toBe('5491100000009');
    expect(said(upsert({ conversation: 'Hola' }, { remoteJid: '99@lid', remoteJidAlt: '5491100000008:12@s.whatsapp.net' })).contactId).toBe('5491100000008');
    const lidOnly = said(upsert({ conversation: 'Hola' }, { remoteJid: '99123@lid' }));
    expect(lidOnly.contactId).toBe('99123@lid');
    expect(lidOnly.message.sender).toEqual({ name: 'Lucía' });
  });

  test('what is not the customer saying something is ignored with the reason', () => {
    const reasons = [
      upsert({ conversation: 'eco' }, { fromMe: true }),
      upsert({ conversation: 'grupo' }, { remoteJid: '120363041967849074@g.us', participant: '5491100000003@s.whatsapp.net' }),
      upsert({ conversation: 'estado' }, { remoteJid: 'status@broadcast' }),
      upsert({ conversation: 'canal' }, { remoteJid: '1203630@newsletter' }),
      upsert({ reactionMessage: { text: '❤️' } }),
      upsert({ protocolMessage: { type: 'REVOKE' } }),
      upsert({ conversation: '' }, {}, { messageType: 'editedMessage' }),
      upsert({ pollUpdateMessage: {} }),
      upsert({}, {}, { message: null, messageType: 'unknown' }),
      { event: 'connection.update', instance: 'clinica-centro', data: { state: 'open' } },
    ].map((body) => {
      const [event] = parse(body);
      return event?.kind === 'ignored' ? event.reason : event?.kind;
    });
    expect(reasons).toEqual([
      'our own message (fromMe)',
      'group chat',
      'status or broadcast list',
      'channel (newsletter)',
      'reaction',
      'protocol message (deletion, edit or disappearing-messages setting)',
      'edit of an earlier message',
      'poll vote',
      'message without content the assistant reads (unknown)',
      'event connection.update',
    ]);
  });

  test('a body that is not Evolution’s shape is malformed', () => {
    expect(() => parseEvolutionWebhook({ method: 'POST', headers: {}, query: {}, rawBody: Buffer.from('[1,2') })).toThrow(WebhookMalformed);
    expect(() => parse({ event: 'messages.upsert', data: {} })).toThrow(WebhookMalformed);
    expect(() => parse({ ...upsert({ conversation: 'x' }), data: { key: { id: 'A' } } })).toThrow(WebhookMalformed);
  });
});
