import { chmod, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/db/embedded-postgres';
import { resolveTemporalBinary, TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../src/temporal/binaries';
import { startTemporalDevServer, type RunningDevServer } from '../src/temporal/dev-server';
import { writeWorkflowBundle } from '../src/temporal/workflow-bundle';
import { freePort } from './helpers/free-port';

declare global {
  var conciergeTestServices: { postgres: RunningPostgres; temporal: RunningDevServer } | undefined;
}

/**
 * One real PostgreSQL and one real Temporal dev server for the whole run; each test file gets
 * its own database and task queue. The workflow code is bundled once, here.
 */
export default async function globalSetup(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'concierge-test-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as its own user and must reach its data dir
  const log = (message: string) => process.stderr.write(`[test setup] ${message}\n`);
  const cli = resolveTemporalBinary(TEMPORAL_CLI, { explicitPath: process.env.TEMPORAL_CLI_PATH, log });
  const testServer = resolveTemporalBinary(TEMPORAL_TEST_SERVER, { explicitPath: process.env.TEMPORAL_TEST_SERVER_PATH, log });

  const stops: Array<() => Promise<void>> = [];
  const track = <T extends { stop(): Promise<void> }>(starting: Promise<T>) =>
    starting.then((service) => {
      stops.push(() => service.stop());
      return service;
    });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const starting = [
    track(freePort().then((port) => startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), port, database: 'concierge', persistent: false }))),
    track(startTemporalDevServer({ executable: cli, namespace: 'default' })),
    writeWorkflowBundle(bundlePath, quietBundlerLogger),
  ] as const;
  await Promise.allSettled(starting);
  let postgres: RunningPostgres, temporal: RunningDevServer;
  try {
    [postgres, temporal] = await Promise.all(starting);
  } catch (error) {
    // Jest runs no teardown when setup fails: stop whatever did start, or it outlives the run.
    await Promise.all(stops.map((stop) => stop()));
    throw error;
  }

  globalThis.conciergeTestServices = { postgres, temporal };
  process.env.TEST_POSTGRES_ADMIN_URL = postgres.adminUrl;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TIME_SKIPPING_SERVER = JSON.stringify(testServer);
}

const ignore = () => undefined;
const quietBundlerLogger = { log: ignore, trace: ignore, debug: ignore, info: ignore, warn: ignore, error: console.error };
