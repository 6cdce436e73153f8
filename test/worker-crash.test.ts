import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { deliverInboundMessage } from '../src/temporal/conversations';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { requestLeadSync } from '../src/temporal/leads';
import { stateQuery } from '../src/workflows';
import { isoDate, weekdayAhead } from './helpers/booking-fixtures';
import { chatCompletion, FakeOpenAI, toolCallCompletion, type FakeResponse } from './helpers/fake-openai';
import { activityRuns } from './helpers/history';
import { FakeBitrix24Crm } from './helpers/fake-bitrix24-crm';
import { FakeTelegram } from './helpers/fake-telegram';
import { createTestDatabase, testConversationDefaults, testTemporalAddress, testWorkflowBundle, type TestDatabase } from './helpers/services';
import { sleep, waitFor } from './helpers/wait-for';

const ROOT = path.resolve(__dirname, '..');

/**
 * Worker processes (`npm run worker`, as production runs them) on their own task queue and
 * database, with a fake model that answers its n-th request as `respond` says, and a fake
 * Telegram: what each test below kills and replaces.
 */
function workerFixture(name: string, respond: (nth: number) => FakeResponse | Promise<never>) {
  const fixture = {
    db: undefined as unknown as TestDatabase,
    model: undefined as unknown as FakeOpenAI,
    telegram: undefined as unknown as FakeTelegram,
    client: undefined as unknown as Client,
    taskQueue: `${name}-${randomUUID()}`,
    /** Starts a worker process. */
    spawn: (): ChildProcess =>
      spawnWorker(workers, fixture, {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: fixture.model.baseURL,
        TELEGRAM_BOT_TOKEN: 'TEST-TOKEN',
        TELEGRAM_WEBHOOK_SECRET: 'TEST-WEBHOOK-SECRET',
        TELEGRAM_API_BASE: fixture.telegram.apiBase,
      }),
  };
  const workers: ChildProcess[] = [];
  let connection: Connection;
  beforeAll(async () => {
    fixture.db = await createTestDatabase();
    await fixture.db.pool.query('UPDATE tenants SET burst_quiet_ms = 0');
    fixture.telegram = await new FakeTelegram().start();
    fixture.model = await new FakeOpenAI((request) => respond(fixture.model.requests.indexOf(request))).start();
    connection = await Connection.connect({ address: testTemporalAddress() });
    fixture.client = new Client({ connection });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await connection.close();
    await Promise.all([fixture.telegram.stop(), fixture.model.stop()]);
    await fixture.db.drop();
  });
  return fixture;
}

/** Hands a Telegram message to its conversation, as the webhook does. */
function deliver(fixture: ReturnType<typeof workerFixture>, contactId: string, id: string, text: string) {
  return deliverInboundMessage(
    { client: fixture.client, taskQueue: fixture.taskQueue, conversationDefaults: testConversationDefaults() },
    { ...DEMO_TENANT, burstQuietMs: 0 },
    { tenantId: 'demo', channel: 'telegram', contactId },
    { id, text, receivedAt: new Date().toISOString() },
  );
}

/**
 * A worker process killed (SIGKILL: no clean shutdown) while the model is thinking: another
 * worker finishes the turn, and the customer gets the reply exactly once.
 */
