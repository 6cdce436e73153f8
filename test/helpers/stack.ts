import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { deliverInboundMessage } from '../../src/temporal/conversations';
import { buildServer } from '../../src/api/server';
import { createTenantToken } from '../../src/db/tenant-tokens';
import { findTenant } from '../../src/db/tenants';
import type { Channel, Media } from '../../src/domain/conversation';
import { LlmProviderSchema } from '../../src/config';
import type { RateLimits } from '../../src/api/rate-limits';
import { DEFAULT_PRICES, type PriceTable } from '../../src/domain/pricing';
import type { z } from 'zod';
import { createWorker } from '../../src/worker';
import { listen, type HttpRequest } from './http';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { createPool, type Pool } from '../../src/db/pool';
import { channelSetupLookup, type DemoChannels } from '../../src/channels/setup';
import type { CrmSettings } from '../../src/crm/adapter';
import type { Logger } from '../../src/logger';
import { createTestDatabase, silentLogger, testConversationDefaults, testTemporalAddress, testWorkflowBundle, type TestDatabase } from './services';

export interface TestStack {
  app: FastifyInstance;
  /** Where the API listens, on 127.0.0.1. */
  baseUrl: string;
  /**
   * A real HTTP request. To `/api/chat…` with no headers given, it speaks as the business's own
   * backend: `Authorization: Bearer <a token of the tenant it names>` (body or query `tenant`,
   * else demo), so it may name its sessions. Give headers (even `{}`) to send exactly those.
   */
  request: HttpRequest;
  /** The bearer token `request` sends for a tenant (made on first use); undefined for no such tenant. */
  backendToken(tenantId: string): Promise<string | undefined>;
  /** Hands a customer message to its conversation, as a channel webhook does. */
  deliver(channel: Channel, contactId: string, text: string, id?: string, media?: Media[]): ReturnType<typeof deliverInboundMessage>;
  client: Client;
  db: TestDatabase;
  /** Set with `databaseProxy`: between the worker and API and PostgreSQL (tests' own queries go direct). */
  dbProxy?: TcpProxy;
  taskQueue: string;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** As `LLM_PROVIDERS` takes them (defaults filled in); none: the offline model. */
  llmProviders?: z.input<typeof LlmProviderSchema>[];
  llmPrices?: PriceTable;
  channels?: DemoChannels;
  /** The demo tenant's CRM, as `CRM_PROVIDER` and the rest set it; none: the built-in one. */
  demoCrm?: CrmSettings;
  conversation?: Parameters<typeof testConversationDefaults>[0];
  chatReplyTimeoutMs?: number;
  adminToken?: string;
  sessionSecret?: string;
  /** On top of TEST_RATE_LIMITS (DEFAULT_RATE_LIMITS for the production numbers). */
  chatRateLimits?: Partial<RateLimits>;
  /** The worker and API reach PostgreSQL through a proxy the test can freeze or stop. */
  databaseProxy?: boolean;
  /** A Temporal server of the test's own (one with its Web UI, say); the shared one by default. */
  temporalAddress?: string;
  /** Where the worker and API log (silentLogger by default); the SDK's own lines stay on silentLogger. */
  logger?: Logger;
}

/**
 * Tests talk faster than people and sign in wrongly on purpose: one contact may send as many
 * messages as a test needs, and refused tokens lock no one out. The other limits are production's.
 */
const TEST_RATE_LIMITS: Partial<RateLimits> = { messagesPerSession: 100_000, failedSignInsPerAddress: 100_000 };
/** CONTACT_KEY_SECRET of every test stack's API and worker. */
export const TEST_CONTACT_KEY_SECRET = 'test contact key secret, 32 characters or more';

