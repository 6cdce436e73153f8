import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server';
import type { LlmProvider } from '../../src/config';
import { createWorker } from '../../src/worker';
import { listen, type HttpRequest } from './http';
import type { ChannelCredentials } from '../../src/activities/delivery';
import { createTestDatabase, silentLogger, testConversationDefaults, testTemporalAddress, testWorkflowBundle, type TestDatabase } from './services';

export interface TestStack {
  app: FastifyInstance;
  /** Where the API listens, on 127.0.0.1. */
  baseUrl: string;
  request: HttpRequest;
  client: Client;
  db: TestDatabase;
  taskQueue: string;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  llmProviders?: LlmProvider[];
  channels?: ChannelCredentials;
  conversation?: Parameters<typeof testConversationDefaults>[0];
  chatReplyTimeoutMs?: number;
}

/** The API and a worker as production wires them, on the shared test servers and a fresh database. */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const db = await createTestDatabase();
  const taskQueue = `test-${randomUUID()}`;
  const address = testTemporalAddress();
  const nativeConnection = await NativeConnection.connect({ address });
  const worker: Worker = await createWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    pool: db.pool,
    llmProviders: options.llmProviders ?? [],
    channels: options.channels ?? {},
    logger: silentLogger,
    workflowBundle: testWorkflowBundle(),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const app = buildServer({
    client,
    pool: db.pool,
    logger: silentLogger,
    taskQueue,
    conversationDefaults: testConversationDefaults(options.conversation),
    chatReplyTimeoutMs: options.chatReplyTimeoutMs ?? 20_000,
  });
  const { baseUrl, request } = await listen(app);
  return {
    app,
    baseUrl,
    request,
    client,
    db,
    taskQueue,
    stop: async () => {
      await app.close();
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      await db.drop();
    },
  };
}
