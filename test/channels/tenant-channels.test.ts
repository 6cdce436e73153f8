import { FakeTelegram } from '../helpers/fake-telegram';
import { fixtureBody } from '../helpers/fixtures';
import { startTestStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait-for';

/** Every tenant but the demo keeps its channels in PostgreSQL (`tenant_channels`). */
describe("another tenant's channel, configured in PostgreSQL", () => {
  let telegram: FakeTelegram;
  let stack: TestStack;
  beforeAll(async () => {
    telegram = await new FakeTelegram().start();
    stack = await startTestStack(); // the demo tenant has no Telegram here
    await stack.db.pool.query(
      `INSERT INTO tenants (id, name, time_zone, language, persona, business_description)
       VALUES ('clinica-norte', 'Clínica Norte', 'America/Santiago', 'es', 'Eres Ana.', 'Clínica dental en Santiago.')`,
    );
    const config = { apiBase: telegram.apiBase, botToken: 'NORTE-TOKEN', webhookSecret: 'norte-secret', quietPeriodMs: 0 };
    await stack.db.pool.query(`INSERT INTO tenant_channels (tenant_id, channel, config) VALUES ('clinica-norte', 'telegram', $1)`, [config]);
  });
  afterAll(async () => {
    await stack.stop();
    await telegram.stop();
  });

  const post = (tenant: string, secret: string) =>
    stack.request('POST', `/webhooks/${tenant}/telegram`, fixtureBody('telegram.text.json').replace('Hola, quiero un turno', 'Hola'), {
      'content-type': 'application/json',
      'x-telegram-bot-api-secret-token': secret,
    });

  test("its webhook takes its own secret and it answers with its own bot; another tenant's secret or channel gets nothing", async () => {
    expect((await post('clinica-norte', 'TEST-WEBHOOK-SECRET')).status).toBe(403);
    expect((await post('demo', 'norte-secret')).status).toBe(404); // the demo tenant has no Telegram
    expect((await post('no-such-clinic', 'norte-secret')).status).toBe(404);

    expect((await post('clinica-norte', 'norte-secret')).status).toBe(200);
    await waitFor('the reply', () => telegram.sent.length === 1);
    expect(telegram.sent[0]).toMatchObject({ token: 'NORTE-TOKEN', chat_id: 900000001, text: expect.stringContaining('Clínica Norte') });
    await expect(stack.client.workflow.getHandle('conversation:clinica-norte:telegram:900000001').describe()).resolves.toBeDefined();
  });

  test('its credentials appear in no answer', async () => {
    const answers = [await post('clinica-norte', 'wrong'), await post('clinica-norte', 'norte-secret')];
    for (const answer of answers) expect(JSON.stringify(answer.body)).not.toMatch(/NORTE-TOKEN|norte-secret/);
  });
});
