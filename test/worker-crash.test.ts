import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { deliverInboundMessage } from '../src/api/conversations';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { stateQuery } from '../src/workflows';
import { isoDate, weekdayAhead } from './helpers/booking-fixtures';
import { chatCompletion, FakeOpenAI, toolCallCompletion } from './helpers/fake-openai';
import { activityRuns } from './helpers/history';
import { FakeTelegram } from './helpers/fake-telegram';
import { createTestDatabase, testConversationDefaults, testTemporalAddress, type TestDatabase } from './helpers/services';
import { sleep, waitFor } from './helpers/wait-for';

const ROOT = path.resolve(__dirname, '..');

/**
 * A worker process killed (SIGKILL: no clean shutdown) while the model is thinking: another
 * worker finishes the turn, and the customer gets the reply exactly once.
 */
describe('a worker that dies in the middle of a turn', () => {
  let db: TestDatabase;
  let model: FakeOpenAI;
  let telegram: FakeTelegram;
  let connection: Connection;
  const workers: ChildProcess[] = [];
  const taskQueue = `crash-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query('UPDATE tenants SET burst_quiet_ms = 0');
    telegram = await new FakeTelegram().start();
    // The first call never answers: its worker is killed while waiting for it.
    model = await new FakeOpenAI((request) =>
      model.requests.indexOf(request) === 0 ? new Promise(() => undefined) : chatCompletion('Sí, el martes a las 10 hay lugar.'),
    ).start();
    connection = await Connection.connect({ address: testTemporalAddress() });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await connection.close();
    await Promise.all([telegram.stop(), model.stop()]);
    await db.drop();
  });

  const startWorker = () => spawnWorker(workers, { taskQueue, db, model, telegram });

  test('another worker finishes the turn and the reply is sent exactly once', async () => {
    const first = startWorker();
    const client = new Client({ connection });
    const starter = { client, taskQueue, conversationDefaults: testConversationDefaults() };
    const handle = await deliverInboundMessage(
      starter,
      { ...DEMO_TENANT, burstQuietMs: 0 },
      { tenantId: 'demo', channel: 'telegram', contactId: '2001' },
      { id: 'tg-crash-1', text: '¿Hay turno el martes?', receivedAt: new Date().toISOString() },
    );
    await waitFor('the model to be asked', () => model.requests.length === 1, 60_000);
    first.kill('SIGKILL');
    startWorker();

    await waitFor('the reply', () => telegram.sent.length === 1, 60_000);
    await sleep(2_000); // a duplicate, if one were coming, would be on its way by now
    expect(telegram.sent).toEqual([{ token: 'TEST-TOKEN', chat_id: 2001, text: 'Sí, el martes a las 10 hay lugar.' }]);
    expect(model.requests).toHaveLength(2);
    const state = await handle.query(stateQuery);
    expect(state.transcript.map((entry) => `${entry.role}: ${entry.text}`)).toEqual([
      'customer: ¿Hay turno el martes?',
      'assistant: Sí, el martes a las 10 hay lugar.',
    ]);
  }, 120_000);
});

/**
 * A worker killed while a booking tool runs (here: waiting for a lock on the bookings table):
 * the tool's short start-to-close timeout hands it to another worker within seconds.
 */
describe('a worker that dies in the middle of a booking', () => {
  let db: TestDatabase;
  let model: FakeOpenAI;
  let telegram: FakeTelegram;
  let connection: Connection;
  const workers: ChildProcess[] = [];
  const taskQueue = `crash-booking-${randomUUID()}`;
  const date = isoDate(weekdayAhead(7));

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query('UPDATE tenants SET burst_quiet_ms = 0');
    telegram = await new FakeTelegram().start();
    model = await new FakeOpenAI((request) =>
      model.requests.indexOf(request) === 0
        ? toolCallCompletion([{ name: 'create_booking', arguments: { service: 'depilacion-laser', date, time: '10:00' } }])
        : chatCompletion('Listo, te reservé el turno de las 10.'),
    ).start();
    connection = await Connection.connect({ address: testTemporalAddress() });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await connection.close();
    await Promise.all([telegram.stop(), model.stop()]);
    await db.drop();
  });

  test('the booking is made once, and answered within 15 s of a new worker starting', async () => {
    const first = spawnWorker(workers, { taskQueue, db, model, telegram });
    const client = new Client({ connection });
    const lock = await db.pool.connect();
    try {
      await lock.query('BEGIN');
      // Reads go on (the model's prompt lists bookings); the booking's insert waits.
      await lock.query('LOCK TABLE bookings IN SHARE MODE');
      const handle = await deliverInboundMessage(
        { client, taskQueue, conversationDefaults: testConversationDefaults() },
        { ...DEMO_TENANT, burstQuietMs: 0 },
        { tenantId: 'demo', channel: 'telegram', contactId: '2002' },
        { id: 'tg-crash-booking', text: 'Reservame depilación láser el martes a las 10', receivedAt: new Date().toISOString() },
      );
      await waitFor('the booking tool to run', async () => (await activityRuns(handle, 'createBookingTool')) === 1, 60_000);
      await sleep(500);
      first.kill('SIGKILL');
      await lock.query('COMMIT');
      const restarted = Date.now();
      spawnWorker(workers, { taskQueue, db, model, telegram });

      await waitFor('the reply', () => telegram.sent.length === 1, 30_000);
      expect(Date.now() - restarted).toBeLessThan(15_000);
      expect(telegram.sent[0]!.text).toBe('Listo, te reservé el turno de las 10.');
      const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM bookings WHERE contact_id = '2002'");
      expect(rows[0].n).toBe(1);
    } finally {
      lock.release();
    }
  }, 120_000);
});

/** `npm run worker`, as production runs it. */
function spawnWorker(
  workers: ChildProcess[],
  { taskQueue, db, model, telegram }: { taskQueue: string; db: TestDatabase; model: FakeOpenAI; telegram: FakeTelegram },
): ChildProcess {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: db.url,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: model.baseURL,
      TELEGRAM_BOT_TOKEN: 'TEST-TOKEN',
      TELEGRAM_API_BASE: telegram.apiBase,
      LOG_LEVEL: 'silent',
    },
  });
  workers.push(worker);
  return worker;
}
