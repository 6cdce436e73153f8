import { requireProductionServices } from '../config';
import { connectDatabase } from '../db/connect';
import { runProcess } from '../process';
import { startApi } from './server';

/** `npm run api`: one API process against an external Temporal and PostgreSQL. */
runProcess('api', async (config, logger, onStop) => {
  const services = requireProductionServices(config);
  const pool = await connectDatabase(services.databaseUrl, logger);
  onStop(() => pool.end());
  const url = await startApi({
    ...config.temporal,
    temporalAddress: services.temporalAddress,
    pool,
    logger,
    port: config.port,
    idleTimeoutMs: config.idleTimeoutMs,
    chatReplyTimeoutMs: config.chatReplyTimeoutMs,
    onStop,
  });
  logger.info({ url }, 'api ready');
});
