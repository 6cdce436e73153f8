import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { createDeliveryActivities } from '../src/activities/delivery';
import { channelSetupLookup } from '../src/channels/setup';
import { FakeTelegram } from './helpers/fake-telegram';
import { createTestDatabase, type TestDatabase } from './helpers/services';

describe('sendToContact (the channel-send activity)', () => {
  let db: TestDatabase;
  let telegram: FakeTelegram;
  beforeAll(async () => {
    db = await createTestDatabase();
    telegram = await new FakeTelegram().start();
  });
  afterAll(async () => {
    await telegram.stop();
    await db.drop();
  });

  const ref = { tenantId: 'demo', channel: 'telegram' as const, contactId: '3001' };

  test('a retried send with the same key reaches the customer once', async () => {
    const { sendToContact } = createDeliveryActivities({
      pool: db.pool,
      channels: channelSetupLookup(db.pool, { telegram: telegram.credentials() }),
    });
    expect(await sendToContact({ ref, text: 'Tu turno es el martes', idempotencyKey: 'session-a:7' })).toEqual({ delivery: 'sent' });
    expect(await sendToContact({ ref, text: 'Tu turno es el martes', idempotencyKey: 'session-a:7' })).toEqual({ delivery: 'sent-before' });
    expect(telegram.sent).toEqual([{ token: 'TEST-TOKEN', chat_id: 3001, text: 'Tu turno es el martes' }]);
    const { rows } = await db.pool.query("SELECT status, provider_message_id FROM outbound_messages WHERE idempotency_key = 'session-a:7'");
    expect(rows).toEqual([{ status: 'sent', provider_message_id: expect.stringMatching(/^\d+$/) }]);
  });

  test('two attempts racing to send the same message send it once', async () => {
    const { sendToContact } = createDeliveryActivities({
      pool: db.pool,
      channels: channelSetupLookup(db.pool, { telegram: telegram.credentials() }),
    });
    const before = telegram.sent.length;
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => sendToContact({ ref, text: 'Confirmado: martes 10:00', idempotencyKey: 'session-r:3' })),
    );
    expect(telegram.sent.length - before).toBe(1);
    expect(results.filter((result) => result.status === 'fulfilled' && result.value.delivery === 'sent')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ type: 'SendInFlight', nonRetryable: false });
    }
  });

  test('a contact who blocked the bot is a failure no retry can fix; a rate limit is retried later', async () => {
    const answers = [
      { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } },
      { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 7 } } },
    ];
    const server = http.createServer((_req, res) => {
      const answer = answers.shift()!;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { sendToContact } = createDeliveryActivities({
        pool: db.pool,
        channels: channelSetupLookup(db.pool, { telegram: { apiBase: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, botToken: 'T', webhookSecret: 'S' } }),
      });
      const blocked = await sendToContact({ ref, text: 'Hola', idempotencyKey: 'session-b:1' }).catch((error: unknown) => error);
      expect(blocked).toBeInstanceOf(ApplicationFailure);
      expect(blocked).toMatchObject({ nonRetryable: true, message: expect.stringContaining('bot was blocked') });
      const limited = await sendToContact({ ref, text: 'Hola', idempotencyKey: 'session-b:2' }).catch((error: unknown) => error);
      expect(limited).toMatchObject({ nonRetryable: false, nextRetryDelay: '7s' });
    } finally {
      server.close();
    }
  });

  test('a reminder whose booking was cancelled or moved after it was written is not sent', async () => {
    const { sendToContact } = createDeliveryActivities({
      pool: db.pool,
      channels: channelSetupLookup(db.pool, { telegram: telegram.credentials() }),
    });
    const start = new Date(Date.now() + 26 * 3_600_000);
    start.setUTCMinutes(0, 0, 0);
    const end = new Date(start.getTime() + 45 * 60_000);
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO bookings (tenant_id, resource_id, service_id, channel, contact_id, status, starts_at, ends_at, blocked, idempotency_key)
       SELECT 'demo', id, 'depilacion-laser', 'telegram', '3001', 'confirmed', $1, $2, tstzrange($1, $2), gen_random_uuid()::text
       FROM resources WHERE tenant_id = 'demo' LIMIT 1 RETURNING id`,
      [start, end],
    );
    const bookingId = rows[0]!.id;
    const reminder = (offset: number) => ({
      ref,
      text: 'Recordatorio: tu turno es mañana',
      idempotencyKey: `reminder:${bookingId}:${start.toISOString()}:${offset}`,
      proactive: { templateParameters: [] },
    });
    const before = telegram.sent.length;
    expect(await sendToContact(reminder(1440))).toEqual({ delivery: 'sent' });
    await db.pool.query(`UPDATE bookings SET starts_at = $2, ends_at = $3, blocked = tstzrange($2, $3) WHERE id = $1`, [bookingId, new Date(start.getTime() + 3_600_000), new Date(end.getTime() + 3_600_000)]);
    expect(await sendToContact(reminder(60))).toEqual({ delivery: 'not-sent', reason: 'booking-changed' });
    await db.pool.query(`UPDATE bookings SET status = 'cancelled', starts_at = $2, ends_at = $3, blocked = tstzrange($2, $3) WHERE id = $1`, [bookingId, start, end]);
    expect(await sendToContact(reminder(120))).toEqual({ delivery: 'not-sent', reason: 'booking-changed' });
    expect(telegram.sent.length - before).toBe(1);
  });

  test('a channel the tenant has not configured fails for good, naming it', async () => {
    const { sendToContact } = createDeliveryActivities({ pool: db.pool, channels: channelSetupLookup(db.pool, {}) });
    await expect(sendToContact({ ref, text: 'Hola', idempotencyKey: 'session-c:1' })).rejects.toMatchObject({
      nonRetryable: true,
      message: 'Channel telegram is not configured for tenant demo',
    });
  });
});
