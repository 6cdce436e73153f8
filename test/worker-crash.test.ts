import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { deliverInboundMessage } from '../src/api/conversations';
import { DEMO_TENANT } from '../src/db/demo-tenant';
import { stateQuery } from '../src/workflows';
import { chatCompletion, FakeOpenAI } from './helpers/fake-openai';
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

  /** `npm run worker`, as production runs it. */
  function startWorker(): ChildProcess {
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
