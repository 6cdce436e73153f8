import Fastify from 'fastify';
import { DateTime } from 'luxon';
import { adminAuthenticator, bearerResolver } from '../src/api/admin-auth';
import { registerErrorHandler } from '../src/api/errors';
import { registerAdminTenantsRoutes } from '../src/api/routes/admin-tenants';
import { appointmentStateQuery, appointmentWorkflowId } from '../src/workflows/appointment-definitions';
import { FakeTelegram } from './helpers/fake-telegram';
import { listen, type HttpRequest } from './helpers/http';
import { startTestStack, type TestStack } from './helpers/stack';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/time-skipping';
import { waitFor } from './helpers/wait-for';

const ADMIN_TOKEN = 'admin-token-for-onboarding-0123456789';
const ZONE = 'America/New_York';
const TENANT = 'harbour-physio';
const WEBHOOK_SECRET = 'harbour-webhook-secret';
const BOT_TOKEN = 'HARBOUR-BOT-TOKEN';

/**
 * An English-speaking physiotherapy practice in New York, nothing like the demo clinic: its own
 * zone, language, hours, services, staff and reminder offsets (a day and two hours before).
 */
function harbourPhysio(telegramApiBase?: string) {
  const hours = [{ start: '08:00', end: '17:00' }];
  return {
    id: TENANT,
    name: 'Harbour Physio',
    timeZone: ZONE,
    language: 'en',
    persona: 'You are Sam, the receptionist of Harbour Physio: friendly and brief.',
    businessDescription: 'Physiotherapy and sports massage in Brooklyn, New York.',
    facts: { en: { address: '12 Water Street, Brooklyn, NY', paymentMethods: ['cash', 'cards'] } },
    services: [
      {
        id: 'sports-massage',
        name: 'Sports massage',
        description: 'Deep tissue massage for athletes.',
        durationMinutes: 45,
        price: 90,
        currency: 'USD',
        translations: { es: { name: 'Masaje deportivo' } },
      },
      { id: 'physio-assessment', name: 'Physiotherapy assessment', description: 'A first assessment with a plan.', durationMinutes: 60, price: 120, currency: 'USD' },
    ],
    staff: [{ id: 'jamie', name: 'Jamie', serviceIds: ['sports-massage', 'physio-assessment'] }],
    booking: {
      schedule: { weeklyHours: { '1': hours, '2': hours, '3': hours, '4': hours, '5': hours }, slotIntervalMinutes: 15, minNoticeMinutes: 60, maxDaysAhead: 30 },
      reminderOffsetsMinutes: [1440, 120],
      quietHours: { start: '21:00', end: '07:00' },
    },
    channels: telegramApiBase ? { telegram: { apiBase: telegramApiBase, botToken: BOT_TOKEN, webhookSecret: WEBHOOK_SECRET, quietPeriodMs: 0 } } : {},
  };
}

/** A weekday (the practice opens Monday to Friday) at least `days` after `from`, on the practice's clock. */
function weekdayAfter(from: DateTime, days: number): DateTime {
  let day = from.setZone(ZONE).startOf('day').plus({ days });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day;
}

const englishDate = (day: DateTime) => day.setLocale('en').toFormat('MMMM d');

async function createTenant(request: HttpRequest, document: unknown): Promise<string> {
  const created = await request('POST', '/admin/tenants', document, { authorization: `Bearer ${ADMIN_TOKEN}` });
  expect(created.status).toBe(201);
  return created.body.token;
}

