import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startApi } from './api/server';
import { connectDatabase } from './db/connect';
import { createPool } from './db/pool';
import { seedDemoTenant } from './db/demo-tenant';
import { startEmbeddedPostgres } from './db/embedded-postgres';
import { redactUrl } from './logger';
import { runProcess } from './process';
import { supervise, type SuperviseOptions } from './supervisor';
import { resolveTemporalBinary, TEMPORAL_CLI } from './temporal/binaries';
import { startTemporalDevServer } from './temporal/dev-server';
import { installTemporalRuntime } from './temporal/runtime';
import { startWorker } from './worker';

/**
 * `npm start`: everything on one machine. Temporal and PostgreSQL are embedded (state under the
 * data directory, so conversations survive a restart) unless TEMPORAL_ADDRESS / DATABASE_URL
 * point elsewhere; then the worker, the API and the demo tenant.
 *
 * The embedded servers are supervised: one that dies is restarted on its port and data (the
 * pool opens new connections, the Temporal connections reconnect by themselves); one that keeps
 * dying stops the whole process with exit code 1.
 */
runProcess('concierge', async (config, logger, onStop, control) => {
  installTemporalRuntime(logger);
  const dataDir = path.resolve(config.dataDir);
  const supervision: SuperviseOptions = { logger, stopping: control.stopping, onGiveUp: control.fail };

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const options = { dir: path.join(dataDir, 'postgres'), port: config.embeddedPostgresPort, database: 'concierge', persistent: true };
    const postgres = await supervise('embedded PostgreSQL', () => startEmbeddedPostgres(options), supervision);
    onStop('embedded PostgreSQL', () => postgres.stop());
    databaseUrl = postgres.server.url;
  }

  let temporalAddress = config.temporal.address;
  let temporalUi = 'see your Temporal cluster';
  if (!temporalAddress) {
    const executable = resolveTemporalBinary(TEMPORAL_CLI, {
      explicitPath: config.temporal.cliPath,
      log: (message) => logger.info(message),
    });
    const options = {
      executable,
      namespace: config.temporal.namespace,
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      onRestartWhileStarting: (error: Error) => logger.warn({ err: error }, 'Temporal dev server died while starting; starting it again'),
    };
    const temporal = await supervise('Temporal dev server', () => startTemporalDevServer(options), supervision);
    onStop('Temporal dev server', () => temporal.stop());
    temporalAddress = temporal.server.address;
    temporalUi = `http://localhost:${config.temporal.uiPort}`;
  }

  // External servers may still be coming up; the embedded ones answer at once.
  await control.waitForServices({ databaseUrl, temporalAddress });
  const pool = await connectDatabase(databaseUrl, logger);
  onStop('database pool', () => pool.end());
  await seedDemoTenant(pool);

  // On one machine for trying it out: an admin token made up for this run, shown once below.
  const adminToken = config.adminToken ?? randomBytes(18).toString('base64url');
  await startWorker(config, { temporalAddress, pool, logger, onStop });
  // The API's own connections, as in production where it is a process of its own: a webhook's
  // insert must not queue behind the worker's activities for one of the pool's connections.
  const apiPool = createPool(databaseUrl, logger);
  onStop('API database pool', () => apiPool.end());
  const apiUrl = await startApi({ ...config, adminToken }, { temporalAddress, pool: apiPool, logger, onStop });

  const llm = config.llmProviders.map((provider) => `${provider.name}/${provider.model}`).join(' → ') || 'offline model (rule-based; no LLM configured)';
  process.stdout.write(
    `Concierge ready — API ${apiUrl} · Temporal UI ${temporalUi} · Temporal ${temporalAddress} · ` +
      `PostgreSQL ${redactUrl(databaseUrl)} · LLM ${llm}` +
      (config.adminToken ? '\n' : ` · admin token ${adminToken} (set ADMIN_TOKEN to choose it)\n`),
  );
});
