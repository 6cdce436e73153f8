import { Client, Connection } from '@temporalio/client';
import { buildServer } from '../src/api/server';
import { channelSetupLookup } from '../src/channels/setup';
import { createPool } from '../src/db/pool';
import { freePort } from './helpers/free-port';
import { listen, type HttpRequest, type HttpResponse } from './helpers/http';
import { createTestDatabase, silentLogger, testConversationDefaults, testTemporalAddress, type TestDatabase } from './helpers/services';
import { startTcpProxy } from './helpers/tcp-proxy';
import { sleep, waitFor } from './helpers/wait-for';

const ADMIN_TOKEN = 'outages-admin-token-0123456789';

interface RunningApi {
  baseUrl: string;
  request: HttpRequest;
  close(): Promise<void>;
}

/** The API against the given servers, as startApi builds it. */
async function startApiAgainst(services: { temporalAddress: string; databaseUrl: string }): Promise<RunningApi> {
  // No gRPC retry interceptor: its pending retry timers outlive connection.close(), which
  // these tests do right away (a production API closes the connection only at shutdown).
  const connection = Connection.lazy({ address: services.temporalAddress, interceptors: [] });
  const pool = createPool(services.databaseUrl, silentLogger);
  const app = buildServer({
    client: new Client({ connection }),
    pool,
    logger: silentLogger,
    taskQueue: 'unused',
    conversationDefaults: testConversationDefaults(),
    chatReplyTimeoutMs: 1_000,
    adminToken: ADMIN_TOKEN,
    channels: channelSetupLookup(pool, {}),
  });
  const { baseUrl, request } = await listen(app);
  return {
    baseUrl,
    request,
    close: async () => {
      await app.close();
      await pool.end();
      await connection.close();
    },
  };
}

/**
 * The API with one of its services down (a port where nothing listens): it must say so clearly,
 * 503 and which one, rather than fail obscurely.
 */
describe('when Temporal or PostgreSQL is down', () => {
  let db: TestDatabase;
  let deadPostgres: string;
  let deadTemporal: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    deadPostgres = `postgres://concierge:concierge@127.0.0.1:${await freePort()}/concierge`;
    deadTemporal = `127.0.0.1:${await freePort()}`;
  });
  afterAll(() => db.drop());

  async function requestWith(
    services: { temporalAddress: string; databaseUrl: string },
    method: string,
    path: string,
    body?: unknown,
  ): Promise<HttpResponse> {
    const api = await startApiAgainst(services);
    try {
      // As a business backend: a caller-chosen session_id needs a bearer token.
      return await api.request(method, path, body, { authorization: `Bearer ${ADMIN_TOKEN}` });
    } finally {
      await api.close();
    }
  }

  test('GET /health is 503 naming PostgreSQL', async () => {
    const response = await requestWith({ temporalAddress: testTemporalAddress(), databaseUrl: deadPostgres }, 'GET', '/health');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: 'degraded', temporal: { status: 'up' }, postgres: { status: 'down' } });
    expect(response.body.postgres.error).toMatch(/ECONNREFUSED|connect/);
  });

  test('GET /health is 503 naming Temporal', async () => {
    const response = await requestWith({ temporalAddress: deadTemporal, databaseUrl: db.url }, 'GET', '/health');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: 'degraded', temporal: { status: 'down' }, postgres: { status: 'up' } });
  });

  test.each([
    ['PostgreSQL', () => ({ temporalAddress: testTemporalAddress(), databaseUrl: deadPostgres })],
    ['Temporal', () => ({ temporalAddress: deadTemporal, databaseUrl: db.url })],
  ])('POST /api/chat is 503 when %s is down', async (_name, services) => {
    const response = await requestWith(services(), 'POST', '/api/chat', { session_id: 'outage', message: 'Hola' });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: 'service_unavailable' });
  });
});

/**
 * A frozen PostgreSQL (SIGSTOP, a stalled VM, a network black hole) accepts connections and
 * answers nothing. A proxy in front of the shared test server freezes it for this API alone.
 */
describe('when PostgreSQL freezes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  test('every answer during the freeze is 503 with Retry-After, none 500, and requests succeed once it thaws', async () => {
    const target = new URL(db.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const api = await startApiAgainst({ temporalAddress: testTemporalAddress(), databaseUrl: db.url.replace(`:${target.port}/`, `:${proxy.port}/`) });
    // Both read PostgreSQL first: the chat the tenant (a new id each time: tenants read lately are
    // cached), the admin route the bookings.
    let tenants = 0;
    const chat = () => fetch(`${api.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: `no-such-tenant-${tenants++}`, session_id: 'freeze', message: 'Hola' }),
    });
    const bookings = () => fetch(`${api.baseUrl}/admin/bookings?tenant=demo`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    try {
      // Warm: the pool keeps an idle connection, which the freeze then leaves hanging mid-query.
      expect((await chat()).status).toBe(404);
      expect((await bookings()).status).toBe(200);

      proxy.freeze();
      let answers: Array<{ status: number; retryAfter: string | null }>;
      try {
        // Customers keep writing for 4 s; each answer must come while it is still frozen.
        const pending: Array<Promise<Response>> = [];
        for (let i = 0; i < 20; i++) {
          pending.push(i % 2 ? bookings() : chat());
          await sleep(200);
        }
        answers = (await Promise.all(pending)).map((response) => ({ status: response.status, retryAfter: response.headers.get('retry-after') }));
      } finally {
        proxy.thaw();
      }
      expect(answers.filter((answer) => answer.status !== 503)).toEqual([]);
      expect(answers.every((answer) => answer.retryAfter === '5')).toBe(true);

      let after = { chat: 0, bookings: 0 };
      await waitFor('answers once PostgreSQL thaws', async () => {
        after = { chat: (await chat()).status, bookings: (await bookings()).status };
        return after.chat !== 503 && after.bookings !== 503;
      }, 15_000);
      expect(after).toEqual({ chat: 404, bookings: 200 });
    } finally {
      proxy.thaw();
      await api.close();
      await proxy.close();
    }
  }, 60_000);
});
