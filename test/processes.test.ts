import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { stateQuery } from '../src/workflows';
import { freePort } from './helpers/free-port';
import { httpClient } from './helpers/http';
import { createTestDatabase, testTemporalAddress, type TestDatabase } from './helpers/services';

const ROOT = path.resolve(__dirname, '..');
/** How package.json's scripts run an entry point: node with tsx's loader, one process. */
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;

interface Started {
  process: ChildProcess;
  readyLine: string;
  exited: Promise<number | null>;
}

/** Every process started here, so that a failed test still stops them (and their servers). */
const spawned: Array<{ process: ChildProcess; exited: Promise<number | null> }> = [];

/** Runs an entry point as `npm start` / `npm run …` does, and waits for its line saying `ready`. */
async function startProcess(entry: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  spawned.push({ process: child, exited });
  let output = '';
  const readyLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 60 s:\n${output.slice(-3000)}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.includes('ready'));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`exited with ${code} before ready:\n${output.slice(-3000)}`)));
  });
  return { process: child, readyLine, exited };
}

const startAll = (env: NodeJS.ProcessEnv) => startProcess('src/main.ts', env);

afterAll(async () => {
  for (const child of spawned) {
    if (child.process.exitCode === null) child.process.kill('SIGTERM');
    await child.exited;
  }
});

async function stop(started: Started): Promise<number | null> {
  started.process.kill('SIGTERM');
  return started.exited;
}

/** Processes whose command line names the given text (our data dir or port). */
function processesMentioning(text: string): string[] {
  const { stdout } = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return stdout.split('\n').filter((line) => line.includes(text) && !line.startsWith('ps '));
}

describe('npm start (everything on one machine)', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'concierge-start-'));
    await chmod(dataDir, 0o755);
    env = {
      CONCIERGE_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
  });

  test('starts, answers a chat, stops cleanly, and keeps the conversation and database across a restart', async () => {
    const running = await startAll(env);
    expect(running.readyLine).toContain(`http://localhost:${env.PORT}`);
    expect(running.readyLine).toContain(`http://localhost:${env.TEMPORAL_UI_PORT}`);
    expect(running.readyLine).not.toContain(':concierge@'); // the database password is masked

    const api = httpClient(`http://127.0.0.1:${env.PORT}`);
    const first = await api('POST', '/api/chat', { session_id: 's1', message: 'Hola' });
    expect(first.status).toBe(200);
    expect(typeof first.body.reply).toBe('string');
    expect((await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`)).status).toBe(200);
    expect((await api('GET', '/health')).status).toBe(200);

    const temporalAddress = `127.0.0.1:${env.TEMPORAL_DEV_PORT}`;
    const listed = await withClient(temporalAddress, async (client) => {
      const ids: string[] = [];
      for await (const execution of client.workflow.list({ query: "TenantId='demo'" })) ids.push(execution.workflowId);
      return { ids, runId: (await client.workflow.getHandle('conversation:demo:web:s1').describe()).runId };
    });
    expect(listed.ids).toEqual(['conversation:demo:web:s1']);
    const databaseUrl = `postgres://concierge:concierge@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/concierge`;
    const migratedAt = await appliedAt(databaseUrl);

    expect(await stop(running)).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(processesMentioning(`--port ${env.TEMPORAL_DEV_PORT}`)).toEqual([]);

    const restarted = await startAll(env);
    const second = await api('POST', '/api/chat', { session_id: 's1', message: 'Sigo aquí' });
    expect(second.status).toBe(200);
    const after = await withClient(temporalAddress, async (client) => {
      const handle = client.workflow.getHandle('conversation:demo:web:s1');
      return { runId: (await handle.describe()).runId, state: await handle.query(stateQuery) };
    });
    expect(after.runId).toBe(listed.runId);
    expect(after.state.transcript.filter((entry) => entry.role === 'customer').map((entry) => entry.text)).toEqual([
      'Hola',
      'Sigo aquí',
    ]);
    expect(await appliedAt(databaseUrl)).toEqual(migratedAt);
    expect(await stop(restarted)).toBe(0);
  }, 180_000); // two cold starts, each bundling the workflow code

  test('a bad setting exits non-zero with a message naming the variable', () => {
    const result = spawnSync(NODE_TSX[0], [...NODE_TSX.slice(1), 'src/main.ts'], { cwd: ROOT, env: { ...process.env, PORT: 'abc' }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT: must be a port number/);
  });
});

describe('npm run api + npm run worker (production processes)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  test('serve chats as separate processes against external Temporal and PostgreSQL, and stop cleanly', async () => {
    const env = {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      DATABASE_URL: db.url,
      TEMPORAL_TASK_QUEUE: `processes-${randomUUID()}`,
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    };
    const [worker, api] = await Promise.all([startProcess('src/worker.ts', env), startProcess('src/api/main.ts', env)]);
    const response = await httpClient(`http://127.0.0.1:${env.PORT}`)('POST', '/api/chat', { session_id: 'prod-1', message: 'Hola' });
    expect(response.status).toBe(200);
    expect(response.body.reply).toContain('Clínica Demo');
    expect(await stop(api)).toBe(0);
    expect(await stop(worker)).toBe(0);
  }, 120_000);

  test('refuse to start without TEMPORAL_ADDRESS and DATABASE_URL', () => {
    for (const entry of ['src/worker.ts', 'src/api/main.ts']) {
      const result = spawnSync(NODE_TSX[0], [...NODE_TSX.slice(1), entry], { cwd: ROOT, env: { ...process.env, TEMPORAL_ADDRESS: '', DATABASE_URL: '' }, encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/TEMPORAL_ADDRESS: required[\s\S]*DATABASE_URL: required/);
    }
  });
});

async function withClient<T>(address: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await fn(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

async function appliedAt(databaseUrl: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows;
  } finally {
    await client.end();
  }
}
