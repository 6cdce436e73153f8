import { FakeTelegram } from './helpers/fake-telegram';
import { weekdayAhead } from './helpers/booking-fixtures';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

/** Offered times become buttons; a tap answers like typing the time (PRODUCT.md §6). */
describe('interactive answers on Telegram', () => {
  let telegram: FakeTelegram;
  let stack: TestStack;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    stack = await startTestStack({ channels: { telegram: { ...telegram.credentials(), quietPeriodMs: 0 } } });
  });
  afterAll(async () => {
    await stack.stop();
    await telegram.stop();
  });

  const chatId = 900000555;
  const headers = { 'x-telegram-bot-api-secret-token': 'TEST-WEBHOOK-SECRET' };
  const sendMessages = () => telegram.calls.filter((call) => call.method === 'sendMessage' && call.body.chat_id === chatId);
  let updateId = 100;
  const chat = { id: chatId, type: 'private' };
  const from = { id: chatId, is_bot: false, first_name: 'Ana' };

  test('the free times come as an inline keyboard; tapping one asks to book that time, and a yes books it', async () => {
    const day = weekdayAhead(2);
    const text = `¿Tienen turno el ${day.toFormat('d/M')} para depilación láser?`;
    await stack.request('POST', '/webhooks/demo/telegram', { update_id: updateId++, message: { message_id: 1, from, chat, date: 0, text } }, headers);
    await waitFor('the free times', () => sendMessages().length === 1);
    const offer = sendMessages()[0]!.body;
    const buttons: Array<{ text: string; callback_data: string }> = offer.reply_markup.inline_keyboard.flat();
    expect(buttons.map((button) => button.text)).toContain('10:00');
    for (const button of buttons) expect(offer.text).toContain(button.text);

    const ten = buttons.find((button) => button.text === '10:00')!;
    const press = { id: 'cbq-1', from, message: { message_id: 5000, chat, date: 0, text: offer.text, reply_markup: offer.reply_markup }, data: ten.callback_data };
    const response = await stack.request('POST', '/webhooks/demo/telegram', { update_id: updateId++, callback_query: press }, headers);
    expect(response.status).toBe(200);
    await waitFor('the answer to the tap', () => sendMessages().length === 2);
    await waitFor('the tap acknowledged', () => telegram.calls.some((call) => call.method === 'answerCallbackQuery' && call.body.callback_query_id === 'cbq-1'));
    // A tap on a listed time is read as typing it would be: the assistant sums it up and waits for a yes.
    expect(sendMessages()[1]!.body.text).toMatch(/10:00 está libre para Depilación láser\. ¿Te lo reservo\?$/);
    const booked = async () =>
      (await stack.db.pool.query(`SELECT starts_at FROM bookings WHERE channel = 'telegram' AND contact_id = $1 AND status <> 'cancelled'`, [String(chatId)])).rows;
    expect(await booked()).toEqual([]);

    await stack.request('POST', '/webhooks/demo/telegram', { update_id: updateId++, message: { message_id: 2, from, chat, date: 0, text: 'sí' } }, headers);
    await waitFor('the booking', () => sendMessages().length === 3);
    expect(sendMessages()[2]!.body.text).toContain('Te reservé Depilación láser');
    expect((await booked()).map((row) => row.starts_at.toISOString())).toEqual([day.set({ hour: 10 }).toUTC().toISO()]);
  });
});
