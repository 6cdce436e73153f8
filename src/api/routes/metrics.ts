import type { FastifyInstance } from 'fastify';
import type { ApiMetrics } from '../../metrics/api-metrics';
import { sameSecret } from '../../secrets';
import { presentedBearer } from '../admin-auth';
import { HttpError } from '../errors';

/**
 * `GET /metrics` on the public port, for the operator's token only: the numbers span every
 * tenant, so a tenant's token is not enough. A deployment that sets METRICS_PORT serves them
 * there instead (src/metrics/metrics-server.ts) and not here.
 */
export function registerMetricsRoute(app: FastifyInstance, deps: { metrics: ApiMetrics; adminToken?: string }): void {
  app.get('/metrics', async (request, reply) => {
    const presented = presentedBearer(request);
    if (!presented || !deps.adminToken || !sameSecret(presented, deps.adminToken)) {
      throw new HttpError(401, 'unauthorized', "Send Authorization: Bearer <the operator's ADMIN_TOKEN>, or scrape METRICS_PORT");
    }
    const { contentType, text } = await deps.metrics.scrape(request.log);
    return reply.type(contentType).send(text);
  });
}
