import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './helpers/free-port';

const ROOT = path.resolve(__dirname, '..');

test('a second `npm start` on a data directory in use exits 1 naming the directory, the pid holding it and what to do', async () => {
  // The tests' own embedded PostgreSQL is running: its directory is a busy data directory.
  const client = new pg.Client(process.env.TEST_POSTGRES_ADMIN_URL);
  await client.connect();
  const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory').finally(() => client.end());
  const busy = rows[0]!.data_directory;

  const [port, postgresPort, temporalPort, uiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env = {
    ...process.env,
    CONCIERGE_DATA_DIR: path.dirname(busy),
    PORT: String(port),
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    LOG_LEVEL: 'silent',
  };
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(new RegExp(`failed to start: the data directory ${busy} is in use by another PostgreSQL \\(pid \\d+\\), most likely another "npm start"`));
  expect(result.stderr).toContain('CONCIERGE_DATA_DIR');
}, 90_000);
