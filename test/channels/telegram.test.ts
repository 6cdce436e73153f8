import { WorkflowNotFoundError } from '@temporalio/client';
import { telegramAdapter } from '../../src/channels/telegram';
import { stateQuery } from '../../src/workflows/definitions';
import { FakeTelegram } from '../helpers/fake-telegram';
import { fixtureBody, fixtureJson, fixtureNames } from '../helpers/fixtures';
import { startTestStack, type TestStack } from '../helpers/stack';
import { sleep, waitFor } from '../helpers/wait-for';

const SIGNED = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'TEST-WEBHOOK-SECRET' };

const customer = (chatId: number) => ({ id: chatId, is_bot: false, first_name: 'Lucía', last_name: 'Fernández', username: 'lucia_f', language_code: 'es' });
const privateChat = (chatId: number) => ({ id: chatId, first_name: 'Lucía', type: 'private' });
const textUpdate = (updateId: number, chatId: number, text: string) => ({
  update_id: updateId,
  message: { message_id: updateId % 100000, from: customer(chatId), chat: privateChat(chatId), date: 1735725600, text },
});

describe('Telegram webhook', () => {
  let stack: TestStack;
  let telegram: FakeTelegram;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    stack = await startTestStack({ channels: { telegram: { ...telegram.credentials(), quietPeriodMs: 0 } } });
  });
  afterAll(async () => {
    await stack.stop();
    await telegram.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = SIGNED) =>
    stack.request('POST', '/webhooks/demo/telegram', typeof body === 'string' ? body : JSON.stringify(body), headers);
  const conversation = (contactId: string | number) => stack.client.workflow.getHandle(`conversation:demo:telegram:${contactId}`);
  const sendsTo = (chatId: number) => telegram.callsTo('sendMessage').filter((call) => call.body.chat_id === chatId);
  const customerEntries = async (contactId: string | number) => (await conversation(contactId).query(stateQuery)).transcript.filter((entry) => entry.role === 'customer');
  async function expectNoConversation(contactId: string | number): Promise<void> {
    await expect(conversation(contactId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }

  // First: the edited-message fixture is of the chat the text fixture then opens.
  describe('updates that are not a customer speaking are acknowledged and start nothing', () => {
    test.each(fixtureNames('telegram', '.ignore.json'))('%s', async (name) => {
      const update = fixtureJson(name);
      const chatId = (update.message ?? update.edited_message).chat.id;
      const before = telegram.calls.length;
      expect(await post(fixtureBody(name))).toMatchObject({ status: 200, body: '' });
      await expectNoConversation(chatId);
      expect(telegram.calls.length).toBe(before);
    });

    const bot = { id: 7000000002, is_bot: true, first_name: 'Otro Bot' };
    const documented: [string, number, Record<string, unknown>][] = [
      ['a channel post', -100200, { channel_post: { message_id: 1, chat: { id: -100200, type: 'channel', title: 'Novedades' }, date: 1735725600, text: 'Promo' } }],
      ['a message from a bot', 900001002, { message: { message_id: 2, from: bot, chat: privateChat(900001002), date: 1735725600, text: 'hola' } }],
      ['a pinned message', 900001003, { message: { message_id: 3, from: customer(900001003), chat: privateChat(900001003), date: 1735725600, pinned_message: { message_id: 1, chat: privateChat(900001003), date: 1, text: 'Hola' } } }],
      ['the bot blocked', 900001004, { my_chat_member: { chat: privateChat(900001004), from: customer(900001004), date: 1735725600, old_chat_member: { status: 'member', user: bot }, new_chat_member: { status: 'kicked', user: bot, until_date: 0 } } }],
      ['a reaction', 900001005, { message_reaction: { chat: privateChat(900001005), message_id: 5000, user: customer(900001005), date: 1735725600, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] } }],
      ['an inline query', 900001006, { inline_query: { id: 'iq', from: customer(900001006), query: 'turno', offset: '' } }],
      ['a poll answer', 900001007, { poll_answer: { poll_id: 'p', user: customer(900001007), option_ids: [0] } }],
      ['a join request', 900001008, { chat_join_request: { chat: { id: -100300, type: 'supergroup', title: 'VIP' }, from: customer(900001008), user_chat_id: 900001008, date: 1735725600 } }],
      ['the business owner’s own message', 900001009, { business_message: { message_id: 9, business_connection_id: 'conn9', from: { id: 555, is_bot: false, first_name: 'Clínica' }, chat: privateChat(900001009), date: 1735725600, text: 'Le respondo yo' } }],
    ];
    test.each(documented)('%s', async (_name, chatId, fields) => {
      const before = telegram.calls.length;
      expect(await post({ update_id: 812347000 + Math.abs(chatId % 1000), ...fields })).toMatchObject({ status: 200, body: '' });
      await expectNoConversation(chatId);
      await expectNoConversation(`biz.conn9.${chatId}`);
      expect(telegram.calls.length).toBe(before);
    });
  });

  test('a button pressed in a group starts nothing, yet is answered so that its spinner stops', async () => {
    const group = { id: -100400, type: 'supergroup', title: 'Pacientes' };
    const press = { id: 'cbq-group', from: customer(900001010), chat_instance: '-9', data: 'x', message: { message_id: 10, chat: group, date: 1735725600, text: 'x' } };
    expect(await post({ update_id: 812348000, callback_query: press })).toMatchObject({ status: 200, body: '' });
    await waitFor('the press answered', () => telegram.calls.some((call) => call.method === 'answerCallbackQuery' && call.body.callback_query_id === 'cbq-group'));
    await expectNoConversation(-100400);
    await expectNoConversation(900001010);
  });

  test('a customer text is acknowledged and answered through sendMessage', async () => {
    const response = await post(fixtureBody('telegram.text.json'));
    expect(response).toMatchObject({ status: 200, body: '' });
    await waitFor('the reply', () => sendsTo(900000001).length > 0);
    expect(sendsTo(900000001)[0]).toEqual({ method: 'sendMessage', token: 'TEST-TOKEN', body: { chat_id: 900000001, text: expect.stringMatching(/\S/) } });
    expect(telegram.sent.at(-1)).toMatchObject({ token: 'TEST-TOKEN', chat_id: 900000001 });
    const state = await conversation(900000001).query(stateQuery);
    expect(state.displayName).toBe('Lucía Fernández');
    expect(await customerEntries(900000001)).toEqual([expect.objectContaining({ messageId: 'tg-812345001', text: 'Hola, quiero un turno' })]);
  });

  test('the reply is exactly the assistant’s answer, to the chat that asked', async () => {
    await post(textUpdate(812350001, 900000101, '¿Cuánto sale la limpieza facial?'));
    await waitFor('the reply', () => sendsTo(900000101).length > 0);
    expect(sendsTo(900000101).map((call) => call.body)).toEqual([{ chat_id: 900000101, text: expect.stringMatching(/Limpieza facial profunda.*18\.000/) }]);
  });

  test('/start is answered', async () => {
    await post(fixtureBody('telegram.command-start.json'));
    await waitFor('the reply', () => sendsTo(900000001).length > 1);
  });

  test('the same update delivered three times is answered once', async () => {
    const body = JSON.stringify(textUpdate(812350002, 900000102, 'Hola'));
    const answers = await Promise.all([post(body), post(body), post(body)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await waitFor('the reply', () => sendsTo(900000102).length > 0);
    await sleep(1500);
    expect(sendsTo(900000102)).toHaveLength(1);
    expect((await customerEntries(900000102)).map((entry) => entry.messageId)).toEqual(['tg-812350002']);
  });

  test('a photo and a voice note reach the conversation by file_id, fetched through getFile and the file server', async () => {
    const photo = fixtureJson('telegram.photo.json');
    const voice = fixtureJson('telegram.voice.json');
    for (const update of [photo, voice]) {
      update.message.chat.id = 900000103;
      expect((await post(update)).status).toBe(200);
    }
    await waitFor('both messages in the conversation', async () => (await customerEntries(900000103).catch(() => [])).length === 2);
    const [photoEntry, voiceEntry] = await customerEntries(900000103);
    expect(photoEntry).toMatchObject({ text: 'Foto del comprobante', media: [{ kind: 'image', url: 'AgACAgEAAxkBAAIEs2FAKEphotoLARGE', mimeType: 'image/jpeg' }] });
    expect(voiceEntry).toMatchObject({ media: [{ kind: 'audio', url: voice.message.voice.file_id, mimeType: 'audio/ogg' }] });

    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    telegram.addFile('AgACAgEAAxkBAAIEs2FAKEphotoLARGE', jpeg, 'image/jpeg');
    await expect(telegramAdapter.fetchMedia(telegram.credentials(), photoEntry!.media![0]!)).resolves.toEqual({ bytes: jpeg, mimeType: 'image/jpeg' });
    expect(telegram.callsTo('getFile').at(-1)!.body).toEqual({ file_id: 'AgACAgEAAxkBAAIEs2FAKEphotoLARGE' });
    expect(telegram.downloads.at(-1)).toEqual({ token: 'TEST-TOKEN', path: expect.any(String) });
  });

  test('a pressed button: the conversation hears the button’s text and the press is acknowledged', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Limpieza facial', callback_data: 'svc:facial' }], [{ text: 'Depilación láser', callback_data: 'svc:laser' }]] };
    const press = {
      update_id: 812350004,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from: customer(900000104),
        chat_instance: '-8127313',
        data: 'svc:facial',
        message: { message_id: 5100, from: { id: 7000000001, is_bot: true, first_name: 'Clinica Bot' }, chat: privateChat(900000104), date: 1735725600, text: '¿Qué servicio?', reply_markup: keyboard },
      },
    };
    expect((await post(press)).status).toBe(200);
    const acknowledgements = () => telegram.callsTo('answerCallbackQuery').filter((call) => call.body.callback_query_id === '4382bfdwdsb323b2d9');
    await waitFor('the acknowledgement', () => acknowledgements().length > 0);
    expect(acknowledgements()).toEqual([{ method: 'answerCallbackQuery', token: 'TEST-TOKEN', body: { callback_query_id: '4382bfdwdsb323b2d9' } }]);
    await waitFor('the reply', () => sendsTo(900000104).length > 0);
    expect(await customerEntries(900000104)).toEqual([expect.objectContaining({ messageId: 'tg-812350004', text: 'Limpieza facial' })]);
  });

  test('a Telegram Business customer is answered through the business connection', async () => {
    const update = {
      update_id: 812350005,
      business_message: { message_id: 77, business_connection_id: 'l9cI5X9wBGIDAAAAhK8UHeF3zCU', from: customer(900000105), chat: privateChat(900000105), date: 1735725600, text: 'Hola' },
    };
    expect((await post(update)).status).toBe(200);
    await waitFor('the reply', () => sendsTo(900000105).length > 0);
    expect(sendsTo(900000105)[0]!.body).toEqual({ chat_id: 900000105, business_connection_id: 'l9cI5X9wBGIDAAAAhK8UHeF3zCU', text: expect.stringContaining('Clínica Demo') });
  });

  describe('requests that are not Telegram’s start nothing', () => {
    const update = textUpdate(812350006, 900000106, 'Hola');

    test('no secret header: 401', async () => {
      const response = await post(update, { 'content-type': 'application/json' });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'unauthenticated' });
      await expectNoConversation(900000106);
    });

    test('a wrong secret: 403', async () => {
      const response = await post(update, { ...SIGNED, 'x-telegram-bot-api-secret-token': 'TEST-WEBHOOK-SECRXT' });
      expect(response.status).toBe(403);
      await expectNoConversation(900000106);
    });

    test('a body that is not JSON: 400 with a JSON error', async () => {
      const response = await post('{"update_id": 812350006, "message": {', SIGNED);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'malformed_webhook', message: expect.any(String) });
    });

    test('JSON that is not an update: 400', async () => {
      const response = await post({ message: update.message });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'malformed_webhook', message: expect.stringContaining('update_id') });
      await expectNoConversation(900000106);
    });

    test('over 1 MB: 413', async () => {
      const response = await post(textUpdate(812350006, 900000106, 'a'.repeat(1024 * 1024)));
      expect(response.status).toBe(413);
      await expectNoConversation(900000106);
    });
  });
});