describe('a worker that dies in the middle of a turn', () => {
  // The first call never answers: its worker is killed while waiting for it.
  const crash = workerFixture('crash', (nth) => (nth === 0 ? new Promise<never>(() => undefined) : chatCompletion('Sí, el martes a las 10 hay lugar.')));

  test('another worker finishes the turn and the reply is sent exactly once', async () => {
    const first = crash.spawn();
    const handle = await deliver(crash, '2001', 'tg-crash-1', '¿Hay turno el martes?');
    await waitFor('the model to be asked', () => crash.model.requests.length === 1, 60_000);
    first.kill('SIGKILL');
    crash.spawn();

    await waitFor('the reply', () => crash.telegram.sent.length === 1, 60_000);
    await sleep(2_000); // a duplicate, if one were coming, would be on its way by now
    expect(crash.telegram.sent).toEqual([{ token: 'TEST-TOKEN', chat_id: 2001, text: 'Sí, el martes a las 10 hay lugar.' }]);
    expect(crash.model.requests).toHaveLength(2);
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
  const date = isoDate(weekdayAhead(7));
  const crash = workerFixture('crash-booking', (nth) =>
    nth === 0
      ? toolCallCompletion([{ name: 'create_booking', arguments: { service: 'depilacion-laser', date, time: '10:00' } }])
      : chatCompletion('Listo, te reservé el turno de las 10.'),
  );

  test('the booking is made once, and answered within 15 s of a new worker starting', async () => {
    const first = crash.spawn();
    const lock = await crash.db.pool.connect();
    try {
      await lock.query('BEGIN');
      // Reads go on (the model's prompt lists bookings); the booking's insert waits.
      await lock.query('LOCK TABLE bookings IN SHARE MODE');
      const handle = await deliver(crash, '2002', 'tg-crash-booking', 'Reservame depilación láser el martes a las 10');
      await waitFor('the booking tool to run', async () => (await activityRuns(handle, 'createBookingTool')) === 1, 60_000);
      await sleep(500);
      first.kill('SIGKILL');
      await lock.query('COMMIT');
      const restarted = Date.now();
      crash.spawn();

      await waitFor('the reply', () => crash.telegram.sent.length === 1, 30_000);
      expect(Date.now() - restarted).toBeLessThan(15_000);
      expect(crash.telegram.sent[0]!.text).toBe('Listo, te reservé el turno de las 10.');
      const { rows } = await crash.db.pool.query("SELECT count(*)::int AS n FROM bookings WHERE contact_id = '2002'");
      expect(rows[0].n).toBe(1);
    } finally {
      lock.release();
    }
  }, 120_000);
});

/**
 * Issue 12, acceptance 3: a worker killed after the CRM accepted the lead but before the push
 * activity completed. The next worker's push finds that lead by its idempotency key and updates
 * it: one lead in the CRM, its id kept.
 */
describe('a worker that dies while pushing a lead', () => {
  const workers: ChildProcess[] = [];
  let db: TestDatabase;
  let portal: FakeBitrix24Crm;
  let connection: Connection;
  const taskQueue = `crm-crash-${randomUUID()}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    portal = await new FakeBitrix24Crm().start();
    connection = await Connection.connect({ address: testTemporalAddress() });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await connection.close();
    await portal.stop();
    await db.drop();
  });

  test('the next worker finds the lead the CRM made and updates it: one lead in the CRM', async () => {
    const spawnCrmWorker = () => spawnWorker(workers, { taskQueue, db }, { CRM_PROVIDER: 'bitrix24', CRM_BASE_URL: portal.baseUrl });
    const { rows } = await db.pool.query(
      `INSERT INTO leads (tenant_id, channel, contact_id, name, email, stage) VALUES ('demo', 'web', 'crash-lead', 'Eva Ríos', 'eva@example.com', 'new') RETURNING id`,
    );
    const lead = { tenantId: 'demo', leadId: rows[0].id as string };
    portal.holdAnswerOf('crm.lead.add');
    const first = spawnCrmWorker();
    await requestLeadSync({ client: new Client({ connection }), taskQueue }, lead);
    await waitFor('the CRM to take the lead', () => portal.leads().length === 1, 60_000);
    first.kill('SIGKILL');
    spawnCrmWorker();

    const pushed = async () => (await db.pool.query('SELECT crm_status, crm_external_id FROM leads WHERE id = $1', [lead.leadId])).rows[0];
    await waitFor('the push finished by the next worker', async () => (await pushed()).crm_status === 'synced', 60_000);
    expect(portal.leads()).toHaveLength(1);
    expect(await pushed()).toEqual({ crm_status: 'synced', crm_external_id: portal.leads()[0]!.ID });
    expect(portal.requests.filter((request) => request.method === 'crm.lead.add')).toHaveLength(1);
    expect(portal.requests.filter((request) => request.method === 'crm.lead.update')).toHaveLength(1);
  }, 120_000);
});

/** `npm run worker`, as production runs it, with the channels, model or CRM that `env` sets. */
function spawnWorker(workers: ChildProcess[], { taskQueue, db }: { taskQueue: string; db: TestDatabase }, env: Record<string, string>): ChildProcess {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: db.url,
      // Built once for the suite, as a deployment's image has it: a replacement starts in a second.
      WORKFLOW_BUNDLE: testWorkflowBundle().codePath,
      LOG_LEVEL: 'silent',
      ...env,
    },
  });
  workers.push(worker);
  return worker;
}
