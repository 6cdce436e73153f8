import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TenantIdSchema } from '../domain/conversation';

/**
 * Every log line of a request carries Fastify's request id (`reqId`) and, once the request has
 * named one, its tenant: from the path (webhooks), the query (admin) or the body (chat).
 */
export function registerLogContext(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    const tenant = tenantNamedIn(request);
    if (!tenant) return;
    request.log = request.log.child({ tenant });
    reply.log = request.log;
  });
}

function tenantNamedIn(request: FastifyRequest): string | undefined {
  for (const part of [request.params, request.query, request.body]) {
    const named = part && typeof part === 'object' && !Buffer.isBuffer(part) ? (part as { tenant?: unknown }).tenant : undefined;
    // Only a well-formed id: whatever else a caller puts there does not go into the logs.
    const parsed = TenantIdSchema.safeParse(named);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}
