import { Writable } from 'node:stream';
import { buildServer } from '../src/api/server';
import { channelSetupLookup } from '../src/channels/setup';
import { ConfigError, loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createApiMetrics } from '../src/metrics/api-metrics';
import { serveMetrics } from '../src/metrics/metrics-server';
import { hmacSha256Hex } from '../src/secrets';
import { createReminderActivities } from '../src/activities/reminders';
import { activityRunner, isoDate, weekdayAhead } from './helpers/booking-fixtures';
import { FakeCrmWebhook } from './helpers/fake-crm-webhook';
import { apiError, chatCompletion, FakeOpenAI, toolCallCompletion, type FakeResponse, type RecordedRequest } from './helpers/fake-openai';
import { FAKE_ACCESS_TOKEN, FakeWhatsApp } from './helpers/fake-whatsapp';
import { freePort } from './helpers/free-port';
import { httpClient, listen } from './helpers/http';
import { silentLogger, testConversationDefaults } from './helpers/services';
import { startTestStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait-for';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
const CRM_SECRET = 'whsec-metrics-test-0123';
const CUSTOMER_PHONE = '5491100000787'; // no other suite's: the Temporal server is shared
const LEAD_EMAIL = 'lucia.fernandez@example.com';
const LEAD_PHONE = '+5491155551234';
const BOOKING_DATE = isoDate(weekdayAhead(7));
const MESSAGES = {
  lead: `Hola, soy Lucía Fernández, mi mail es ${LEAD_EMAIL} y mi celular 11 5555-1234`,
  booking: `Reservame un masaje el ${BOOKING_DATE} a las 15`,
  handoff: 'Prefiero hablar con una persona del equipo',
};

/** The value of one Prometheus sample, by its exact name and labels. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * A model that acts on what the customer asks: saves the lead, books, hands over; answers in text
 * after a tool. Its very first request fails (a provider error the chain retries).
 */
function scriptedModel(request: RecordedRequest, nth: number): FakeResponse {
  if (nth === 1) return apiError(500, 'The server had an error while processing your request');
  const last = request.body.messages.at(-1);
  if (last.role === 'tool') return chatCompletion('Listo.');
  const said = JSON.stringify(last.content);
  if (said.includes('mail')) return toolCallCompletion([{ name: 'save_lead_details', arguments: { name: 'Lucía Fernández', email: LEAD_EMAIL, phone: LEAD_PHONE } }]);
  if (said.includes('masaje')) return toolCallCompletion([{ name: 'create_booking', arguments: { service: 'masaje', date: BOOKING_DATE, time: '15:00' } }]);
  if (said.includes('persona')) return toolCallCompletion([{ name: 'escalate_to_human', arguments: { reason: 'pide hablar con el equipo' } }]);
  return chatCompletion('¿En qué te ayudo?');
}

/** A WhatsApp Cloud API notification of one text message, stamped now, signed with the app secret. */
function whatsappMessage(appSecret: string, text: string): { body: string; signature: string } {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: '200000000000001',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '5491100009999', phone_number_id: '100000000000001' },
          contacts: [{ profile: { name: 'Marta' }, wa_id: CUSTOMER_PHONE }],
          messages: [{ from: CUSTOMER_PHONE, id: 'wamid.metrics-1', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
        },
      }],
    }],
  });
  return { body, signature: `sha256=${hmacSha256Hex(appSecret, body)}` };
}

