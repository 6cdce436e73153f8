import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logger';
import type { ApiMetrics } from './api-metrics';

/**
 * `GET /metrics` without a token, on a port of its own (METRICS_PORT): for a scraper on a
 * network the public cannot reach. Nothing else is served there.
 */
export async function serveMetrics(metrics: ApiMetrics, { port, host }: { port: number; host: string }, logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: logger.child({ listener: 'metrics' }) as FastifyBaseLogger, disableRequestLogging: true });
  app.get('/metrics', async (request, reply) => {
    const { contentType, text } = await metrics.scrape(request.log);
    return reply.type(contentType).send(text);
  });
  await app.listen({ port, host });
  return app;
}
