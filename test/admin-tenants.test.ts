import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyTenantConfigFile } from '../src/api/routes/admin-tenants';
import { DEMO_SERVICES } from '../src/db/demo-tenant';
import { startTestStack, type TestStack } from './helpers/stack';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const BOT_TOKEN = 'NORTE-BOT-TOKEN-123';
const WEBHOOK_SECRET = 'norte-webhook-secret';
const CRM_TOKEN = 'hubspot-private-app-token';

/** A dental clinic in Santiago, as an operator would write it. */
function clinicaNorte() {
  return {
    id: 'clinica-norte',
    name: 'Clínica Norte',
    timeZone: 'America/Santiago',
    language: 'es',
    persona: 'Eres Ana, la recepcionista de Clínica Norte.',
    businessDescription: 'Clínica dental en Providencia, Santiago.',
    facts: {
      es: {
        address: 'Av. Providencia 1234, Santiago',
        paymentMethods: ['efectivo', 'tarjetas'],
        faq: [{ question: '¿Atienden niños?', answer: 'Sí, desde los 6 años.' }],
      },
    },
    services: [
      {
        id: 'limpieza-dental',
        name: 'Limpieza dental',
        description: 'Profilaxis y destartraje.',
        durationMinutes: 40,
        price: 35000,
        currency: 'CLP',
        translations: { en: { name: 'Dental cleaning' } },
      },
      { id: 'blanqueamiento', name: 'Blanqueamiento', description: 'Blanqueamiento en consulta.', durationMinutes: 60, price: 120000, currency: 'CLP' },
    ],
    staff: [
      { id: 'dra-rojas', name: 'Dra. Rojas', serviceIds: ['limpieza-dental', 'blanqueamiento'] },
      { id: 'dr-soto', name: 'Dr. Soto', serviceIds: ['limpieza-dental'] },
    ],
    booking: {
      schedule: { weeklyHours: { '1': [{ start: '09:00', end: '18:00' }], '3': [{ start: '09:00', end: '18:00' }] }, slotIntervalMinutes: 20, bufferAfterMinutes: 5, minNoticeMinutes: 120, maxDaysAhead: 30 },
      reminderOffsetsMinutes: [2880, 120],
      quietHours: { start: '22:00', end: '09:00' },
    },
    channels: { telegram: { apiBase: 'http://127.0.0.1:9', botToken: BOT_TOKEN, webhookSecret: WEBHOOK_SECRET, quietPeriodMs: 0 } },
    crm: { provider: 'hubspot', baseUrl: 'https://api.hubapi.com', token: CRM_TOKEN, qualification: { qualifiedFrom: 40 } },
  };
}