/** The API and a worker as production wires them, on the shared test servers and a fresh database. */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const db = await createTestDatabase();
  const dbProxy = options.databaseProxy ? await proxyTo(db) : undefined;
  const pool = dbProxy ? dbProxy.pool : db.pool;
  const taskQueue = `test-${randomUUID()}`;
  const address = options.temporalAddress ?? testTemporalAddress();
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const worker: Worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    pool,
    llmProviders: (options.llmProviders ?? []).map((provider) => LlmProviderSchema.parse(provider)),
    llmPrices: options.llmPrices ?? DEFAULT_PRICES,
    channels: options.channels ?? {},
    demoCrm: options.demoCrm,
    logger: options.logger ?? silentLogger,
    temporal: { client, taskQueue, conversationDefaults: testConversationDefaults(options.conversation), contactKeySecret: TEST_CONTACT_KEY_SECRET },
    workflowBundle: testWorkflowBundle(),
  });
  const running = worker.run();
  const app = buildServer({
    client,
    pool,
    logger: options.logger ?? silentLogger,
    taskQueue,
    conversationDefaults: testConversationDefaults(options.conversation),
    contactKeySecret: TEST_CONTACT_KEY_SECRET,
    chatReplyTimeoutMs: options.chatReplyTimeoutMs ?? 20_000,
    adminToken: options.adminToken,
    channels: channelSetupLookup(pool, options.channels ?? {}),
    sessionSecret: options.sessionSecret,
    rateLimits: { ...TEST_RATE_LIMITS, ...options.chatRateLimits },
  });
  const { baseUrl, request } = await listen(app);
  const backendToken = tenantTokens(db);
  const starter = { client, taskQueue, conversationDefaults: testConversationDefaults(options.conversation), contactKeySecret: TEST_CONTACT_KEY_SECRET };
  return {
    app,
    baseUrl,
    request: asTenantBackend(request, backendToken),
    backendToken,
    deliver: async (channel, contactId, text, id = randomUUID(), media) => {
      const tenant = (await findTenant(db.pool, 'demo'))!;
      const message = { id, text, media, receivedAt: new Date().toISOString() };
      return deliverInboundMessage(starter, tenant, { tenantId: 'demo', channel, contactId }, message);
    },
    client,
    db,
    dbProxy: dbProxy?.proxy,
    taskQueue,
    stop: async () => {
      await app.close();
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      await dbProxy?.stop();
      await db.drop();
    },
  };
}

/** One bearer token per tenant, made in the test database when first asked for. */
function tenantTokens(db: TestDatabase): (tenantId: string) => Promise<string | undefined> {
  const tokens = new Map<string, Promise<string | undefined>>();
  return (tenantId) => {
    let token = tokens.get(tenantId);
    if (!token) {
      token = createTenantToken(db.pool, tenantId, 'test stack').catch((error: { code?: string }) => {
        tokens.delete(tenantId); // the tenant may be made later in the test
        if (error.code === '23503') return undefined; // no such tenant: the request goes without
        throw error;
      });
      tokens.set(tenantId, token);
    }
    return token;
  };
}

/**
 * Most tests talk to /api/chat as a business backend does, naming their own session ids, which
 * needs the tenant's bearer token: added unless the caller gives headers of its own.
 */
function asTenantBackend(request: HttpRequest, tokenOf: (tenantId: string) => Promise<string | undefined>): HttpRequest {
  return async (method, path, body, headers) => {
    if (headers !== undefined || !path.startsWith('/api/chat')) return request(method, path, body, headers);
    const token = await tokenOf(tenantNamedIn(path, body));
    return request(method, path, body, token ? { authorization: `Bearer ${token}` } : undefined);
  };
}

function tenantNamedIn(path: string, body: unknown): string {
  const fromBody = typeof body === 'object' && body !== null ? (body as { tenant?: unknown }).tenant : undefined;
  if (typeof fromBody === 'string') return fromBody;
  return new URL(path, 'http://localhost').searchParams.get('tenant') ?? 'demo';
}

/** A pool that reaches the test database through a TCP proxy. */
export async function proxyTo(db: TestDatabase): Promise<{ proxy: TcpProxy; pool: Pool; stop(): Promise<void> }> {
  const target = new URL(db.url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  target.port = String(proxy.port);
  const pool = createPool(target.toString(), silentLogger);
  return {
    proxy,
    pool,
    stop: async () => {
      await proxy.close();
      await pool.end();
    },
  };
}
