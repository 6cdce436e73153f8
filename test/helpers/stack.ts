import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { deliverInboundMessage } from '../../src/api/conversations';
import { buildServer } from '../../src/api/server';
import { findTenant } from '../../src/db/tenants';
import type { Channel, Media } from '../../src/domain/conversation';
import { LlmProviderSchema } from '../../src/config';
import { DEFAULT_PRICES, type PriceTable } from '../../src/domain/pricing';
import type { z } from 'zod';
import { createWorker } from '../../src/worker';
import { listen, type HttpRequest } from './http';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { createPool, type Pool } from '../../src/db/pool';
import { channelSetupLookup, type DemoChannels } from '../../src/channels/setup';
import { createTestDatabase, silentLogger, testConversationDefaults, testTemporalAddress, testWorkflowBundle, type TestDatabase } from './services';

export interface TestStack {
  app: FastifyInstance;
  /** Where the API listens, on 127.0.0.1. */
  baseUrl: string;
  request: HttpRequest;
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
  conversation?: Parameters<typeof testConversationDefaults>[0];
  chatReplyTimeoutMs?: number;
  adminToken?: string;
  /** The worker and API reach PostgreSQL through a proxy the test can freeze or stop. */
  databaseProxy?: boolean;
}

/** The API and a worker as production wires them, on the shared test servers and a fresh database. */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const db = await createTestDatabase();
  const dbProxy = options.databaseProxy ? await proxyTo(db) : undefined;
  const pool = dbProxy ? dbProxy.pool : db.pool;
  const taskQueue = `test-${randomUUID()}`;
  const address = testTemporalAddress();
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
    logger: silentLogger,
    temporal: { client, taskQueue, conversationDefaults: testConversationDefaults(options.conversation) },
    workflowBundle: testWorkflowBundle(),
  });
  const running = worker.run();
  const app = buildServer({
    client,
    pool,
    logger: silentLogger,
    taskQueue,
    conversationDefaults: testConversationDefaults(options.conversation),
    chatReplyTimeoutMs: options.chatReplyTimeoutMs ?? 20_000,
    adminToken: options.adminToken,
    channels: channelSetupLookup(pool, options.channels ?? {}),
  });
  const { baseUrl, request } = await listen(app);
  const starter = { client, taskQueue, conversationDefaults: testConversationDefaults(options.conversation) };
  return {
    app,
    baseUrl,
    request,
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
