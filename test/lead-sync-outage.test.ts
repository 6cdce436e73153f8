import { FakeCrmWebhook } from './helpers/fake-crm-webhook';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/time-skipping';
import { waitFor } from './helpers/wait-for';

const SECRET = 'whsec-concierge-outage-01';
const MINUTE_MS = 60_000;

/**
 * Issue 12, acceptance 2, on the time-skipping server: the CRM answers 500 for ten minutes. The
 * customer is answered at once all the same; the lead is pushed once the CRM is back, and only once.
 */
describe('a CRM that is down', () => {
  let receiver: FakeCrmWebhook;
  let stack: TimeSkippingStack;
  beforeAll(async () => {
    receiver = await new FakeCrmWebhook(SECRET).start();
    stack = await startTimeSkippingStack({ demoCrm: { provider: 'webhook', baseUrl: receiver.url, webhookSecret: SECRET } });
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  test('for ten minutes delays no reply, and gets the lead once it recovers, exactly once', async () => {
    receiver.failWith(500);
    // The web chat as a page uses it: the first answer hands out the session and its token.
    const answer = await stack.request('POST', '/api/chat', { tenant: 'demo', message: 'Hola, me llamo Diego Sosa, mi mail es diego@example.com' });
    expect(answer.body).toMatchObject({ status: 'answered', reply: expect.stringMatching(/^¡Gracias, Diego!/) });
    const { session_id: session, session_token: token } = answer.body;
    const leadState = async () => (await stack.db.pool.query('SELECT crm_status FROM leads WHERE contact_id = $1', [session])).rows[0]?.crm_status;
    await waitFor('the first push refused', () => receiver.requests.length >= 1);

    await stack.env.sleep(10 * MINUTE_MS);
    const attemptsWhileDown = receiver.requests.length;
    expect(attemptsWhileDown).toBeGreaterThan(3); // retried with backoff all along
    expect(await leadState()).toBe('pending');
    expect(receiver.received).toEqual([]);

    receiver.recover();
    for (let waited = 0; (await leadState()) !== 'synced' && waited < 60; waited++) await stack.env.sleep(MINUTE_MS);
    expect(await leadState()).toBe('synced');
    const created = receiver.received.filter((push) => push.body.event === 'lead.created');
    expect(created.map((push) => push.body.lead.email)).toEqual(['diego@example.com']);

    // A customer message during or after the outage was never held up by it.
    const later = await stack.request('POST', '/api/chat', { tenant: 'demo', session_token: token, message: '¿cuánto sale el masaje?' });
    expect(later.body.reply).toMatch(/Masaje descontracturante/);
  }, 120_000);
});
