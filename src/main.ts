import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startApi } from './api/server';
import { connectDatabase } from './db/connect';
import { seedDemoTenant } from './db/demo-tenant';
import { startEmbeddedPostgres } from './db/embedded-postgres';
import { redactUrl } from './logger';
import { runProcess } from './process';
import { resolveTemporalBinary, TEMPORAL_CLI } from './temporal/binaries';
import { startTemporalDevServer } from './temporal/dev-server';
import { installTemporalRuntime } from './temporal/runtime';
import { startWorker } from './worker';

/**
 * `npm start`: everything on one machine. Temporal and PostgreSQL are embedded (state under the
 * data directory, so conversations survive a restart) unless TEMPORAL_ADDRESS / DATABASE_URL
 * point elsewhere; then the worker, the API and the demo tenant.
 */
runProcess('concierge', async (config, logger, onStop) => {
  installTemporalRuntime(logger);
  const dataDir = path.resolve(config.dataDir);

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const postgres = await startEmbeddedPostgres({
      dir: path.join(dataDir, 'postgres'),
      port: config.embeddedPostgresPort,
      database: 'concierge',
      persistent: true,
    });
    onStop('embedded PostgreSQL', () => postgres.stop());
    databaseUrl = postgres.url;
  }

  let temporalAddress = config.temporal.address;
  let temporalUi = 'see your Temporal cluster';
  if (!temporalAddress) {
    const executable = resolveTemporalBinary(TEMPORAL_CLI, {
      explicitPath: config.temporal.cliPath,
      log: (message) => logger.info(message),
    });
    const server = await startTemporalDevServer({
      executable,
      namespace: config.temporal.namespace,
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
    });
    onStop('Temporal dev server', () => server.stop());
    temporalAddress = server.address;
    temporalUi = `http://localhost:${config.temporal.uiPort}`;
  }

  const pool = await connectDatabase(databaseUrl, logger);
  onStop('database pool', () => pool.end());
  await seedDemoTenant(pool);

  // On one machine for trying it out: an admin token made up for this run, shown once below.
  const adminToken = config.adminToken ?? randomBytes(18).toString('base64url');
  await startWorker(config, { temporalAddress, pool, logger, onStop });
  const apiUrl = await startApi({ ...config, adminToken }, { temporalAddress, pool, logger, onStop });

  const llm = config.llmProviders.map((provider) => `${provider.name}/${provider.model}`).join(' → ') || 'offline model (rule-based; no LLM configured)';
  process.stdout.write(
    `Concierge ready — API ${apiUrl} · Temporal UI ${temporalUi} · Temporal ${temporalAddress} · ` +
      `PostgreSQL ${redactUrl(databaseUrl)} · LLM ${llm}` +
      (config.adminToken ? '\n' : ` · admin token ${adminToken} (set ADMIN_TOKEN to choose it)\n`),
  );
});