describe('metrics and logs of a scripted conversation (issue 13, acceptance 6)', () => {
  const logLines: string[] = [];
  const logger = createLogger('debug', new Writable({ write: (chunk, _encoding, done) => (logLines.push(chunk.toString()), done()) }));
  let model: FakeOpenAI;
  let whatsapp: FakeWhatsApp;
  let crm: FakeCrmWebhook;
  let stack: TestStack;

  beforeAll(async () => {
    model = await new FakeOpenAI((request) => scriptedModel(request, model.chatRequests.length)).start();
    whatsapp = await new FakeWhatsApp().start();
    crm = await new FakeCrmWebhook(CRM_SECRET).start();
    stack = await startTestStack({
      llmProviders: [{ name: 'fake', baseURL: model.baseURL, apiKey: 'sk-test-metrics-key', model: 'fake-model' }],
      llmPrices: { 'fake-model': { inputPerMillion: 1_000, outputPerMillion: 2_000 } },
      channels: { whatsapp: { ...whatsapp.credentials(), quietPeriodMs: 0 } },
      demoCrm: { provider: 'webhook', baseUrl: crm.url, webhookSecret: CRM_SECRET },
      adminToken: ADMIN_TOKEN,
      logger,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all([model?.stop(), whatsapp?.stop(), crm?.stop()]);
  });

  test('/metrics shows every series the conversation moved, to the operator only; its logs hold no personal data or secrets', async () => {
    // The web chat: a lead with an e-mail and a phone, then a booking.
    for (const message of [MESSAGES.lead, MESSAGES.booking]) {
      const response = await stack.request('POST', '/api/chat', { tenant: 'demo', session_id: 'metrics-web', message });
      expect(response.body).toMatchObject({ status: 'answered', reply: 'Listo.' });
    }
    // WhatsApp: a forged delivery is refused; the signed one is answered and handed to staff.
    const { appSecret } = whatsapp.credentials();
    const signed = whatsappMessage(appSecret, MESSAGES.handoff);
    const post = (signature: string) => stack.request('POST', '/webhooks/demo/whatsapp', signed.body, { 'content-type': 'application/json', 'x-hub-signature-256': signature });
    expect((await post(`sha256=${hmacSha256Hex('not-the-app-secret', signed.body)}`)).status).toBe(403);
    expect((await post(signed.signature)).status).toBe(200);
    await waitFor('the WhatsApp reply', () => whatsapp.sent(CUSTOMER_PHONE).length > 0);
    await waitFor('the handoff', async () => (await stack.db.pool.query('SELECT 1 FROM staff_notifications')).rowCount === 1);
    await waitFor('the lead in the CRM', () => crm.received.length > 0);
    // The booking's reminder, as its appointment workflow sends it when due (a week from now).
    const { rows: [booking] } = await stack.db.pool.query("SELECT id FROM bookings WHERE contact_id = 'metrics-web'");
    const reminders = createReminderActivities({ pool: stack.db.pool, temporal: { client: stack.client, taskQueue: stack.taskQueue, conversationDefaults: testConversationDefaults() }, channels: channelSetupLookup(stack.db.pool, {}) });
    const run = activityRunner({ workflowId: `appointment:${booking.id}` });
    const appointment = (await run(reminders.loadAppointment, { tenantId: 'demo', bookingId: booking.id, now: new Date().toISOString() }))!;
    const ref = { tenantId: 'demo', channel: appointment.channel, contactId: appointment.contactId };
    await run(reminders.sendReminder, { ref, appointment, sentAt: new Date().toISOString(), idempotencyKey: `reminder:${booking.id}:test` });

    // Anonymous, or with a tenant's token: refused.
    const anonymous = await stack.request('GET', '/metrics', undefined, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: 'unauthorized' });
    const tenantToken = (await stack.backendToken('demo'))!;
    expect((await stack.request('GET', '/metrics', undefined, { authorization: `Bearer ${tenantToken}` })).status).toBe(401);

    // The operator: every listed series, non-zero where the script did the thing.
    let metrics = '';
    await waitFor('the worker counters', async () => {
      metrics = (await stack.request('GET', '/metrics', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` })).body;
      return (sample(metrics, 'concierge_leads_pushed_total{tenant="demo",crm="webhook"}') ?? 0) > 0;
    });
    const llm = 'tenant="demo",provider="fake",model="fake-model"';
    const positive = [
      'concierge_webhooks_total{channel="whatsapp",outcome="accepted"}',
      'concierge_webhooks_total{channel="whatsapp",outcome="unauthenticated"}',
      'concierge_assistant_turns_total{tenant="demo",provider="fake"}',
      'concierge_reply_latency_seconds_count{tenant="demo",channel="web"}',
      'concierge_reply_latency_seconds_count{tenant="demo",channel="whatsapp"}',
      'concierge_reply_latency_seconds_bucket{tenant="demo",channel="web",le="+Inf"}',
      `concierge_llm_request_duration_seconds_count{${llm}}`,
      `concierge_llm_request_duration_seconds_sum{${llm}}`,
      `concierge_llm_requests_total{${llm},outcome="ok"}`,
      `concierge_llm_requests_total{${llm},outcome="error"}`,
      `concierge_llm_tokens_total{${llm},kind="prompt"}`,
      `concierge_llm_tokens_total{${llm},kind="completion"}`,
      `concierge_llm_cost_usd_total{${llm}}`,
      'concierge_tool_calls_total{tenant="demo",tool="save_lead_details",outcome="ok"}',
      'concierge_tool_calls_total{tenant="demo",tool="create_booking",outcome="ok"}',
      'concierge_tool_calls_total{tenant="demo",tool="escalate_to_human",outcome="ok"}',
      'concierge_bookings_total{tenant="demo",action="created"}',
      'concierge_leads_pushed_total{tenant="demo",crm="webhook"}',
      'concierge_handoffs_total{tenant="demo",channel="whatsapp"}',
      'concierge_reminders_sent_total{tenant="demo",channel="web"}',
      'concierge_errors_total{tenant="demo",kind="llm_provider"}',
      'concierge_http_requests_total{method="POST",route="/api/chat",status="200"}',
    ];
    expect(positive.filter((series) => !((sample(metrics, series) ?? 0) > 0))).toEqual([]);
    expect(sample(metrics, 'concierge_assistant_turns_total{tenant="demo",provider="fake"}')).toBe(3);
    expect(sample(metrics, 'concierge_bookings_total{tenant="demo",action="created"}')).toBe(1);
    expect(sample(metrics, 'concierge_handoffs_total{tenant="demo",channel="whatsapp"}')).toBe(1);
    expect(sample(metrics, 'concierge_webhooks_total{channel="whatsapp",outcome="accepted"}')).toBe(1);
    // Buckets are cumulative and complete: the +Inf bucket is the count.
    expect(sample(metrics, 'concierge_reply_latency_seconds_bucket{tenant="demo",channel="web",le="+Inf"}')).toBe(2);
    expect(sample(metrics, 'concierge_reply_latency_seconds_bucket{tenant="demo",channel="web",le="0.5"}')).toBeDefined();
    // What the script did not do is listed all the same, for dashboards and alerts to find.
    for (const family of ['concierge_api_errors_total counter', 'concierge_reply_latency_seconds histogram']) {
      expect(metrics).toContain(`# TYPE ${family}`);
    }

    // The logs: request ids, tenants and (masked) workflow ids; none of the customer's data or our secrets.
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.msg === 'request completed').every((line) => typeof line.reqId === 'string')).toBe(true);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request completed', tenant: 'demo', reqId: expect.any(String), res: { statusCode: 200 } }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'conversation handed to staff', tenant: 'demo', workflowId: `conversation:demo:whatsapp:*********${CUSTOMER_PHONE.slice(-4)}` }));
    const text = logLines.join('');
    const secrets = [ADMIN_TOKEN, tenantToken, appSecret, FAKE_ACCESS_TOKEN, CRM_SECRET, 'sk-test-metrics-key', signed.signature.slice(7)];
    const personal = [CUSTOMER_PHONE, LEAD_EMAIL, LEAD_PHONE.slice(1), '5555-1234', 'Lucía Fernández', ...Object.values(MESSAGES)];
    expect([...secrets, ...personal].filter((secret) => text.includes(secret))).toEqual([]);
  }, 90_000);

  test('with METRICS_PORT, /metrics is served there without a token, and not on the public port', async () => {
    const metrics = createApiMetrics(stack.db.pool);
    const app = buildServer({
      client: stack.client,
      pool: stack.db.pool,
      logger: silentLogger,
      taskQueue: stack.taskQueue,
      conversationDefaults: testConversationDefaults(),
      chatReplyTimeoutMs: 5_000,
      adminToken: ADMIN_TOKEN,
      channels: channelSetupLookup(stack.db.pool, {}),
      metricsServedElsewhere: metrics,
    });
    const publicPort = await listen(app);
    const scraperPort = await serveMetrics(metrics, { port: await freePort(), host: '127.0.0.1' }, silentLogger);
    try {
      expect((await publicPort.request('GET', '/metrics', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(404);
      const address = scraperPort.server.address() as { port: number };
      const scraped = await httpClient(`http://127.0.0.1:${address.port}`)('GET', '/metrics', undefined, {});
      expect(scraped.status).toBe(200);
      // The public server's own requests, and the workers' totals from PostgreSQL.
      expect(sample(scraped.body, 'concierge_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
      expect(sample(scraped.body, 'concierge_bookings_total{tenant="demo",action="created"}')).toBe(1);
    } finally {
      await Promise.all([app.close(), scraperPort.close()]);
    }
  });

  test('METRICS_PORT is a port other than PORT', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(() => loadConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_PORT: 'metrics' })).toThrow(/METRICS_PORT/);
  });
});
