import { randomUUID } from 'node:crypto';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findTenant } from '../../db/tenants';
import { ContactIdSchema, RequestContextSchema, TenantIdSchema } from '../../domain/conversation';
import { awaitReplyUpdate } from '../../workflows';
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
    if (!(await findTenant(deps.pool, body.tenant))) {
      throw new HttpError(404, 'unknown_tenant', `No tenant "${body.tenant}"`);
    }
    const messageId = body.message_id ?? `web-${randomUUID()}`;
    const handle = await deliverInboundMessage(
      deps,
      { tenantId: body.tenant, channel: 'web', contactId: body.session_id },
      { id: messageId, text: body.message, receivedAt: new Date().toISOString(), context: body.context },
    );
    try {
      const reply = await deps.client.withDeadline(Date.now() + deps.replyTimeoutMs, () =>
        handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId }] }),
      );
      return { reply: reply.text, conversation_id: handle.workflowId, message_id: messageId, provider: reply.provider, model: reply.model };
    } catch (error) {
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isDeadlineExceeded(error)) {
        throw new HttpError(
          504,
          'reply_timeout',
          'The assistant is taking longer than usual. Your message was received and will be answered.',
          { conversation_id: handle.workflowId, message_id: messageId },
        );
      }
      throw error;
    }
  });
}

function isDeadlineExceeded(error: unknown): boolean {
  // gRPC status 4: the deadline set by withDeadline passed before the update completed.
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 4;
}
