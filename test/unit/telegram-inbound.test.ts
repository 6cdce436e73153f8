import { telegramAdapter } from '../../src/channels/telegram';
import { WebhookMalformed, type WebhookRequest } from '../../src/channels/adapter';
import { fixtureBody, fixtureJson, fixtureNames } from '../helpers/fixtures';

function request(body: unknown): WebhookRequest {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}
const parse = (body: unknown) => telegramAdapter.parse(request(body));

const lucia = { id: 900000001, is_bot: false, first_name: 'Lucía', last_name: 'Fernández', username: 'lucia_f', language_code: 'es' };
const privateChat = { id: 900000001, first_name: 'Lucía', last_name: 'Fernández', username: 'lucia_f', type: 'private' };
const group = { id: -1001234567890, title: 'Clientes VIP', type: 'supergroup' };
const message = (fields: Record<string, unknown>) => ({ message_id: 1300, from: lucia, chat: privateChat, date: 1735725600, ...fields });
const update = (fields: Record<string, unknown>) => ({ update_id: 812346000, ...fields });

describe('Telegram customer messages', () => {
  test('a text: the chat is the contact, the update id the exactly-once key, the profile the sender', () => {
    expect(parse(fixtureBody('telegram.text.json'))).toEqual([
      {
        kind: 'message',
        contactId: '900000001',
        message: { id: 'tg-812345001', text: 'Hola, quiero un turno', receivedAt: '2025-01-01T10:00:00.000Z', sender: { name: 'Lucía Fernández', username: 'lucia_f' } },
      },
    ]);
  });

  test('/start is the customer opening the chat: answered like any text', () => {
    expect(parse(fixtureBody('telegram.command-start.json'))).toEqual([{ kind: 'message', contactId: '900000001', message: expect.objectContaining({ text: '/start' }) }]);
  });

  test('the largest photo size, with its caption', () => {
    expect(parse(fixtureBody('telegram.photo.json'))[0]).toMatchObject({
      message: { text: 'Foto del comprobante', media: [{ kind: 'image', url: 'AgACAgEAAxkBAAIEs2FAKEphotoLARGE', mimeType: 'image/jpeg', caption: 'Foto del comprobante' }] },
    });
  });

  test('a voice note', () => {
    expect(parse(fixtureBody('telegram.voice.json'))[0]).toMatchObject({
      message: { text: '', media: [{ kind: 'audio', url: 'AwACAgEAAxkBAAIEsmFAKEFILEIDvoice000000000000000', mimeType: 'audio/ogg' }] },
    });
  });

  test.each([
    ['audio', { audio: { file_id: 'AUD', mime_type: 'audio/mpeg' } }, { kind: 'audio', url: 'AUD', mimeType: 'audio/mpeg' }],
    ['video', { video: { file_id: 'VID' } }, { kind: 'video', url: 'VID', mimeType: 'video/mp4' }],
    ['video note', { video_note: { file_id: 'VNOTE' } }, { kind: 'video', url: 'VNOTE', mimeType: 'video/mp4' }],
    ['GIF', { animation: { file_id: 'GIF', mime_type: 'video/mp4' }, document: { file_id: 'GIF', mime_type: 'video/mp4' } }, { kind: 'video', url: 'GIF' }],
    ['PDF', { document: { file_id: 'DOC', mime_type: 'application/pdf' } }, { kind: 'document', url: 'DOC', mimeType: 'application/pdf' }],
    ['photo sent as a file', { document: { file_id: 'PNG', mime_type: 'image/png' } }, { kind: 'image', url: 'PNG', mimeType: 'image/png' }],
  ])('%s', (_name, fields, media) => {
    expect(parse(update({ message: message(fields) }))[0]).toMatchObject({ kind: 'message', message: { media: [media] } });
  });

  test('a location and a venue become words with a map link', () => {
    expect(parse(update({ message: message({ location: { latitude: -34.6037, longitude: -58.3816 } }) }))[0]).toMatchObject({
      message: { text: expect.stringContaining('-34.60370, -58.38160'), media: [{ kind: 'location' }] },
    });
    expect(parse(update({ message: message({ venue: { location: { latitude: -34.6, longitude: -58.38 }, title: 'Sede Centro', address: 'Florida 100' }, location: { latitude: -34.6, longitude: -58.38 } }) }))[0]).toMatchObject({
      message: { text: expect.stringContaining('Sede Centro, Florida 100') },
    });
  });

  test('a shared contact: its words, and the phone as the sender’s only when it is their own', () => {
    const own = parse(update({ message: message({ contact: { phone_number: '+5491100000001', first_name: 'Lucía', user_id: 900000001 } }) }))[0];
    expect(own).toMatchObject({ message: { text: 'Lucía +5491100000001', sender: { phone: '+5491100000001' } } });
    const someoneElse = parse(update({ message: message({ contact: { phone_number: '+5491100000002', first_name: 'Marta', user_id: 42 } }) }))[0];
    expect((someoneElse as any).message.sender.phone).toBeUndefined();
  });

  test('a sticker says its emoji', () => {
    expect(parse(update({ message: message({ sticker: { file_id: 'STK', emoji: '👍' } }) }))[0]).toMatchObject({ message: { text: '👍' } });
  });

  test('a pressed button: the customer says the button’s text, and the press is to be acknowledged', () => {
    const keyboard = { inline_keyboard: [[{ text: 'Martes 10:00', callback_data: 'slot-1' }], [{ text: 'Martes 15:00', callback_data: 'slot-2' }]] };
    const events = parse(update({ callback_query: { id: '4382bfdwdsb323b2d9', from: lucia, chat_instance: '-1', data: 'slot-2', message: message({ from: { id: 7000000001, is_bot: true, first_name: 'Clinica Bot' }, text: '¿Qué horario?', reply_markup: keyboard }) } }));
    expect(events).toEqual([
      { kind: 'message', contactId: '900000001', callbackId: '4382bfdwdsb323b2d9', message: { id: 'tg-812346000', text: 'Martes 15:00', receivedAt: expect.any(String), sender: { name: 'Lucía Fernández', username: 'lucia_f' } } },
    ]);
  });

  test('a button of a message too old to be seen says its data', () => {
    const events = parse(update({ callback_query: { id: 'cb2', from: lucia, chat_instance: '-1', data: 'slot-1', message: { message_id: 5, chat: privateChat, date: 0 } } }));
    expect(events[0]).toMatchObject({ kind: 'message', callbackId: 'cb2', message: { text: 'slot-1' } });
  });

  test('a Telegram Business customer: answered through the business connection', () => {
    const events = parse(update({ business_message: message({ business_connection_id: 'l9cI5X9wBGIDAAAAhK8UHeF3zCU', text: 'Hola' }) }));
    expect(events).toEqual([{ kind: 'message', contactId: 'biz.l9cI5X9wBGIDAAAAhK8UHeF3zCU.900000001', message: expect.objectContaining({ text: 'Hola' }) }]);
  });
});

