import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { WorkflowUpdateRPCTimeoutOrCancelledError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findTenant } from '../../db/tenants';
import { ContactIdSchema, RequestContextSchema, TenantIdSchema } from '../../domain/conversation';
import { awaitReplyUpdate, type conversationWorkflow, type ReplyOutcome } from '../../workflows';
import { deliverInboundMessage, type ConversationStarter } from '../conversations';
import { HttpError, parseRequest } from '../errors';
import type { Pool } from '../../db/pool';

const ChatRequestSchema = z.object({
  tenant: TenantIdSchema.default('demo'),
  session_id: z.union([z.string(), z.number().int().nonnegative()]).transform(String).pipe(ContactIdSchema),
  message: z.string().trim().min(1, 'must not be empty').max(4096),
  /** Lets a client retry a request without the message counting twice. */
  message_id: z.string().min(1).max(200).optional(),
  context: RequestContextSchema.optional(),
});

export interface ChatRouteDeps extends ConversationStarter {
  pool: Pool;
  replyTimeoutMs: number;
}

/** The web chat: synchronous, the answer carries the assistant's reply. */
export function registerChatRoute(app: FastifyInstance, deps: ChatRouteDeps): void {
  app.post('/api/chat', async (request) => {
    const body = parseRequest(ChatRequestSchema, request.body);
    const tenant = await findTenant(deps.pool, body.tenant);
    if (!tenant) throw new HttpError(404, 'unknown_tenant', `No tenant "${body.tenant}"`);
    const messageId = body.message_id ?? `web-${randomUUID()}`;
    const handle = await deliverInboundMessage(
      deps,
      tenant,
      { tenantId: body.tenant, channel: 'web', contactId: body.session_id },
      { id: messageId, text: body.message, receivedAt: new Date().toISOString(), context: body.context },
    );
    const answer = { conversation_id: handle.workflowId, message_id: messageId };
    try {
      const outcome = await awaitOutcome(deps.client, handle, messageId, Date.now() + deps.replyTimeoutMs);
      if (!outcome.answered) return { ...answer, reply: null, status: outcome.reason };
      const { text, provider, model } = outcome.reply;
      return { ...answer, reply: text, status: 'answered', provider, model };
    } catch (error) {
      if (isWaitTimeout(error)) {
        throw new HttpError(
          504,
          'reply_timeout',
          'The assistant is taking longer than usual. Your message was received and will be answered.',
          answer,
        );
      }
      throw error;
    }
  });
}

/** How long one wait for the reply lasts before it is asked again. */
const ATTEMPT_MS = 5_000;
const ASK_AGAIN_AFTER_MS = 100;

/**
 * Waits for the outcome of a message. A run that continues-as-new tells its waiters to ask
 * again, and the next run, which carries the conversation, answers; asking again every few
 * seconds also covers a wait that reached a run in its very last moments. The message id is the
 * update id, so asking again within one run joins the same update.
 */
async function awaitOutcome(
  client: Client,
  handle: WorkflowHandle<typeof conversationWorkflow>,
  messageId: string,
  deadline: number,
): Promise<ReplyOutcome> {
  for (;;) {
    try {
      const outcome = await client.withDeadline(Math.min(deadline, Date.now() + ATTEMPT_MS), () =>
        handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId }], updateId: messageId }),
      );
      if (outcome.answered || outcome.reason !== 'ask_again') return outcome;
      await setTimeout(ASK_AGAIN_AFTER_MS); // the old run's update is answered already: let it end
    } catch (error) {
      if (!isWaitTimeout(error) || Date.now() >= deadline) throw error;
    }
  }
}

function isWaitTimeout(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  // gRPC status 4: the deadline set by withDeadline passed before the update completed.
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 4;
}
