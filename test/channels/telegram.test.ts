import { FakeTelegram } from '../helpers/fake-telegram';
import { startTestStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';
import { fixtureBody } from '../helpers/fixtures';


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

  test('a customer text is acknowledged and answered through sendMessage', async () => {
    const response = await stack.request('POST', '/webhooks/demo/telegram', fixtureBody('telegram.text.json'), {
      'content-type': 'application/json',
      'x-telegram-bot-api-secret-token': 'TEST-WEBHOOK-SECRET',
    });
    expect(response.status).toBe(200);
    await waitFor('the reply', () => telegram.sent.length > 0);
    expect(telegram.sent[0]).toMatchObject({ token: 'TEST-TOKEN', chat_id: 900000001, text: expect.any(String) });
  });
});
