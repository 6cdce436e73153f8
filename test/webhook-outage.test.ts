import { Client, Connection } from '@temporalio/client';
import { buildServer } from '../src/api/server';
import { channelSetupLookup } from '../src/channels/setup';
import { holdInboundMessage } from '../src/db/inbound-inbox';
import { stateQuery } from '../src/workflows';
import { FakeTelegram } from './helpers/fake-telegram';
import { fixtureBody } from './helpers/fixtures';
import { listen } from './helpers/http';
import { silentLogger, testConversationDefaults, testTemporalAddress } from './helpers/services';
import { proxyTo, startTestStack, type TestStack } from './helpers/stack';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';
import { sleep, waitFor } from './helpers/wait-for';

/**
 * A webhook is acknowledged once its message is durable: in PostgreSQL's inbound inbox, from
 * which the API hands it to Temporal as soon as Temporal takes it, or, with PostgreSQL down, in
 * Temporal itself. Only with both out of reach is the answer 503, for the provider to retry.
 */
describe('a channel webhook while Temporal or PostgreSQL is unreachable', () => {
  let telegram: FakeTelegram;
  let stack: TestStack;
  let temporalProxy: TcpProxy;
  let database: Awaited<ReturnType<typeof proxyTo>>;
  let connection: Connection;
  let request: Awaited<ReturnType<typeof listen>>['request'];
  let app: ReturnType<typeof buildServer>;

  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    stack = await startTestStack({ channels: { telegram: { ...telegram.credentials(), quietPeriodMs: 0 } } });
    const [host, port] = testTemporalAddress().split(':');
    temporalProxy = await startTcpProxy({ host: host!, port: Number(port) });
    database = await proxyTo(stack.db);
    // An API that reaches Temporal and PostgreSQL through the proxies; the worker reaches them directly.
    connection = Connection.lazy({ address: `127.0.0.1:${temporalProxy.port}`, interceptors: [] });
    app = buildServer({
      client: new Client({ connection }),
      pool: database.pool,
      logger: silentLogger,
      taskQueue: stack.taskQueue,
      conversationDefaults: testConversationDefaults(),
      chatReplyTimeoutMs: 5_000,
      channels: channelSetupLookup(stack.db.pool, { telegram: { ...telegram.credentials(), quietPeriodMs: 0 } }),
    });
    ({ request } = await listen(app));
  });
  afterAll(async () => {
    await app.close();
    await connection.close();
    await database.stop();
    await temporalProxy.close();
    await stack.stop();
    await telegram.stop();
  });

  /** A chat of its own: workflow ids are shared by every test on this Temporal server. */
  const deliver = (chatId: string) =>
    request('POST', '/webhooks/demo/telegram', fixtureBody('telegram.text.json').replaceAll('900000001', chatId), {
      'content-type': 'application/json',
      'x-telegram-bot-api-secret-token': 'TEST-WEBHOOK-SECRET',
    });
  const repliesTo = (chatId: string) => telegram.sent.filter((sent) => String(sent.chat_id) === chatId);
  const conversation = (chatId: string) => stack.client.workflow.getHandle(`conversation:demo:telegram:${chatId}`);

  test('with Temporal out of reach the message is acknowledged from PostgreSQL and answered exactly once, with no retry from the provider', async () => {
    await temporalProxy.stop();
    try {
      const accepted = await deliver('900000888');
      expect(accepted.status).toBe(200);
      expect((await deliver('900000888')).status).toBe(200); // the provider's redelivery
      // Another API process on the same database (the stack's) may take the row over meanwhile.
      await sleep(1_500);
    } finally {
      await temporalProxy.start();
    }
    await waitFor('the reply once Temporal is back', () => repliesTo('900000888').length === 1, 30_000);
    await sleep(1_500);
    expect(repliesTo('900000888')).toHaveLength(1);
    const { rows } = await stack.db.pool.query(`SELECT count(*)::int AS n FROM inbound_inbox WHERE contact_id = '900000888'`);
    expect(rows[0].n).toBe(0);
  });

  test('a message whose API process died before handing it over is delivered by another, once its lease runs out', async () => {
    // What a process killed right after its 200 leaves behind: the row, leased to nobody alive.
    const ref = { tenantId: 'demo', channel: 'telegram' as const, contactId: '900000887' };
    const message = { id: 'tg-orphan-1', text: '¿Tienen turnos mañana?', receivedAt: new Date().toISOString() };
    await holdInboundMessage(stack.db.pool, { ref, message, channelQuietPeriodMs: 0 }, 0);
    await waitFor('the reply from the process that took it over', () => repliesTo('900000887').length === 1);
    const { transcript } = await conversation('900000887').query(stateQuery);
    expect(transcript.filter((entry) => entry.role === 'customer').map((entry) => entry.messageId)).toEqual(['tg-orphan-1']);
  });

  test('with PostgreSQL down the message goes straight to Temporal before the answer', async () => {
    await database.proxy.stop();
    try {
      expect((await deliver('900000889')).status).toBe(200);
      expect((await conversation('900000889').describe()).status.name).toBe('RUNNING');
    } finally {
      await database.proxy.start();
    }
    await waitFor('the reply', () => repliesTo('900000889').length === 1);
  });

  test('with both down the answer is 503, and the provider\'s retry once they are back gets exactly one reply', async () => {
    await Promise.all([temporalProxy.stop(), database.proxy.stop()]);
    try {
      const refused = await deliver('900000890');
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: 'service_unavailable' });
    } finally {
      await Promise.all([temporalProxy.start(), database.proxy.start()]);
    }
    await expect(conversation('900000890').describe()).rejects.toThrow(/not found/i);
    let retried = await deliver('900000890');
    // The connections come back on their own schedule: a provider would simply retry again.
    for (let attempt = 0; retried.status === 503 && attempt < 20; attempt++) {
      await sleep(500);
      retried = await deliver('900000890');
    }
    expect(retried.status).toBe(200);
    await waitFor('the reply', () => repliesTo('900000890').length === 1);
    expect((await deliver('900000890')).status).toBe(200); // one redelivery more, after the answer
    await sleep(1_000);
    expect(repliesTo('900000890')).toHaveLength(1);
  });
});
