import { telegramAdapter, splitText } from '../../src/channels/telegram';
import { FakeTelegram } from '../helpers/fake-telegram';
import { fixtureJson } from '../helpers/fixtures';

describe('Telegram sending', () => {
  let telegram: FakeTelegram;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
  });
  afterAll(() => telegram.stop());
  const credentials = () => telegram.credentials();
  const last = (method: string) => telegram.callsTo(method).at(-1)!;

  test('a text is sendMessage with the chat id as a number, resolving to Telegram’s message id', async () => {
    const id = await telegramAdapter.send(credentials(), '900000001', { text: '¡Listo! Tu turno quedó reservado.' });
    expect(last('sendMessage')).toEqual({ method: 'sendMessage', token: 'TEST-TOKEN', body: { chat_id: 900000001, text: '¡Listo! Tu turno quedó reservado.' } });
    expect(id).toMatch(/^\d+$/);
  });

  test('choices become an inline keyboard, one button a row, as the documented request shapes it', async () => {
    const documented = fixtureJson('telegram.send-message.request.json').body;
    await telegramAdapter.send(credentials(), '900000001', { text: documented.text, choices: [{ id: 'show:appt123', title: 'Ver turno' }] });
    expect(last('sendMessage').body).toEqual({ chat_id: 900000001, text: documented.text, reply_markup: documented.reply_markup });
  });

  test('callback data stays within Telegram’s 64 bytes without cutting a character in half', async () => {
    await telegramAdapter.send(credentials(), '900000001', { text: '¿Cuál?', choices: [{ id: 'ñ'.repeat(40), title: 'Opción' }] });
    const data: string = last('sendMessage').body.reply_markup.inline_keyboard[0][0].callback_data;
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data).toBe('ñ'.repeat(32));
  });

  test('an image goes as sendPhoto with the text as its caption and the buttons', async () => {
    const id = await telegramAdapter.send(credentials(), '900000001', {
      text: 'Así llegás a la sede',
      attachment: { kind: 'image', url: 'https://cdn.example.com/mapa.png' },
      choices: [{ id: 'ok', title: 'Gracias' }],
    });
    expect(last('sendPhoto').body).toEqual({
      chat_id: 900000001,
      photo: 'https://cdn.example.com/mapa.png',
      caption: 'Así llegás a la sede',
      reply_markup: { inline_keyboard: [[{ text: 'Gracias', callback_data: 'ok' }]] },
    });
    expect(id).toMatch(/^\d+$/);
  });

  test('a document goes as sendDocument; a text too long for a caption goes first, on its own', async () => {
    const before = telegram.callsTo('sendMessage').length;
    await telegramAdapter.send(credentials(), '900000001', { text: 'x'.repeat(1500), attachment: { kind: 'document', url: 'https://cdn.example.com/orden.pdf' } });
    expect(telegram.callsTo('sendMessage').slice(before).map((call) => call.body)).toEqual([{ chat_id: 900000001, text: 'x'.repeat(1500) }]);
    expect(last('sendDocument').body).toEqual({ chat_id: 900000001, document: 'https://cdn.example.com/orden.pdf' });
  });

  test('a text over 4096 characters goes in pieces, the buttons on the last', async () => {
    const paragraph = `${'palabra '.repeat(300).trim()}\n`;
    const text = paragraph.repeat(3).trim();
    const before = telegram.callsTo('sendMessage').length;
    await telegramAdapter.send(credentials(), '900000001', { text, choices: [{ id: 'a', title: 'A' }] });
    const bodies = telegram.callsTo('sendMessage').slice(before).map((call) => call.body);
    // Cut between paragraphs, each of them 2399 characters.
    expect(bodies.map((body) => body.text)).toEqual(text.split('\n'));
    expect(bodies.map((body) => body.reply_markup)).toEqual([undefined, undefined, { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }]);
  });

  test('splitting prefers words to the limit, and never separates the halves of an emoji', () => {
    expect(splitText('uno dos tres cuatro cinco', 12)).toEqual(['uno dos tres', 'cuatro cinco']);
    expect(splitText(`${'a'.repeat(9)}😀b`, 10)).toEqual(['a'.repeat(9), '😀b']);
  });

  test('a business customer is answered through their business connection', async () => {
    await telegramAdapter.send(credentials(), 'biz.l9cI5X9wBGIDAAAAhK8UHeF3zCU.900000001', { text: 'Hola' });
    expect(last('sendMessage').body).toEqual({ chat_id: 900000001, business_connection_id: 'l9cI5X9wBGIDAAAAhK8UHeF3zCU', text: 'Hola' });
  });

  test('a blocked bot (403) is a refusal; flood control (429) is retried after Telegram’s wait', async () => {
    telegram.refuseNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    await expect(telegramAdapter.send(credentials(), '900000001', { text: 'Hola' })).rejects.toMatchObject({ type: 'ChannelRefused', nonRetryable: true });
    telegram.refuseNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 7', retryAfter: 7 });
    await expect(telegramAdapter.send(credentials(), '900000001', { text: 'Hola' })).rejects.toMatchObject({ type: 'ChannelRateLimited', nonRetryable: false });
  });

  test('a button press is acknowledged with answerCallbackQuery', async () => {
    await telegramAdapter.acknowledgeCallback!(credentials(), '4382bfdwdsb323b2d9');
    expect(last('answerCallbackQuery').body).toEqual({ callback_query_id: '4382bfdwdsb323b2d9' });
  });

  test('a file is fetched through getFile and the file server', async () => {
    const bytes = Buffer.from('OggS-voice-note');
    telegram.addFile('AwACAgEAAxkBAAIEsmFAKEFILEIDvoice000000000000000', bytes, 'application/octet-stream');
    const file = await telegramAdapter.fetchMedia(credentials(), { kind: 'audio', url: 'AwACAgEAAxkBAAIEsmFAKEFILEIDvoice000000000000000', mimeType: 'audio/ogg' });
    expect(file).toEqual({ bytes, mimeType: 'audio/ogg' });
    expect(last('getFile').body).toEqual({ file_id: 'AwACAgEAAxkBAAIEsmFAKEFILEIDvoice000000000000000' });
    expect(telegram.downloads.at(-1)).toEqual({ token: 'TEST-TOKEN', path: expect.stringMatching(/^files\//) });
  });

  test('a file id Telegram does not know is a refusal', async () => {
    await expect(telegramAdapter.fetchMedia(credentials(), { kind: 'image', url: 'nope' })).rejects.toMatchObject({ type: 'ChannelRefused' });
  });
});
