import { Client, Connection } from '@temporalio/client';
import { buildServer } from '../src/api/server';
import { channelSetupLookup } from '../src/channels/setup';
import { FakeTelegram } from './helpers/fake-telegram';
import { fixtureBody } from './helpers/fixtures';
import { listen } from './helpers/http';
import { silentLogger, testConversationDefaults, testTemporalAddress } from './helpers/services';
import { startTestStack, type TestStack } from './helpers/stack';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';
import { sleep, waitFor } from './helpers/wait-for';

/**
 * A webhook is acknowledged only once its message is durable in Temporal: with Temporal out of
 * reach the answer is 503, so the provider delivers it again later, and that retry is answered.
 */
describe('a channel webhook while Temporal is unreachable', () => {
  let telegram: FakeTelegram;
  let stack: TestStack;
  let temporalProxy: TcpProxy;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    stack = await startTestStack({ channels: { telegram: { ...telegram.credentials(), quietPeriodMs: 0 } } });
    const [host, port] = testTemporalAddress().split(':');
    temporalProxy = await startTcpProxy({ host: host!, port: Number(port) });
  });
  afterAll(async () => {
    await temporalProxy.close();
    await stack.stop();
    await telegram.stop();
  });

  test('is answered 503 while Temporal is down, and the provider\'s retry once it is back gets exactly one reply', async () => {
    // An API that reaches Temporal through the proxy; the worker reaches it directly.
    const connection = Connection.lazy({ address: `127.0.0.1:${temporalProxy.port}`, interceptors: [] });
    const app = buildServer({
      client: new Client({ connection }),
      pool: stack.db.pool,
      logger: silentLogger,
      taskQueue: stack.taskQueue,
      conversationDefaults: testConversationDefaults(),
      chatReplyTimeoutMs: 5_000,
      channels: channelSetupLookup(stack.db.pool, { telegram: { ...telegram.credentials(), quietPeriodMs: 0 } }),
    });
    const { request } = await listen(app);
    // A chat of its own: workflow ids are shared by every test on this Temporal server.
    const update = fixtureBody('telegram.text.json').replaceAll('900000001', '900000888');
    const deliver = () =>
      request('POST', '/webhooks/demo/telegram', update, {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': 'TEST-WEBHOOK-SECRET',
      });
    try {
      await temporalProxy.stop();
      const refused = await deliver();
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: 'service_unavailable' });
      await expect(stack.client.workflow.getHandle('conversation:demo:telegram:900000888').describe()).rejects.toThrow(/not found/i);

      await temporalProxy.start();
      let retried = await deliver();
      // The client reconnects on its own schedule: a provider would simply retry again.
      for (let attempt = 0; retried.status === 503 && attempt < 20; attempt++) {
        await sleep(500);
        retried = await deliver();
      }
      expect(retried.status).toBe(200);
      await waitFor('the reply', () => telegram.sent.length === 1);
      expect((await deliver()).status).toBe(200); // one redelivery more, after the answer
      await sleep(1_000);
      expect(telegram.sent).toHaveLength(1);
    } finally {
      await app.close();
      await connection.close();
    }
  });
});
