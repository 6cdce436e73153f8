import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { signalAppointment } from '../src/temporal/appointments';
import { FakeTelegram } from './helpers/fake-telegram';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/time-skipping';
import { waitFor } from './helpers/wait-for';

/** "baja" stops reminders and every message we start; "alta" brings them back (PRODUCT.md §2). */
describe('opting out of reminders (time-skipping server, Telegram webhooks)', () => {
  let telegram: FakeTelegram;
  let stack: TimeSkippingStack;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    stack = await startTimeSkippingStack({ channels: { telegram: { ...telegram.credentials(), quietPeriodMs: 0 } } });
    await stack.db.pool.query(`INSERT INTO resources (tenant_id, id, name) VALUES ('demo', 'sala-baja', 'Sala')`);
    await stack.db.pool.query(`INSERT INTO resource_services (tenant_id, resource_id, service_id) VALUES ('demo', 'sala-baja', 'depilacion-laser')`);
  });
  afterAll(async () => {
    await stack.stop();
    await telegram.stop();
  });

  const chatId = 900000777;
  const received = () => telegram.sent.filter((message) => message.chat_id === chatId).map((message) => message.text);
  let updateId = 1;
  const write = async (text: string) => {
    const update = { update_id: updateId++, message: { message_id: updateId, from: { id: chatId, is_bot: false, first_name: 'Ana' }, chat: { id: chatId, type: 'private' }, date: Math.floor(Date.now() / 1000), text } };
    const response = await stack.request('POST', '/webhooks/demo/telegram', update, { 'x-telegram-bot-api-secret-token': 'TEST-WEBHOOK-SECRET' });
    expect(response.status).toBe(200);
  };
  const optedOut = async () =>
    (await stack.db.pool.query(`SELECT opted_out_at IS NOT NULL AS out FROM contacts WHERE channel = 'telegram' AND contact_id = $1`, [String(chatId)])).rows[0]?.out;
  const skipTo = async (instant: DateTime) => stack.env.sleep(instant.toMillis() - (await stack.env.currentTimeMs()));

  test('"baja" is confirmed once and stops the 24 h reminder of an existing booking; "alta" lets the 1 h one through', async () => {
    const now = DateTime.fromMillis(await stack.env.currentTimeMs(), { zone: DEMO_TENANT.timeZone });
    const start = now.plus({ days: 3 }).set({ hour: 15, minute: 0, second: 0, millisecond: 0 });
    const { rows } = await stack.db.pool.query(
      `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, customer_name, status, starts_at, ends_at, blocked, idempotency_key)
       VALUES ('demo', 'sala-baja', 'depilacion-laser', 'telegram', $1, 'Ana', 'confirmed', $2, $3, tstzrange($2, $3), $4) RETURNING id`,
      [String(chatId), start.toJSDate(), start.plus({ minutes: 45 }).toJSDate(), randomUUID()],
    );
    await signalAppointment(stack.temporal, { tenantId: 'demo', bookingId: rows[0].id });

    await write('baja');
    await waitFor('the confirmation', () => received().length === 1);
    expect(received()[0]).toContain('no te enviaremos más recordatorios');
    expect(await optedOut()).toBe(true);

    await skipTo(start.minus({ hours: 24 }).plus({ minutes: 5 }));
    expect(received()).toHaveLength(1);

    await write('alta');
    await waitFor('the confirmation', () => received().length === 2);
    expect(received()[1]).toContain('Volverás a recibir');
    expect(await optedOut()).toBe(false);

    await skipTo(start.minus({ hours: 1 }).plus({ minutes: 5 }));
    await waitFor('the 1 h reminder', () => received().length === 3);
    expect(received()[2]).toMatch(/^Hola, Ana\. Recordatorio: tu turno de Depilación láser es hoy a las 15:00/);
  });
});
