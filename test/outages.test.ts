import { Client, Connection } from '@temporalio/client';
import { buildServer } from '../src/api/server';
import { createPool } from '../src/db/pool';
import { freePort } from './helpers/free-port';
import { listen, type HttpResponse } from './helpers/http';
import { createTestDatabase, silentLogger, testConversationDefaults, testTemporalAddress, type TestDatabase } from './helpers/services';

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
    // No gRPC retry interceptor: its pending retry timers outlive connection.close(), which
    // this test does right away (a production API closes the connection only at shutdown).
    const connection = Connection.lazy({ address: services.temporalAddress, interceptors: [] });
    const pool = createPool(services.databaseUrl, silentLogger);
    const app = buildServer({
      client: new Client({ connection }),
      pool,
      logger: silentLogger,
      taskQueue: 'unused',
      conversationDefaults: testConversationDefaults(),
      chatReplyTimeoutMs: 1_000,
    });
    try {
      const { request } = await listen(app);
      return await request(method, path, body);
    } finally {
      await app.close();
      await pool.end();
      await connection.close();
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
