import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import type { ProcessResources } from '../process';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import type { ConversationStarter } from '../temporal/conversations';
import { registerErrorHandler } from './errors';
import { registerApiDocs } from './openapi';
import { registerAdminBookingsRoute } from './routes/admin-bookings';
import { registerAdminLeadsRoutes } from './routes/admin-leads';
import { registerAdminContactsRoutes } from './routes/admin-contacts';
import { registerAdminConversationsRoutes } from './routes/admin-conversations';
import { applyTenantConfigFile, registerAdminTenantsRoutes } from './routes/admin-tenants';
import { adminAuthenticator, bearerResolver } from './admin-auth';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limits';
import { registerHardening, SERVER_OPTIONS } from './hardening';
import { registerChatRoutes } from './routes/chat';
import { registerChatPage } from './routes/chat-page';
import { registerInboxPage } from './routes/inbox-page';
import { sessionSecretFor } from './web-session';
import { registerHealthRoute } from './routes/health';
import { registerMetricsRoute } from './routes/metrics';
import { registerLogContext } from './log-context';
import { createApiMetrics, type ApiMetrics } from '../metrics/api-metrics';
import { serveMetrics } from '../metrics/metrics-server';
import { registerWebhookRoutes } from './routes/webhooks';
import { deliveryFailureHandler } from './delivery-failures';
import { channelSetupLookup, type ChannelSetupLookup } from '../channels/setup';
import { temporalEndpoint } from '../temporal/connection';
import { registerMcpRoute } from '../mcp/http';

export interface ApiDeps {
  client: Client;
  pool: Pool;
  logger: Logger;
  taskQueue: string;
  conversationDefaults: ConversationStarter['conversationDefaults'];
  contactKeySecret?: ConversationStarter['contactKeySecret'];
  chatReplyTimeoutMs: number;
  /** The operator's token. Unset: admin routes take tenant tokens only, and /metrics no one's. */
  adminToken?: string;
  /** Each tenant's messaging channels. */
  channels: ChannelSetupLookup;
  /** Signs web chat sessions (see sessionSecretFor). Unset: random, for this server's life only. */
  sessionSecret?: string;
  /** Chat and webhooks, per contact, tenant and address; unset: DEFAULT_RATE_LIMITS. */
  rateLimits?: Partial<RateLimits>;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY); unset: none. */
  trustProxy?: Config['trustProxy'];
  /**
   * Given: whoever made them serves /metrics on a port of its own (METRICS_PORT). Not given:
   * made here and served on this server, to the operator's token.
   */
  metricsServedElsewhere?: ApiMetrics;
}

const BODY_LIMIT_BYTES = 256 * 1024;

export function buildServer(deps: ApiDeps): FastifyInstance {
  const resolveBearer = bearerResolver(deps);
  const authenticate = adminAuthenticator(resolveBearer);
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit: BODY_LIMIT_BYTES, trustProxy: deps.trustProxy ?? false, ...SERVER_OPTIONS });
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  registerErrorHandler(app);
  registerHardening(app, rateLimits);
  // Before any route: it records every route registered after it, for the OpenAPI document.
  registerApiDocs(app);
  registerLogContext(app);
  const metrics = deps.metricsServedElsewhere ?? createApiMetrics(deps.pool);
  metrics.instrument(app);
  if (!deps.metricsServedElsewhere) registerMetricsRoute(app, { metrics, adminToken: deps.adminToken });
  registerHealthRoute(app, deps);
  registerChatRoutes(app, {
    ...deps,
    replyTimeoutMs: deps.chatReplyTimeoutMs,
    sessionSecret: deps.sessionSecret ?? randomBytes(32).toString('base64url'),
    resolveBearer,
    rateLimits,
  });
  registerChatPage(app);
  registerInboxPage(app);
  registerWebhookRoutes(app, { ...deps, onDeliveryFailed: deliveryFailureHandler(deps), rateLimits });
  registerAdminBookingsRoute(app, { ...deps, authenticate });
  registerAdminLeadsRoutes(app, { ...deps, authenticate });
  registerAdminContactsRoutes(app, { ...deps, authenticate });
  registerAdminConversationsRoutes(app, { ...deps, authenticate });
  registerAdminTenantsRoutes(app, { ...deps, authenticate });
  registerMcpRoute(app, { ...deps, authenticate, rateLimits });
  return app;
}

/** Connects to Temporal and serves the API on API_HOST (and /metrics on METRICS_PORT, if set); returns the base URL. */
export async function startApi(config: Config, { temporalAddress, pool, logger, onStop }: ProcessResources): Promise<string> {
  const { namespace, taskQueue } = config.temporal;
  const connection = await Connection.connect(temporalEndpoint(temporalAddress, config.temporal));
  onStop('API Temporal connection', () => connection.close());
  await registerSearchAttributes(connection, namespace, logger);
  if (config.tenantConfigFile) {
    const { id, outcome } = await applyTenantConfigFile(pool, config.tenantConfigFile);
    logger.info({ tenant: id }, `tenant ${outcome} from TENANT_CONFIG_FILE`);
  }
  const session = sessionSecretFor(config);
  if (session.source === 'random') {
    logger.warn('web chat sessions are signed with a secret of this process: they end with it, and other API processes refuse them (set SESSION_SECRET or ADMIN_TOKEN)');
  }
  const metrics = config.metricsPort ? createApiMetrics(pool) : undefined;
  const app = buildServer({
    client: new Client({ connection, namespace }),
    pool,
    logger,
    taskQueue,
    conversationDefaults: config.conversation,
    contactKeySecret: config.contactKeySecret,
    chatReplyTimeoutMs: config.chatReplyTimeoutMs,
    adminToken: config.adminToken,
    channels: channelSetupLookup(pool, config.channels),
    sessionSecret: session.secret,
    metricsServedElsewhere: metrics,
    trustProxy: config.trustProxy,
  });
  await app.listen({ port: config.port, host: config.apiHost });
  onStop('HTTP server', () => app.close());
  if (metrics && config.metricsPort) {
    const metricsServer = await serveMetrics(metrics, { port: config.metricsPort, host: config.apiHost }, logger);
    onStop('metrics server', () => metricsServer.close());
  }
  return `http://localhost:${config.port}`;
}
