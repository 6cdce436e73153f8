import { DateTime } from 'luxon';
import { hmacSha256Hex } from '../src/secrets';
import { weekdayAhead } from './helpers/booking-fixtures';
import { FakeWhatsApp } from './helpers/fake-whatsapp';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/time-skipping';
import { waitFor } from './helpers/wait-for';

const REMINDER_TEMPLATE = { name: 'appointment_reminder', language: 'es_AR' };

/**
 * WhatsApp lets a business write free text only within 24 hours of the customer's last message;
 * a reminder after that goes as the approved template (PRODUCT.md §2, §6).
 */
describe('reminders on WhatsApp (time-skipping server, signed webhooks)', () => {
  let whatsapp: FakeWhatsApp;
  let stack: TimeSkippingStack;
  beforeAll(async () => {
    whatsapp = await new FakeWhatsApp().start();
    stack = await startTimeSkippingStack({
      channels: { whatsapp: { ...whatsapp.credentials(), quietPeriodMs: 0, reminderTemplate: REMINDER_TEMPLATE } },
    });
  });
  afterAll(async () => {
    await stack.stop();
    await whatsapp.stop();
  });

  let messageNumber = 0;
  /** Posts a message as Meta does: one notification, signed with the app secret. */
  async function notify(waId: string, message: Record<string, unknown>): Promise<void> {
    const timestamp = String(Math.floor((await stack.env.currentTimeMs()) / 1000));
    const value = {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '5491100009999', phone_number_id: whatsapp.credentials().phoneNumberId },
      contacts: [{ profile: { name: 'Lucía Fernández' }, wa_id: waId }],
      messages: [{ from: waId, id: `wamid.test-${waId}-${++messageNumber}`, timestamp, ...message }],
    };
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '200000000000001', changes: [{ value, field: 'messages' }] }] });
    const response = await stack.request('POST', '/webhooks/demo/whatsapp', body, {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${hmacSha256Hex(whatsapp.credentials().appSecret, body)}`,
    });
    expect(response.status).toBe(200);
  }
  const write = (waId: string, text: string) => notify(waId, { type: 'text', text: { body: text } });
  const sentTo = (waId: string) => whatsapp.sent(waId);
  const skipTo = async (instant: DateTime) => stack.env.sleep(instant.toMillis() - (await stack.env.currentTimeMs()));
  const bookingOf = async (waId: string) =>
    (await stack.db.pool.query(`SELECT id, status, starts_at FROM bookings WHERE channel = 'whatsapp' AND contact_id = $1`, [waId])).rows;

  /** Books depilación láser at 10:00 on `day` through the conversation, as a customer would. */
  async function bookByChat(waId: string, day: DateTime): Promise<void> {
    await write(waId, `Quiero reservar depilación láser el ${day.toFormat('d/M')} a las 10`);
    await waitFor('the summary to say yes to', () => sentTo(waId).length === 1);
    expect(await bookingOf(waId)).toEqual([]);
    await write(waId, 'sí');
    await waitFor('the booking', () => sentTo(waId).length === 2);
    expect(await bookingOf(waId)).toEqual([expect.objectContaining({ status: 'confirmed' })]);
  }

  test('silent for two days, the customer gets the 24 h reminder as the template; tapping "Cancelar" cancels, and the 1 h reminder never goes', async () => {
    const waId = '5491100000321';
    const day = weekdayAhead(3);
    const start = day.set({ hour: 10 });
    await bookByChat(waId, day);

    await skipTo(start.minus({ hours: 24 }).plus({ minutes: 1 }));
    await waitFor('the 24 h reminder', () => sentTo(waId).length === 3);
    expect(sentTo(waId)[2]).toEqual({
      messaging_product: 'whatsapp',
      to: waId,
      type: 'template',
      template: {
        name: 'appointment_reminder',
        language: { code: 'es_AR' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: expect.any(String) },
              { type: 'text', text: start.setLocale('es').toFormat("d 'de' LLLL, H:mm") },
            ],
          },
          ...(sentTo(waId)[2].template.components.slice(1) as unknown[]),
        ],
      },
    });

    // The template's quick-reply button comes back as a "button" message with its text.
    await notify(waId, { type: 'button', button: { payload: 'cancelar', text: 'Cancelar' } });
    await waitFor('the cancellation', async () => (await bookingOf(waId))[0]?.status === 'cancelled');
    await waitFor('its confirmation', () => sentTo(waId).length === 4);
    expect(sentTo(waId)[3]).toMatchObject({ type: 'text', text: { body: expect.stringMatching(/cancel/i) } });

    await skipTo(start.minus({ hours: 1 }).plus({ minutes: 5 }));
    expect(sentTo(waId)).toHaveLength(4);
  });

  test('a reminder refused as outside the window (a 131047 status) is sent again as the template, once', async () => {
    const waId = '5491100000322';
    const day = weekdayAhead(4);
    const start = day.set({ hour: 10 });
    await bookByChat(waId, day);
    // The customer wrote a day before the appointment: the reminder goes as free text...
    await skipTo(start.minus({ hours: 25 }));
    await write(waId, 'Hola, ¿dónde queda la clínica?');
    await waitFor('the answer', () => sentTo(waId).length === 3);
    await skipTo(start.minus({ hours: 24 }).plus({ minutes: 1 }));
    await waitFor('the 24 h reminder', () => sentTo(waId).length === 4);
    expect(sentTo(waId)[3].type).not.toBe('template');
    const reminderId = whatsapp.requests.filter((request) => request.body?.to === waId).at(-1)!.messageId!;

    // ...which Meta refuses after all (the window is Meta's to judge), twice over.
    const failed = {
      object: 'whatsapp_business_account',
      entry: [{ id: '200000000000001', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '5491100009999', phone_number_id: whatsapp.credentials().phoneNumberId },
        statuses: [{ id: reminderId, status: 'failed', timestamp: '1', recipient_id: waId, errors: [{ code: 131047, title: 'Re-engagement message' }] }],
      } }] }],
    };
    const body = JSON.stringify(failed);
    for (let i = 0; i < 2; i++) {
      const response = await stack.request('POST', '/webhooks/demo/whatsapp', body, {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${hmacSha256Hex(whatsapp.credentials().appSecret, body)}`,
      });
      expect(response.status).toBe(200);
    }
    await waitFor('the template', () => sentTo(waId).length === 5);
    expect(sentTo(waId)[4]).toMatchObject({ type: 'template', template: { name: 'appointment_reminder' } });
    await stack.env.sleep(5_000);
    expect(sentTo(waId)).toHaveLength(5);
  });
});
