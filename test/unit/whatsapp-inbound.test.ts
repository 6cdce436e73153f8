import { WebhookMalformed, WebhookUnauthenticated, type WebhookRequest } from '../../src/channels/adapter';
import { whatsappAdapter } from '../../src/channels/whatsapp';
import { fixtureBody, fixtureJson } from '../helpers/fixtures';

const request = (body: string, headers: WebhookRequest['headers'] = {}, query: WebhookRequest['query'] = {}): WebhookRequest => ({
  method: 'POST',
  headers,
  query,
  rawBody: Buffer.from(body),
});
const parse = (body: string) => whatsappAdapter.parse(request(body));

const METADATA = { display_phone_number: '5491100009999', phone_number_id: '100000000000001' };
const notification = (...values: Record<string, unknown>[]) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '200000000000001', changes: values.map((value) => ({ field: 'messages', value: { messaging_product: 'whatsapp', metadata: METADATA, ...value } })) }],
  });
/** One message from Sheena, as Meta's reference examples write it. */
const fromSheena = (message: Record<string, unknown>) =>
  notification({ contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }], messages: [{ from: '16505551234', id: 'wamid.X1', timestamp: '1750090702', ...message }] });
const onlyMessage = (body: string) => {
  const [event] = parse(body);
  if (event?.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(event)}`);
  return event.message;
};

describe('WhatsApp notifications', () => {
  test("with the tenant's credentials, a notification for another of the app's numbers is ignored, ours is not", () => {
    const credentials = whatsappAdapter.credentialsSchema.parse({ accessToken: 't', phoneNumberId: METADATA.phone_number_id, appSecret: 's' });
    const body = fixtureBody('whatsapp-cloud.text.json');
    expect(whatsappAdapter.parse(request(body), credentials)).toEqual([expect.objectContaining({ kind: 'message' })]);
    const otherNumber = whatsappAdapter.credentialsSchema.parse({ accessToken: 't', phoneNumberId: '100000000000999', appSecret: 's' });
    expect(whatsappAdapter.parse(request(body), otherNumber)).toEqual([{ kind: 'ignored', reason: 'addressed to another business number' }]);
  });

  test('a text: the customer by wa_id, their profile name and phone, the wamid and the time Meta stamped', () => {
    expect(parse(fixtureBody('whatsapp-cloud.text.json'))).toEqual([
      {
        kind: 'message',
        contactId: '5491100000001',
        message: {
          id: 'wamid.HBgNNTQ5MTEwMDAwMDAwMRUCABIYFjNFQjBBMDAwMDAwMDAwMDAwMDAwMDEA',
          text: 'Hola, quiero reservar un turno para mañana',
          receivedAt: '2025-01-01T10:00:00.000Z',
          sender: { name: 'Lucía Fernández', phone: '5491100000001' },
        },
      },
    ]);
  });

  test('media travel by id with their mime type and caption', () => {
    expect(onlyMessage(fixtureBody('whatsapp-cloud.image.json'))).toMatchObject({
      text: 'Foto del comprobante',
      media: [{ kind: 'image', url: '1000000000000101', mimeType: 'image/jpeg', caption: 'Foto del comprobante' }],
    });
    expect(onlyMessage(fixtureBody('whatsapp-cloud.audio-voice.json'))).toMatchObject({
      text: '',
      media: [{ kind: 'audio', url: '1000000000000102', mimeType: 'audio/ogg; codecs=opus' }],
    });
    expect(onlyMessage(fromSheena({ type: 'video', video: { mime_type: 'video/mp4', sha256: 'x', id: '2001' } })).media).toEqual([{ kind: 'video', url: '2001', mimeType: 'video/mp4' }]);
    expect(
      onlyMessage(fromSheena({ type: 'document', document: { caption: 'Mi estudio', filename: 'estudio.pdf', mime_type: 'application/pdf', sha256: 'x', id: '2002' } })),
    ).toMatchObject({ text: 'Mi estudio', media: [{ kind: 'document', url: '2002', mimeType: 'application/pdf', caption: 'Mi estudio' }] });
    expect(onlyMessage(fromSheena({ type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 'x', id: '2003', animated: false } })).media).toEqual([
      { kind: 'image', url: '2003', mimeType: 'image/webp' },
    ]);
  });

  test('a shared location becomes words and a map link', () => {
    const message = onlyMessage(
      fromSheena({ type: 'location', location: { address: '101 Forest Ave, Palo Alto, CA 94301', latitude: 37.44221496582, longitude: -122.16165924072, name: 'Philz Coffee' } }),
    );
    expect(message.text).toBe('📍 Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301 (37.44221, -122.16166) https://maps.google.com/?q=37.44221496582,-122.16165924072');
    expect(message.media).toEqual([{ kind: 'location' }]);
  });

  test('shared contacts become their names and numbers', () => {
    const contacts = [
      { name: { first_name: 'Barbara', last_name: 'Johnson', formatted_name: 'Barbara J. Johnson' }, phones: [{ phone: '+1 (415) 555-0829', wa_id: '14125550829', type: 'MOBILE' }] },
      { name: { first_name: 'Tom' }, phones: [{ wa_id: '14125550830' }] },
    ];
    expect(onlyMessage(fromSheena({ type: 'contacts', contacts })).text).toBe('Barbara J. Johnson +1 (415) 555-0829\nTom 14125550830');
  });

  test('a tapped reply button, list row or template quick reply is the customer saying its title', () => {
    expect(onlyMessage(fixtureBody('whatsapp-cloud.interactive-button-reply.json')).text).toBe('Confirmar');
    const listReply = { type: 'list_reply', list_reply: { id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' } };
    expect(onlyMessage(fromSheena({ type: 'interactive', context: { from: '15550783881', id: 'wamid.OUT' }, interactive: listReply })).text).toBe('Priority Mail Express');
    expect(onlyMessage(fromSheena({ type: 'button', context: { from: '15550783881', id: 'wamid.OUT' }, button: { payload: 'Unsubscribe', text: 'Unsubscribe' } })).text).toBe(
      'Unsubscribe',
    );
  });

  test('an order lists what was ordered', () => {
    const order = {
      catalog_id: '194836987003835',
      text: 'Love these!',
      product_items: [
        { product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 30, currency: 'USD' },
        { product_retailer_id: 'nqryix03ez', quantity: 1, item_price: 25, currency: 'USD' },
      ],
    };
    expect(onlyMessage(fromSheena({ type: 'order', order })).text).toBe('Love these!\n🛒 2 × di9ozbzfi4 (30 USD), 1 × nqryix03ez (25 USD)');
  });

  test('a message from a Click-to-WhatsApp ad or a product carries where it came from', () => {
    const referral = { source_url: 'https://fb.me/3cr4Wqqkv', source_id: '1', source_type: 'ad', body: 'Summer Succulents are here!', headline: 'Chat with us', media_type: 'image' };
    expect(onlyMessage(fromSheena({ type: 'text', text: { body: 'Can I get more info about this?' }, referral })).context).toEqual({
      ad_headline: 'Chat with us',
      ad_body: 'Summer Succulents are here!',
      ad_url: 'https://fb.me/3cr4Wqqkv',
    });
    const context = { from: '15550783881', id: 'wamid.P', referred_product: { catalog_id: '1', product_retailer_id: 'di9ozbzfi4' } };
    expect(onlyMessage(fromSheena({ type: 'text', text: { body: 'Is this still available?' }, context })).context).toEqual({ product_id: 'di9ozbzfi4' });
  });

  test('a user known only by a business-scoped id (usernames) is addressed by it', () => {
    const body = notification({
      contacts: [{ profile: { name: 'Pablo M.', username: '@pablomorales', country_code: 'US' }, wa_id: '', user_id: 'user.9373795779eb6441c8adb2ea' }],
      messages: [{ from: '', from_user_id: 'user.9373795779eb6441c8adb2ea', id: 'wamid.B1', timestamp: '1750090702', type: 'text', text: { body: 'hola' } }],
    });
    expect(parse(body)).toEqual([
      expect.objectContaining({ kind: 'message', contactId: 'user.9373795779eb6441c8adb2ea', message: expect.objectContaining({ sender: { name: 'Pablo M.', username: '@pablomorales' } }) }),
    ]);
  });

  test('every message and receipt of a batched request, across entries and changes, in order', () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: METADATA,
                contacts: [
                  { profile: { name: 'Ana' }, wa_id: '111' },
                  { profile: { name: 'Bruno' }, wa_id: '222' },
                ],
                messages: [
                  { from: '111', id: 'wamid.A', timestamp: '1', type: 'text', text: { body: 'uno' } },
                  { from: '222', id: 'wamid.B', timestamp: '2', type: 'text', text: { body: 'dos' } },
                ],
              },
            },
          ],
        },
        { id: '2', changes: [{ field: 'messages', value: { metadata: METADATA, statuses: [{ id: 'wamid.OUT', status: 'read', timestamp: '3', recipient_id: '111' }] } }] },
        { id: '3', changes: [{ field: 'messages', value: { metadata: METADATA, messages: [{ from: '333', id: 'wamid.C', timestamp: '4', type: 'text', text: { body: 'tres' } }] } }] },
      ],
    });
    const events = parse(body);
    expect(events.map((event) => (event.kind === 'message' ? `${event.contactId}:${event.message.text}:${event.message.sender?.name ?? '-'}` : event.kind))).toEqual([
      '111:uno:Ana',
      '222:dos:Bruno',
      'ignored',
      '333:tres:-',
    ]);
  });

  test('a message refused outside the 24-hour window is a delivery failure a template can fix', () => {
    expect(parse(fixtureBody('whatsapp-cloud.status-failed-131047.json'))).toEqual([
      {
        kind: 'delivery-failed',
        contactId: '5491100000001',
        providerMessageId: 'wamid.HBgNNTQ5MTEwMDAwMDAwMRUCABEYEjAwMDAwMDAwMDAwMDAwMDBBAA==',
        outsideWindow: true,
        reason: expect.stringContaining('131047 Re-engagement message'),
      },
    ]);
  });

  test('other delivery failures are reported too, but no template would help', () => {
    const failed = { id: 'wamid.F', status: 'failed', timestamp: '1751142888', errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }] };
    expect(parse(notification({ statuses: [{ ...failed, recipient_id: '16505551234' }] }))).toEqual([
      { kind: 'delivery-failed', contactId: '16505551234', providerMessageId: 'wamid.F', outsideWindow: false, reason: expect.stringContaining('131049') },
    ]);
    expect(parse(notification({ statuses: [{ ...failed, recipient_id: '', recipient_user_id: 'user.abc' }] }))[0]).toMatchObject({ contactId: 'user.abc' });
  });

  test.each([
    ['delivered receipt', fixtureBody('whatsapp-cloud.status-delivered.ignore.json'), /status delivered/],
    ['read receipt', fixtureBody('whatsapp-cloud.status-read.ignore.json'), /status read/],
    ['reaction', fixtureBody('whatsapp-cloud.reaction.ignore.json'), /reaction/],
    ['group message', fixtureBody('whatsapp-cloud.group-message.ignore.json'), /group/],
    ['flow reply', fromSheena({ type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{}' } } }), /interactive nfm_reply/],
    ['empty text', fromSheena({ type: 'text', text: { body: '   ' } }), /without content/],
    ['unsupported', fromSheena({ type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }], unsupported: { type: 'edit' } }), /unsupported message edit 131051/],
    ['system', fromSheena({ type: 'system', system: { body: 'User changed number', wa_id: '1', type: 'user_changed_number' } }), /system message user_changed_number/],
  ])('ignored with a reason: %s', (_name, body, reason) => {
    expect(parse(body)).toEqual([{ kind: 'ignored', reason: expect.stringMatching(reason) }]);
  });

  test('a body that is not a notification is malformed', () => {
    expect(() => parse('not json')).toThrow(WebhookMalformed);
    expect(() => parse(JSON.stringify({ object: 'whatsapp_business_account' }))).toThrow(WebhookMalformed);
    expect(() => parse(notification({ messages: [{ from: '1', timestamp: '1', type: 'text' }] }))).toThrow(/messages\.0\.id/);
  });
});

describe('WhatsApp authenticity', () => {
  const credentials = whatsappAdapter.credentialsSchema.parse({ accessToken: 't', phoneNumberId: '1', appSecret: 'test_app_secret_0123456789abcdef', verifyToken: 'vt' });

  test("Meta's signature of the raw bytes is accepted; another is 403, none is 401", () => {
    const vector = fixtureJson('whatsapp-cloud.text.signature.json');
    const body = fixtureBody(vector.body_file);
    expect(Buffer.byteLength(body)).toBe(vector.body_bytes);
    expect(() => whatsappAdapter.authenticate(request(body, { 'x-hub-signature-256': vector.header_value }), credentials)).not.toThrow();
    const refusal = (headers: WebhookRequest['headers'], raw = body) => {
      try {
        whatsappAdapter.authenticate(request(raw, headers), credentials);
      } catch (error) {
        return error instanceof WebhookUnauthenticated ? error.statusCode : error;
      }
      return 'accepted';
    };
    expect(refusal({ 'x-hub-signature-256': vector.header_value }, body.trimEnd())).toBe(403);
    expect(refusal({ 'x-hub-signature-256': vector.header_value.replace('sha256=', 'sha1=') })).toBe(403);
    expect(refusal({ 'x-hub-signature-256': '' })).toBe(403);
    expect(refusal({})).toBe(401);
  });

  test('the verification handshake answers the challenge only to subscribe with the right token', () => {
    const handshake = (query: Record<string, string>) => () => whatsappAdapter.handshake!({ ...request(''), method: 'GET', query }, credentials);
    expect(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'vt', 'hub.challenge': '1158201444' })()).toBe('1158201444');
    expect(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'vT', 'hub.challenge': '1' })).toThrow(WebhookUnauthenticated);
    expect(handshake({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'vt', 'hub.challenge': '1' })).toThrow(WebhookUnauthenticated);
    const unconfigured = whatsappAdapter.credentialsSchema.parse({ accessToken: 't', phoneNumberId: '1', appSecret: 's' });
    expect(() => whatsappAdapter.handshake!({ ...request(''), method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' } }, unconfigured)).toThrow(
      WebhookUnauthenticated,
    );
  });

  test('free text may go within 24 hours of the customer’s last message; after that, or when unknown, only a template', () => {
    const now = new Date('2025-01-02T12:00:00Z');
    const mustUseTemplate = (lastInboundAt?: string) => whatsappAdapter.mustUseTemplate!({ text: 'Recordatorio', ...(lastInboundAt ? { lastInboundAt } : {}) }, now);
    expect(mustUseTemplate()).toBe(true);
    expect(mustUseTemplate('2025-01-01T12:30:00Z')).toBe(false);
    expect(mustUseTemplate('2025-01-01T11:59:00Z')).toBe(true);
  });
});
