import { Client, Connection } from '@temporalio/client';
import { buildServer } from '../src/api/server';
import { createPool } from '../src/db/pool';
import { freePort } from './helpers/free-port';
import { listen } from './helpers/http';
import { silentLogger, testTemporalAddress } from './helpers/services';
import { startTestStack, type TestStack } from './helpers/stack';

describe('GET /health', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  test('is 200 when Temporal and PostgreSQL both answer', async () => {
    const response = await stack.request('GET', '/health');
    expect(response).toEqual({ status: 200, body: { status: 'ok', temporal: { status: 'up' }, postgres: { status: 'up' } } });
  });

  /** The API wired to the given services, one of which is a port where nothing listens. */
  async function healthWith(services: { temporalAddress: string; databaseUrl: string }) {
    // No gRPC retry interceptor: its pending retry timers outlive connection.close(), which
    // this test does right away (a production API closes the connection only at shutdown).
    const connection = Connection.lazy({ address: services.temporalAddress, interceptors: [] });
    const pool = createPool(services.databaseUrl, silentLogger);
    const app = buildServer({
      client: new Client({ connection }),
      pool,
      logger: silentLogger,
      taskQueue: 'unused',
      idleTimeoutMs: 1_000,
      chatReplyTimeoutMs: 1_000,
    });
    try {
      const { request } = await listen(app);
      return await request('GET', '/health');
    } finally {
      await app.close();
      await pool.end();
      await connection.close();
    }
  }

  test('is 503 naming PostgreSQL when the database is down', async () => {
    const response = await healthWith({
      temporalAddress: testTemporalAddress(),
      databaseUrl: `postgres://concierge:concierge@127.0.0.1:${await freePort()}/concierge`,
    });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: 'degraded', temporal: { status: 'up' }, postgres: { status: 'down' } });
    expect(response.body.postgres.error).toMatch(/ECONNREFUSED|connect/);
  });

  test('is 503 naming Temporal when the Temporal server is down', async () => {
    const response = await healthWith({ temporalAddress: `127.0.0.1:${await freePort()}`, databaseUrl: stack.db.url });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: 'degraded', temporal: { status: 'down' }, postgres: { status: 'up' } });
  });
});
