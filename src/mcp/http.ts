import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import type { AdminAuthenticator } from '../api/admin-auth';
import { HttpError } from '../api/errors';
import { limiter, type RateLimits } from '../api/rate-limits';
import { conciergeMcpServer } from './server';
import type { McpDeps } from './tool-calls';

export interface McpRouteDeps extends McpDeps {
  /** The admin routes' bearer check: 401 without a valid token (counted by the sign-in lockout). */
  authenticate: AdminAuthenticator;
  rateLimits: RateLimits;
}

/**
 * `POST /mcp`: the MCP server over streamable HTTP, stateless (a server and transport per
 * request, answers as plain JSON), for the tenant of the bearer token. ADMIN_TOKEN is refused: a
 * session speaks for one tenant, and the operator's token names none. GET and DELETE (a server
 * stream, a session's end) are 405, as the transport's spec asks of a server without sessions.
 */
export function registerMcpRoute(app: FastifyInstance, deps: McpRouteDeps): void {
  const limit = limiter(deps.rateLimits);
  app.post('/mcp', async (request, reply) => {
    const bearer = await deps.authenticate(request);
    if (bearer.role !== 'tenant') throw new HttpError(403, 'tenant_token_required', "MCP sessions are one tenant's: send that tenant's token, not ADMIN_TOKEN.");
    limit(reply, [{ limit: 'mcpRequestsPerTenant', key: bearer.tenantId }]);
    const server = conciergeMcpServer(deps, bearer.tenantId);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    // The transport writes the answer itself.
    reply.hijack();
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  app.route({
    method: ['GET', 'DELETE'],
    url: '/mcp',
    handler: async (_request, reply) => {
      reply.header('allow', 'POST');
      throw new HttpError(405, 'method_not_allowed', 'This MCP server is stateless: POST each JSON-RPC message to /mcp.');
    },
  });
}
