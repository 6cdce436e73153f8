import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { deliverInboundMessage } from '../src/temporal/conversations';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { findTenant } from '../src/db/tenants';
import { signalAppointment } from '../src/temporal/appointments';
import { appointmentStateQuery, appointmentWorkflowId, stateQuery } from '../src/workflows';
import { FakeTelegram } from './helpers/fake-telegram';
import { testConversationDefaults } from './helpers/services';
import { startTestStack } from './helpers/stack';
import { startTimeSkippingStack } from './helpers/time-skipping';
import { waitFor } from './helpers/wait-for';

/**
 * An outage of our own infrastructure is waited out: no workflow gives up, nobody is handed to
 * staff, and every message is answered once PostgreSQL is back.
 */
describe('PostgreSQL down', () => {
  test('longer than an hour (time-skipping): the conversation and the appointment wait, then do their work', async () => {
    const telegram = await new FakeTelegram().start();
    const stack = await startTimeSkippingStack({ channels: { telegram: telegram.credentials() }, databaseProxy: true });
    const { env, db, temporal, dbProxy } = stack;
    try {
      const now = DateTime.fromMillis(await env.currentTimeMs(), { zone: DEMO_TENANT.timeZone });
      const start = now.plus({ days: 3 }).set({ hour: 11, minute: 0, second: 0, millisecond: 0 });
      const { rows } = await db.pool.query(
        `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, customer_name, status, starts_at, ends_at, blocked, idempotency_key)
         VALUES ('demo', 'ana', 'depilacion-laser', 'telegram', '5550001', 'Lucía', 'confirmed', $1, $2, tstzrange($1, $2), $3) RETURNING id`,
        [start.toJSDate(), start.plus({ minutes: 45 }).toJSDate(), randomUUID()],
      );
      const bookingId: string = rows[0].id;
      const tenant = (await findTenant(db.pool, 'demo'))!;

      await dbProxy!.stop();
      await signalAppointment(temporal, { tenantId: 'demo', bookingId });
      const starter = { client: env.client, taskQueue: temporal.taskQueue, conversationDefaults: testConversationDefaults({ idleTimeoutMs: 24 * 3_600_000 }) };
      await deliverInboundMessage(starter, tenant, { tenantId: 'demo', channel: 'telegram', contactId: '5550001' }, { id: 'outage-1', text: '¿Cuánto sale la depilación láser?', receivedAt: new Date().toISOString() });
      await env.sleep(3 * 3_600_000); // three hours of failing attempts

      const conversation = env.client.workflow.getHandle('conversation:demo:telegram:5550001');
      const appointment = env.client.workflow.getHandle(appointmentWorkflowId(bookingId));
      expect((await conversation.describe()).status.name).toBe('RUNNING');
      expect((await appointment.describe()).status.name).toBe('RUNNING');
      expect(telegram.sent).toEqual([]);

      await dbProxy!.start();
      await env.sleep(2 * 60_000); // the next attempt, a minute at most after the last
      await waitFor('the reply, once PostgreSQL is back', () => telegram.sent.length === 1);
      expect(telegram.sent[0]!.text).toMatch(/Depilación láser/);
      expect((await conversation.query(stateQuery)).status).toBe('active');
      await waitFor('the reminders planned', async () => (await appointment.query(appointmentStateQuery)).reminders.length === 2);
      expect((await db.pool.query('SELECT count(*)::int AS n FROM staff_notifications')).rows[0].n).toBe(0);
    } finally {
      await stack.stop();
      await telegram.stop();
    }
  }, 120_000);

  test('for 30 s while customers chat: every message is answered after, nobody is handed to staff', async () => {
    const stack = await startTestStack({ databaseProxy: true, chatReplyTimeoutMs: 5_000 });
    const statuses: number[] = [];
    /** A web widget: sends, and on 503/504 sends the same message again a second later. */
    const send = async (session: string, messageId: string, message: string) => {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
        const response = await stack.request('POST', '/api/chat', { session_id: session, message, message_id: messageId });
        statuses.push(response.status);
        if (response.status === 200) return response.body as { reply: string; status: string };
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      throw new Error(`${messageId} never answered`);
    };
    const customer = async (session: string) => {
      const replies = [];
      for (const [i, text] of ['Hola', '¿Cuánto sale la limpieza facial?', '¿y el peeling?', 'gracias'].entries()) {
        replies.push(await send(session, `${session}-${i}`, text));
      }
      return replies;
    };
    try {
      const sessions = Array.from({ length: 8 }, (_, i) => `outage-${i}`);
      const chatting = Promise.all(sessions.map(customer));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await stack.dbProxy!.stop();
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      await stack.dbProxy!.start();
      const replies = await chatting;

      for (const conversation of replies) {
        expect(conversation.map((reply) => reply.status)).toEqual(['answered', 'answered', 'answered', 'answered']);
      }
      expect(statuses.filter((status) => status >= 500 && status !== 503 && status !== 504)).toEqual([]);
      expect(statuses.filter((status) => status === 503 || status === 504).length).toBeGreaterThan(0); // the outage was felt
      for (const session of sessions) {
        const state = await stack.client.workflow.getHandle(`conversation:demo:web:${session}`).query(stateQuery);
        expect(state.status).toBe('active');
        expect(state.transcript.filter((entry) => entry.role === 'assistant')).toHaveLength(4);
      }
      expect((await stack.db.pool.query('SELECT count(*)::int AS n FROM staff_notifications')).rows[0].n).toBe(0);
    } finally {
      await stack.stop();
    }
  }, 180_000);
});
