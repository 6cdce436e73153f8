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
      const outcome = await deps.client.withDeadline(Date.now() + deps.replyTimeoutMs, () =>
        handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId }] }),
      );
      if (!outcome.answered) return { ...answer, reply: null, status: outcome.reason };
      const { text, provider, model } = outcome.reply;
      return { ...answer, reply: text, status: 'answered', provider, model };
    } catch (error) {
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isDeadlineExceeded(error)) {
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

function isDeadlineExceeded(error: unknown): boolean {
  // gRPC status 4: the deadline set by withDeadline passed before the update completed.
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 4;
}