describe('Telegram updates that are not a customer speaking', () => {
  test.each(fixtureNames('telegram', '.ignore.json'))('%s', (name) => {
    expect(parse(fixtureJson(name))).toEqual([{ kind: 'ignored', reason: expect.any(String) }]);
  });

  const bot = { id: 7000000002, is_bot: true, first_name: 'Otro Bot' };
  const cases: [string, Record<string, unknown>][] = [
    ['an edited message', { edited_message: message({ text: 'corregido', edit_date: 1735725700 }) }],
    ['a channel post', { channel_post: { message_id: 1, chat: { id: -100200, type: 'channel', title: 'Novedades' }, date: 1735725600, text: 'Promo' } }],
    ['an edited channel post', { edited_channel_post: { message_id: 1, chat: { id: -100200, type: 'channel', title: 'Novedades' }, date: 1735725600, edit_date: 1735725700, text: 'Promo!' } }],
    ['a group message', { message: message({ chat: group, text: 'Buen día' }) }],
    ['a message from a bot', { message: message({ from: bot, text: 'hola' }) }],
    ['a member joining a group', { message: message({ chat: group, new_chat_members: [lucia] }) }],
    ['a pinned message', { message: message({ pinned_message: message({ text: 'Hola, quiero un turno' }) }) }],
    ['write access granted', { message: message({ write_access_allowed: { from_request: true } }) }],
    ['a payment', { message: message({ successful_payment: { currency: 'ARS', total_amount: 1800000, invoice_payload: 'x', telegram_payment_charge_id: 'a', provider_payment_charge_id: 'b' } }) }],
    ['a dice', { message: message({ dice: { emoji: '🎲', value: 4 } }) }],
    ['a poll sent by the customer', { message: message({ poll: { id: 'p', question: '¿?', options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false } }) }],
    ['the bot blocked or unblocked', { my_chat_member: { chat: privateChat, from: lucia, date: 1735725600, old_chat_member: { status: 'member', user: bot }, new_chat_member: { status: 'kicked', user: bot, until_date: 0 } } }],
    ['a member change', { chat_member: { chat: group, from: lucia, date: 1735725600, old_chat_member: { status: 'left', user: lucia }, new_chat_member: { status: 'member', user: lucia } } }],
    ['a join request', { chat_join_request: { chat: group, from: lucia, user_chat_id: 900000001, date: 1735725600 } }],
    ['a reaction', { message_reaction: { chat: privateChat, message_id: 1211, user: lucia, date: 1735725600, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] } }],
    ['reaction counts', { message_reaction_count: { chat: group, message_id: 1, date: 1735725600, reactions: [] } }],
    ['an inline query', { inline_query: { id: 'iq', from: lucia, query: 'turno', offset: '' } }],
    ['a chosen inline result', { chosen_inline_result: { result_id: 'r', from: lucia, query: 'turno' } }],
    ['a poll update', { poll: { id: 'p', question: '¿?', options: [], total_voter_count: 1, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false } }],
    ['a poll answer', { poll_answer: { poll_id: 'p', user: lucia, option_ids: [0] } }],
    ['a shipping query', { shipping_query: { id: 's', from: lucia, invoice_payload: 'x', shipping_address: {} } }],
    ['a pre-checkout query', { pre_checkout_query: { id: 'c', from: lucia, currency: 'ARS', total_amount: 100, invoice_payload: 'x' } }],
    ['a boost', { chat_boost: { chat: group, boost: {} } }],
    ['a business connection', { business_connection: { id: 'conn', user: lucia, user_chat_id: 900000001, date: 1735725600, is_enabled: true } }],
    ['an edited business message', { edited_business_message: message({ business_connection_id: 'conn', text: 'x' }) }],
    ['deleted business messages', { deleted_business_messages: { business_connection_id: 'conn', chat: privateChat, message_ids: [1] } }],
    ['the business owner’s own message', { business_message: message({ business_connection_id: 'conn', from: { id: 555, is_bot: false, first_name: 'Clínica' }, text: 'Le respondo yo' }) }],
    ['the bot’s message on the business’s behalf', { business_message: message({ business_connection_id: 'conn', sender_business_bot: bot, text: 'Hola' }) }],
    ['a button pressed in a group', { callback_query: { id: 'cbg', from: lucia, chat_instance: '-2', data: 'x', message: message({ chat: group, text: 'x' }) } }],
    ['a button of an inline message', { callback_query: { id: 'cbi', from: lucia, chat_instance: '-3', inline_message_id: 'im', data: 'x' } }],
    ['a game button', { callback_query: { id: 'cbq', from: lucia, chat_instance: '-4', game_short_name: 'g', message: message({ text: 'x' }) } }],
  ];
  test.each(cases)('%s', (_name, fields) => {
    // An ignored button press is still answered, or its button keeps spinning.
    const callbackId = (fields.callback_query as { id: string } | undefined)?.id;
    expect(parse(update(fields))).toEqual([{ kind: 'ignored', reason: expect.any(String), ...(callbackId ? { callbackId } : {}) }]);
  });

  test('the reason names the update kind', () => {
    expect(parse(update({ message_reaction: cases.find(([name]) => name === 'a reaction')![1].message_reaction }))).toEqual([{ kind: 'ignored', reason: 'message_reaction update' }]);
  });
});

describe('Telegram bodies that are not updates are malformed', () => {
  test.each([
    ['not JSON', '{"update_id": 1,'],
    ['no update_id', { message: message({ text: 'Hola' }) }],
    ['a message without its chat', { update_id: 1, message: { message_id: 1, date: 1, text: 'Hola' } }],
  ])('%s', (_name, body) => {
    expect(() => parse(body)).toThrow(WebhookMalformed);
  });
});
