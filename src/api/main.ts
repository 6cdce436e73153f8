import { requireProductionServices } from '../config';
import { connectDatabase } from '../db/connect';
import { runProcess } from '../process';
import { startApi } from './server';

/** `npm run api`: one API process against an external Temporal and PostgreSQL. */
runProcess('api', async (config, logger, onStop, control) => {
  const { temporalAddress, databaseUrl } = requireProductionServices(config);
  await control.waitForServices({ temporalAddress, databaseUrl });
  const pool = await connectDatabase(databaseUrl, logger);
  onStop('database pool', () => pool.end());
  const url = await startApi(config, { temporalAddress, pool, logger, onStop });
  logger.info({ url }, 'api ready');
});
