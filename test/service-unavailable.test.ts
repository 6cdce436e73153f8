import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import pg from 'pg';
import { registerErrorHandler } from '../src/api/errors';
import { createPool, type PoolOptions } from '../src/db/pool';
import { inTransaction } from '../src/db/transaction';
import { isServiceUnavailable } from '../src/service-unavailable';
import { freePort } from './helpers/free-port';
import { listen } from './helpers/http';
import { createTestDatabase, silentLogger, testTemporalAddress, type TestDatabase } from './helpers/services';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';

/**
 * The errors PostgreSQL (through pg) and Temporal (through @temporalio/client) really produce
 * when they are down, frozen, restarting or full, each provoked for real where a test can:
 * every one means "unavailable, retry" (503), and nothing else does (500).
 */
describe('isServiceUnavailable', () => {
  let db: TestDatabase;
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await db.drop();
  });

  const dbPort = () => Number(new URL(db.url).port);
  const urlOn = (port: number) => db.url.replace(`:${dbPort()}/`, `:${port}/`);
  /** A pool with short timeouts, ended after the test. */
  const pool = (url: string, options: pg.PoolConfig = {}) => {
    const created = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 300, ...options });
    created.on('error', () => undefined);
    cleanups.push(() => created.end());
    return created;
  };
  const proxy = async (port: number) => {
    const started: TcpProxy = await startTcpProxy({ host: '127.0.0.1', port });
    cleanups.push(() => started.close());
    return started;
  };
  const failure = async (promise: Promise<unknown>): Promise<unknown> => {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new Error('expected a failure');
  };
  /** The server-side error as pg-protocol builds it from an ErrorResponse. */
  const serverError = (code: string, message: string, severity = 'FATAL') =>
    Object.assign(new pg.DatabaseError(message, 100, 'error'), { code, severity });
  const socketError = (code: string, syscall: string, message: string) =>
    Object.assign(new Error(message), { code, syscall, errno: -1, address: '10.0.0.1', port: 5432 });

  const unavailable: Array<[string, () => Promise<unknown>]> = [
    ['PostgreSQL not listening (ECONNREFUSED)', async () => failure(pool(urlOn(await freePort())).query('SELECT 1'))],
    [
      'PostgreSQL frozen while connecting (Connection terminated due to connection timeout)',
      async () => {
        const frozen = await proxy(dbPort());
        frozen.freeze();
        return failure(pool(urlOn(frozen.port)).query('SELECT 1'));
      },
    ],
    [
      'every pool connection taken (timeout exceeded when trying to connect)',
      async () => {
        const full = pool(db.url, { max: 1 });
        const held = await full.connect();
        const error = await failure(full.query('SELECT 1'));
        held.release();
        return error;
      },
    ],
    [
      'connection cut mid-query (Connection terminated unexpectedly)',
      async () => {
        const cut = await proxy(dbPort());
        const query = failure(pool(urlOn(cut.port)).query('SELECT pg_sleep(5)'));
        await new Promise((resolve) => setTimeout(resolve, 300));
        await cut.close();
        return query;
      },
    ],
    ['frozen mid-query (Query read timeout)', () => failure(createPoolWithCleanup({ queryTimeoutMs: 200 }).query('SELECT pg_sleep(2)'))],
    [
      'backend terminated by an administrator or a shutdown (57P01)',
      async () => {
        const client = await pool(db.url).connect();
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const query = failure(client.query('SELECT pg_sleep(5)'));
        await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        const error = await query;
        client.release(true);
        return error;
      },
    ],
    ['server crashed (57P02)', async () => serverError('57P02', 'terminating connection because of crash of another server process')],
    ['server starting up (57P03)', async () => serverError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', async () => serverError('53300', 'sorry, too many clients already')],
    [
      'connection reset (ECONNRESET)',
      async () => {
        const resetting = net.createServer((socket) => socket.resetAndDestroy());
        await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
        cleanups.push(() => new Promise((resolve) => resetting.close(resolve)));
        return failure(pool(urlOn((resetting.address() as net.AddressInfo).port)).query('SELECT 1'));
      },
    ],
    ['network timeout (ETIMEDOUT)', async () => socketError('ETIMEDOUT', 'connect', 'connect ETIMEDOUT 10.0.0.1:5432')],
    ['write to a closed connection (EPIPE)', async () => socketError('EPIPE', 'write', 'write EPIPE')],
    [
      'Temporal not listening (ServiceError, gRPC UNAVAILABLE)',
      async () => {
        const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] });
        cleanups.push(() => connection.close());
        return failure(new Client({ connection }).workflow.signalWithStart('conversationWorkflow', { workflowId: 'x', taskQueue: 'q', signal: 's' }));
      },
    ],
    [
      'Temporal frozen (gRPC DEADLINE_EXCEEDED)',
      async () => {
        const frozen = await proxy(Number(testTemporalAddress().split(':')[1]));
        frozen.freeze();
        const connection = Connection.lazy({ address: `127.0.0.1:${frozen.port}`, interceptors: [] });
        cleanups.push(() => connection.close());
        const client = new Client({ connection });
        return failure(client.withDeadline(Date.now() + 500, () => client.workflow.signalWithStart('conversationWorkflow', { workflowId: 'x', taskQueue: 'q', signal: 's' })));
      },
    ],
  ];

  const notUnavailable: Array<[string, () => Promise<unknown>]> = [
    ['a programming error (TypeError)', async () => failure(Promise.resolve().then(() => (undefined as unknown as { id: string }).id))],
    ['an SQL syntax error (42601)', () => failure(db.pool.query('SELEC 1'))],
    ['a missing table (42P01)', () => failure(db.pool.query('SELECT * FROM no_such_table'))],
    ['a wrong password (28P01)', () => failure(pool(db.url.replace('concierge:concierge@', 'concierge:wrong@')).query('SELECT 1'))],
    [
      'a workflow that does not exist (gRPC NOT_FOUND)',
      async () => {
        const connection = await Connection.connect({ address: testTemporalAddress() });
        cleanups.push(() => connection.close());
        return failure(
          connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: 'no-such-workflow' } }),
        );
      },
    ],
    ['a message that only looks alike', async () => new Error('cache: timeout exceeded when trying to connect to redis')],
  ];

  function createPoolWithCleanup(options: PoolOptions) {
    const created = createPool(db.url, silentLogger, options);
    cleanups.push(() => created.end());
    return created;
  }

  test.each(unavailable)('%s is unavailable', async (_name, provoke) => {
    const error = await provoke();
    expect(isServiceUnavailable(error)).toBe(true);
  });

  test.each(notUnavailable)('%s is not', async (_name, provoke) => {
    const error = await provoke();
    expect(isServiceUnavailable(error)).toBe(false);
  });

  test('a connection the server drops inside a transaction, between two statements, fails that transaction as unavailable; the process and the pool carry on', async () => {
    const production = createPoolWithCleanup({ queryTimeoutMs: 2_000 });
    const error = await failure(
      inTransaction(production, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        // The server's goodbye arrives while no statement is running on this connection.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await client.query('SELECT 1');
      }),
    );
    expect(isServiceUnavailable(error)).toBe(true);
    expect((await production.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  test('the API answers 503 with Retry-After for the one, 500 for the other', async () => {
    const app = Fastify();
    registerErrorHandler(app);
    app.get('/down', () => pool(urlOn(1)).query('SELECT 1'));
    app.get('/bug', () => Promise.reject(new TypeError('x is not a function')));
    try {
      const { baseUrl } = await listen(app);
      const down = await fetch(`${baseUrl}/down`);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(await down.json()).toMatchObject({ error: 'service_unavailable' });
      const bug = await fetch(`${baseUrl}/bug`);
      expect(bug.status).toBe(500);
      expect(await bug.json()).toMatchObject({ error: 'internal_error' });
    } finally {
      await app.close();
    }
  });
});