describe('a tenant made through POST /admin/tenants books and reminds like the demo tenant', () => {
  describe('web chat (its backend speaks with its own token)', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack({ adminToken: ADMIN_TOKEN });
    });
    afterAll(() => stack.stop());

    test('availability, a summary, a yes: the booking is on its calendar and its appointment workflow plans its own reminders', async () => {
      const token = await createTenant(stack.request, harbourPhysio());
      const say = async (message: string) => {
        const response = await stack.request('POST', '/api/chat', { tenant: TENANT, session_id: 'web-customer-1', message }, { authorization: `Bearer ${token}` });
        expect(response.status).toBe(200);
        return String(response.body.reply).replace(/\u00a0/g, ' ');
      };
      const day = weekdayAfter(DateTime.now(), 2);
      const start = day.set({ hour: 10 });

      // Its own hours (from 08:00, every 15 minutes), on its own calendar.
      const availability = await say(`Do you have availability on ${englishDate(day)} for a sports massage?`);
      expect(availability).toContain(`${day.setLocale('en').toFormat('cccc, LLLL d')}: 08:00, 08:15`);
      expect(await say('Please book it at 10 am')).toMatch(/10:00/);
      expect(await say('yes please')).toMatch(/10:00/);

      const { rows } = await stack.db.pool.query(`SELECT id, tenant_id, resource_id, service_id, status, starts_at FROM bookings WHERE contact_id = 'web-customer-1'`);
      expect(rows).toEqual([
        { id: expect.any(String), tenant_id: TENANT, resource_id: 'jamie', service_id: 'sports-massage', status: 'confirmed', starts_at: start.toJSDate() },
      ]);
      const handle = stack.client.workflow.getHandle(appointmentWorkflowId(rows[0].id));
      await waitFor('the appointment workflow to plan the reminders', async () => (await handle.query(appointmentStateQuery).catch(() => undefined))?.reminders.length === 2);
      expect((await handle.query(appointmentStateQuery)).reminders).toEqual([
        { offsetMinutes: 1440, at: start.minus({ days: 1 }).toUTC().toISO(), sent: false },
        { offsetMinutes: 120, at: start.minus({ hours: 2 }).toUTC().toISO(), sent: false },
      ]);
    });
  });

  describe('Telegram (time-skipping server: the reminders really go out)', () => {
    let telegram: FakeTelegram;
    let stack: TimeSkippingStack;
    let operator: Awaited<ReturnType<typeof listen>> & { close(): Promise<void> };
    beforeAll(async () => {
      telegram = await new FakeTelegram().start();
      stack = await startTimeSkippingStack();
      // The admin route, with the operator's token, on this stack's database.
      const app = Fastify();
      registerErrorHandler(app);
      registerAdminTenantsRoutes(app, { pool: stack.db.pool, authenticate: adminAuthenticator(bearerResolver({ adminToken: ADMIN_TOKEN, pool: stack.db.pool })) });
      operator = { ...(await listen(app)), close: () => app.close() };
    });
    afterAll(async () => {
      await operator?.close();
      await stack?.stop();
      await telegram?.stop();
    });

    const CHAT_ID = 700000042;
    let updateId = 900_000;
    /** Posts a customer's message as Telegram does, with the tenant's webhook secret. */
    async function write(text: string): Promise<void> {
      updateId += 1;
      const from = { id: CHAT_ID, is_bot: false, first_name: 'Robin', language_code: 'en' };
      const update = { update_id: updateId, message: { message_id: updateId, from, chat: { id: CHAT_ID, first_name: 'Robin', type: 'private' }, date: Math.floor((await stack.env.currentTimeMs()) / 1000), text } };
      const response = await stack.request('POST', `/webhooks/${TENANT}/telegram`, update, { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET });
      expect(response.status).toBe(200);
    }
    const received = () => telegram.sent.filter((message) => message.chat_id === CHAT_ID);
    const skipTo = async (instant: DateTime) => stack.env.sleep(instant.toMillis() - (await stack.env.currentTimeMs()));

    test('the customer books by chat; a day and two hours before, the reminders reach them through its own bot, in English, on its clock', async () => {
      await createTenant(operator.request, harbourPhysio(telegram.apiBase));
      const day = weekdayAfter(DateTime.fromMillis(await stack.env.currentTimeMs()), 3);
      const start = day.set({ hour: 10 });

      await write(`I'd like to book a sports massage on ${englishDate(day)} at 10 am`);
      await waitFor('the summary to say yes to', () => received().length === 1);
      await write('yes');
      await waitFor('the booking', () => received().length === 2);
      const { rows } = await stack.db.pool.query(`SELECT status, starts_at FROM bookings WHERE tenant_id = $1 AND channel = 'telegram'`, [TENANT]);
      expect(rows).toEqual([{ status: 'confirmed', starts_at: start.toJSDate() }]);

      await skipTo(start.minus({ days: 1 }).plus({ minutes: 1 }));
      await waitFor('the reminder a day before', () => received().length === 3);
      const dayBefore = received()[2]!;
      expect(dayBefore.token).toBe(BOT_TOKEN);
      expect(dayBefore.text).toContain(`Reminder: your Sports massage appointment is tomorrow, ${start.setLocale('en').toFormat('cccc, LLLL d')} at 10:00 AM`);

      await skipTo(start.minus({ hours: 2 }).plus({ minutes: 1 }));
      await waitFor('the reminder two hours before', () => received().length === 4);
      expect(received()[3]).toMatchObject({ token: BOT_TOKEN, text: expect.stringContaining('today at 10:00 AM') });
    });
  });
});