describe('/admin/tenants', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ adminToken: ADMIN_TOKEN });
  });
  afterAll(() => stack.stop());

  const call = (method: string, path: string, body?: unknown, token = ADMIN_TOKEN) => stack.request(method, path, body, { authorization: `Bearer ${token}` });

  let tenantToken: string;

  test('the operator creates a tenant from one document; the answer carries its token, which works for that tenant only', async () => {
    const created = await call('POST', '/admin/tenants', clinicaNorte());
    expect(created.status).toBe(201);
    tenantToken = created.body.token;
    expect(tenantToken).toMatch(/^ctt_/);
    expect(created.body.tenant).toMatchObject({ id: 'clinica-norte', timeZone: 'America/Santiago' });

    expect((await call('GET', '/admin/bookings', undefined, tenantToken)).status).toBe(200);
    expect((await call('GET', '/admin/bookings?tenant=demo', undefined, tenantToken)).status).toBe(404);

    // What the booking tools and the chat read is there, from that one document.
    const { rows: staff } = await stack.db.pool.query(
      `SELECT resource_id, service_id FROM resource_services WHERE tenant_id = 'clinica-norte' ORDER BY 1, 2`,
    );
    expect(staff).toEqual([
      { resource_id: 'dr-soto', service_id: 'limpieza-dental' },
      { resource_id: 'dra-rojas', service_id: 'blanqueamiento' },
      { resource_id: 'dra-rojas', service_id: 'limpieza-dental' },
    ]);
    const chat = await stack.request('POST', '/api/chat', { tenant: 'clinica-norte', session_id: 'first-customer', message: 'Hola' });
    expect(chat.status).toBe(200);
    expect(chat.body.reply).toContain('Clínica Norte');
  });

  test('GET answers the document as posted, with every secret masked and the token nowhere', async () => {
    const response = await call('GET', '/admin/tenants/clinica-norte');
    expect(response.status).toBe(200);
    const expected = clinicaNorte();
    expect(response.body).toEqual({
      ...expected,
      booking: {
        ...expected.booking,
        schedule: { ...expected.booking.schedule, bufferBeforeMinutes: 0 },
        bookingMode: 'assistant',
        bookingUrl: null,
      },
      services: [{ ...expected.services[1], translations: {} }, expected.services[0]], // by id
      staff: [expected.staff[1], { ...expected.staff[0], serviceIds: ['blanqueamiento', 'limpieza-dental'] }],
      channels: { telegram: { apiBase: 'http://127.0.0.1:9', botToken: '***', webhookSecret: '***', quietPeriodMs: 0 } },
      crm: {
        provider: 'hubspot',
        baseUrl: 'https://api.hubapi.com',
        token: '***',
        // The rules in force: the defaults of those it did not set.
        qualification: { qualifiedFrom: 40, requiredFields: ['name', 'contact'], pointsPerDetail: 15, pointsForInterest: 25, pointsForBudget: 25 },
      },
    });
    expect(JSON.stringify(response.body)).not.toMatch(new RegExp(`${BOT_TOKEN}|${WEBHOOK_SECRET}|${CRM_TOKEN}|ctt_`));
  });

  test('GET → edit → PUT keeps the secrets it was not shown, and applies the edit', async () => {
    const document = (await call('GET', '/admin/tenants/clinica-norte')).body;
    document.name = 'Clínica Norte Providencia';
    document.staff = document.staff.filter((member: { id: string }) => member.id !== 'dr-soto');
    delete document.crm.token; // left out, as good as masked
    const replaced = await call('PUT', '/admin/tenants/clinica-norte', document);
    expect(replaced.status).toBe(200);
    expect(replaced.body.name).toBe('Clínica Norte Providencia');
    expect(replaced.body.channels.telegram.botToken).toBe('***');

    const { rows: channels } = await stack.db.pool.query(`SELECT config FROM tenant_channels WHERE tenant_id = 'clinica-norte'`);
    expect(channels).toEqual([{ config: { apiBase: 'http://127.0.0.1:9', botToken: BOT_TOKEN, webhookSecret: WEBHOOK_SECRET, quietPeriodMs: 0 } }]);
    const { rows: crm } = await stack.db.pool.query(`SELECT config FROM tenant_crm WHERE tenant_id = 'clinica-norte'`);
    expect(crm).toEqual([{ config: { baseUrl: 'https://api.hubapi.com', token: CRM_TOKEN } }]);
    // Staff left out stop taking appointments; their past bookings keep their names.
    const { rows: staff } = await stack.db.pool.query(`SELECT id, active FROM resources WHERE tenant_id = 'clinica-norte' ORDER BY id`);
    expect(staff).toEqual([{ id: 'dr-soto', active: false }, { id: 'dra-rojas', active: true }]);

    // A new secret replaces the stored one.
    document.channels.telegram.botToken = 'NEW-BOT-TOKEN';
    expect((await call('PUT', '/admin/tenants/clinica-norte', document)).status).toBe(200);
    const { rows: after } = await stack.db.pool.query(`SELECT config->>'botToken' AS token, config->>'webhookSecret' AS secret FROM tenant_channels WHERE tenant_id = 'clinica-norte'`);
    expect(after).toEqual([{ token: 'NEW-BOT-TOKEN', secret: WEBHOOK_SECRET }]);
  });

  test('a document that is wrong is refused with 400 naming each bad field, and nothing is made', async () => {
    const cases: [string, (document: any) => void, string, RegExp][] = [
      ['an unknown zone', (d) => (d.timeZone = 'Mars/Olympus_Mons'), 'timeZone', /IANA/],
      ['a negative duration', (d) => (d.services[0].durationMinutes = -40), 'services.0.durationMinutes', /.+/],
      ['staff doing a service there is not', (d) => (d.staff[1].serviceIds = ['ortodoncia']), 'staff.1.serviceIds.0', /ortodoncia/],
      ['opening hours out of order', (d) => (d.booking.schedule.weeklyHours['1'] = [{ start: '18:00', end: '09:00' }]), 'booking.schedule.weeklyHours.1.0', /end after/],
      ['a channel without its bot token', (d) => delete d.channels.telegram.botToken, 'channels.telegram', /botToken/],
      ['HubSpot without a token', (d) => delete d.crm.token, 'crm.token', /required/],
      ['a misspelt section', (d) => ((d.servcies = d.services), delete d.services), 'services', /.+/],
      ['a price past what is stored', (d) => (d.services[0].price = 1e12), 'services.0.price', /.+/],
      ['a NUL character', (d) => (d.persona = 'Eres Ana\u0000'), '', /NUL/],
      ['a slot interval past what is stored', (d) => (d.booking.schedule.slotIntervalMinutes = 1e12), '', /too large/],
    ];
    for (const [what, spoil, path, message] of cases) {
      const document: any = { ...clinicaNorte(), id: 'clinica-sur' };
      spoil(document);
      const response = await call('POST', '/admin/tenants', document);
      expect({ what, status: response.status }).toEqual({ what, status: 400 });
      expect({ what, issues: response.body.issues }).toEqual({ what, issues: expect.arrayContaining([{ path, message: expect.stringMatching(message) }]) });
      expect(JSON.stringify(response.body)).not.toContain(BOT_TOKEN);
    }
    expect((await call('GET', '/admin/tenants/clinica-sur')).status).toBe(404);
    const { rows } = await stack.db.pool.query(`SELECT count(*)::int AS n FROM tenants WHERE id = 'clinica-sur'`);
    expect(rows[0].n).toBe(0);
  });

  test('an id that exists is a 409, and the existing tenant is left as it was', async () => {
    const response = await call('POST', '/admin/tenants', { ...clinicaNorte(), name: 'Impostor' });
    expect(response.status).toBe(409);
    expect(response.body.error).toBe('tenant_exists');
    expect((await call('GET', '/admin/tenants/clinica-norte')).body.name).toBe('Clínica Norte Providencia');
    expect((await call('POST', '/admin/tenants', { ...clinicaNorte(), id: 'demo' })).status).toBe(409);
  });

  test("a tenant's token reads its own document only, and may not create or change tenants", async () => {
    expect((await call('POST', '/admin/tenants', { ...clinicaNorte(), id: 'clinica-este' }, tenantToken)).status).toBe(403);
    expect((await call('GET', '/admin/tenants/clinica-norte', undefined, tenantToken)).status).toBe(200);
    const own = (await call('GET', '/admin/tenants/clinica-norte', undefined, tenantToken)).body;
    expect((await call('PUT', '/admin/tenants/clinica-norte', own, tenantToken)).status).toBe(403);
    expect((await call('GET', '/admin/tenants/demo', undefined, tenantToken)).status).toBe(404);
    expect((await call('PUT', '/admin/tenants/demo', own, tenantToken)).status).toBe(404);
    expect((await stack.request('POST', '/admin/tenants', clinicaNorte(), {})).status).toBe(401);
  });

  test('an unknown id is a 404; a PUT naming another id in its body is a 400', async () => {
    expect((await call('GET', '/admin/tenants/no-such-clinic')).status).toBe(404);
    expect((await call('PUT', '/admin/tenants/no-such-clinic', { ...clinicaNorte(), id: 'no-such-clinic' })).status).toBe(404);
    const response = await call('PUT', '/admin/tenants/clinica-norte', { ...clinicaNorte(), id: 'demo' });
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ path: 'id', message: expect.stringContaining('clinica-norte') }]);
  });

  test('TENANT_CONFIG_FILE: the API makes the tenant of the file at start, and brings it up to the file at the next', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'tenant-config-')), 'clinica-oeste.json');
    const document = { ...clinicaNorte(), id: 'clinica-oeste', name: 'Clínica Oeste' };
    await writeFile(file, JSON.stringify(document));
    await expect(applyTenantConfigFile(stack.db.pool, file)).resolves.toEqual({ id: 'clinica-oeste', outcome: 'created' });
    await writeFile(file, JSON.stringify({ ...document, name: 'Clínica Oeste Maipú' }));
    await expect(applyTenantConfigFile(stack.db.pool, file)).resolves.toEqual({ id: 'clinica-oeste', outcome: 'replaced' });
    expect((await call('GET', '/admin/tenants/clinica-oeste')).body.name).toBe('Clínica Oeste Maipú');

    // A bad file stops the start, naming the field and quoting no secret.
    await writeFile(file, JSON.stringify({ ...document, booking: { ...document.booking, reminderOffsetsMinutes: [-5] } }));
    await expect(applyTenantConfigFile(stack.db.pool, file)).rejects.toThrow(/booking\.reminderOffsetsMinutes\.0/);
    await writeFile(file, JSON.stringify(document).slice(0, -10));
    const error: Error = await applyTenantConfigFile(stack.db.pool, file).catch((thrown) => thrown);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).not.toContain(CRM_TOKEN.slice(0, 8));
  });

  test('the demo tenant is a document too, from tenants/demo.json', async () => {
    const response = await call('GET', '/admin/tenants/demo');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: 'demo', timeZone: 'America/Argentina/Buenos_Aires', booking: { reminderOffsetsMinutes: [1440, 60] } });
    expect(response.body.services).toEqual(DEMO_SERVICES);
  });
});
