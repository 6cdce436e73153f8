import { randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import Fastify from 'fastify';
import * as activities from './activities';
import { chatUpdate, FLOOR_TASK_QUEUE, floorWorkflowId } from './definitions';
import type { floorConversation } from './workflow';

/**
 * The floor's process: a worker for bench/floor/workflow.ts and a Fastify server with
 * `POST /chat`, the same request and answer shape as Concierge's `POST /api/chat`, so that both
 * designs are measured through HTTP. Env: TEMPORAL_ADDRESS (required), FLOOR_PORT (required),
 * TEMPORAL_NAMESPACE (default `default`). Prints `floor ready — <url>` once it takes traffic.
 */

/** As Concierge's default CHAT_REPLY_TIMEOUT: past it the caller gets a 504. */
const REPLY_TIMEOUT_MS = 30_000;

interface ChatBody {
  session_id: string | number;
  message: string;
  message_id?: string;
}

const chatBodySchema = {
  type: 'object',
  required: ['session_id', 'message'],
  properties: {
    tenant: { type: 'string' },
    session_id: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    message: { type: 'string', minLength: 1 },
    message_id: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

async function main(): Promise<void> {
  const address = requiredEnv('TEMPORAL_ADDRESS');
  const port = Number(requiredEnv('FLOOR_PORT'));
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  // The benchmark stops this process with SIGTERM and waits for the worker to drain.
  Runtime.install({ shutdownSignals: [] });

  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflow') });
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection: workerConnection, namespace, taskQueue: FLOOR_TASK_QUEUE, workflowBundle, activities });
  const running = worker.run();

  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection, namespace });

  const app = Fastify({ logger: false });
  app.post<{ Body: ChatBody }>('/chat', { schema: { body: chatBodySchema } }, async (request, reply) => {
    const sessionId = String(request.body.session_id);
    const messageId = request.body.message_id ?? randomUUID();
    const workflowId = floorWorkflowId(sessionId);
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof floorConversation>('floorConversation', {
      workflowId,
      taskQueue: FLOOR_TASK_QUEUE,
      args: [{ sessionId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    try {
      const answer = await client.withDeadline(Date.now() + REPLY_TIMEOUT_MS, () =>
        client.workflow.executeUpdateWithStart(chatUpdate, {
          args: [{ messageId, text: request.body.message }],
          // The message id is the update id: a retried request is answered once.
          updateId: messageId,
          startWorkflowOperation,
        }),
      );
      return { reply: answer.text, status: 'answered', conversation_id: workflowId, message_id: messageId };
    } catch (error) {
      // The deadline passed before the update completed. Unlike Concierge's (signal first, then
      // wait), an update not yet accepted by then is dropped: the floor can lose such a message.
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (error as { code?: unknown }).code === 4) {
        return reply.code(504).send({ error: 'reply_timeout', conversation_id: workflowId, message_id: messageId });
      }
      throw error;
    }
  });
  await app.listen({ port, host: '127.0.0.1' });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    worker.shutdown();
    await running;
    await clientConnection.close();
    await workerConnection.close();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop());
  // A worker that fails for good ends the process: the benchmark sees it exit.
  running.catch((error: unknown) => {
    process.stderr.write(`floor worker failed: ${String(error)}\n`);
    process.exit(1);
  });
  process.stdout.write(`floor ready — http://127.0.0.1:${port}\n`);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`floor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
