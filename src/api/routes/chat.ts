import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { cachedTenantLookup } from '../../db/tenants';
import { ContactIdSchema, conversationWorkflowId, RequestContextSchema, TenantIdSchema, type ConversationRef, type InboundMessage } from '../../domain/conversation';
import type { Tenant } from '../../domain/tenant';
import { cleanText } from '../../domain/text';
import { awaitReplyUpdate, type ReplyOutcome } from '../../workflows';
import { chatGuard, type ChatGuard, type ChatGuardDeps } from '../chat-guard';
import { chatWithStart, deliverInboundMessage, type ConversationStarter } from '../../temporal/conversations';
import { HttpError, parseRequest } from '../errors';
import type { Pool } from '../../db/pool';
import { registerChatMessagesRoute } from './chat-messages';

export const ChatRequestSchema = z.object({
  tenant: TenantIdSchema.default('demo'),
  /** Omitted by an anonymous caller's first message: the answer carries a new one and its token. */
  session_id: z.union([z.string(), z.number().int().nonnegative()]).transform(String).pipe(ContactIdSchema).optional(),
  /** The token a first message got back; also accepted as the `X-Session-Token` header. */
  session_token: z.string().min(1).max(300).optional(),
  message: z.string().transform(cleanText).pipe(z.string().trim().min(1, 'must not be empty').max(4096)),
  /** Lets a client retry a request without the message counting twice. */
  message_id: z.string().min(1).max(200).optional(),
  context: RequestContextSchema.optional(),
});

export interface ChatRouteDeps extends ConversationStarter, ChatGuardDeps {
  pool: Pool;
  replyTimeoutMs: number;
}

/**
 * `POST /api/chat` and `GET /api/chat/messages`, sharing the guard that admits their callers and
 * counts them against the rate limits.
 */
export function registerChatRoutes(app: FastifyInstance, deps: ChatRouteDeps): void {
  const guard = chatGuard(deps);
  const findTenant = cachedTenantLookup(deps.pool);
  registerChatRoute(app, deps, guard, findTenant);
  registerChatMessagesRoute(app, deps, guard, findTenant);
}

/**
 * The web chat: synchronous, the answer carries the assistant's reply. When the conversation
 * already has as many messages waiting as Temporal lets it take at once, the message is handed
 * over anyway and the answer is 202 `queued`: the same request again (same `message_id`) gets the
 * reply once it is ready.
 */
function registerChatRoute(app: FastifyInstance, deps: ChatRouteDeps, guard: ChatGuard, findTenant: TenantLookup): void {
  app.post('/api/chat', async (request, reply) => {
    const body = parseRequest(ChatRequestSchema, request.body);
    // The tenant first: an unknown one is a 404 whoever asks (tenant ids are public, in pages).
    const tenant = await findTenant(body.tenant);
    if (!tenant) throw new HttpError(404, 'unknown_tenant', `No tenant "${body.tenant}"`);
    const session = await guard(request, reply, { tenantId: body.tenant, sessionId: body.session_id, sessionToken: body.session_token, purpose: 'message' });
    const messageId = body.message_id ?? `web-${randomUUID()}`;
    const ref: ConversationRef = { tenantId: body.tenant, channel: 'web', contactId: session.sessionId };
    const message: InboundMessage = { id: messageId, text: body.message, receivedAt: new Date().toISOString(), context: body.context };
    // Every answer, a 504's too, names the session: a first message's caller learns it whatever happens.
    const answer = {
      conversation_id: conversationWorkflowId(ref),
      message_id: messageId,
      session_id: session.sessionId,
      session_token: session.sessionToken,
    };
    try {
      const outcome = await chat(deps, tenant, ref, message, Date.now() + deps.replyTimeoutMs);
      if (outcome === 'queued') return reply.status(202).send({ ...answer, reply: null, status: 'queued' });
      if (!outcome.answered) return { ...answer, reply: null, status: outcome.reason };
      const { text, provider, model } = outcome.reply;
      return { ...answer, reply: text, status: 'answered', provider, model };
    } catch (error) {
      if (isWaitTimeout(error)) {
        // An update is durable only once the workflow has accepted it, and a busy worker may not
        // have got to it yet: the message is handed over again as a signal (ignored if the update
        // got in), so that "received" holds.
        await deps.client.withDeadline(Date.now() + HAND_OVER_MS, () => deliverInboundMessage(deps, tenant, ref, message));
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

export type TenantLookup = (id: string) => Promise<Tenant | undefined>;

/** How long handing a timed-out message over as a signal may take. */
const HAND_OVER_MS = 5_000;
/** A pause before asking the next run: the old run's update is answered already; let it end. */
const ASK_AGAIN_AFTER_MS = 100;

/**
 * Delivers the message and waits for its outcome, in one call until the deadline: the message id
 * is the update id, and the conversation ignores a message it already has, so a call that ends
 * with `ask_again` (the run made way for the next, which carries the conversation) is simply
 * made again. Not asked again on a timer: under load that would multiply the calls.
 */
async function chat(deps: ChatRouteDeps, tenant: Tenant, ref: ConversationRef, message: InboundMessage, deadline: number): Promise<ReplyOutcome | 'queued'> {
  for (;;) {
    try {
      const outcome = await deps.client.withDeadline(deadline, () => chatWithStart(deps, tenant, ref, message));
      if (outcome.answered || outcome.reason !== 'ask_again') return outcome;
      await setTimeout(ASK_AGAIN_AFTER_MS);
    } catch (error) {
      if (!isRejection(error)) throw error;
      // Not taken as an update: too many messages waiting already, or a run from before the
      // conversation took chat updates. The message is handed over as a signal all the same.
      const handle = await deliverInboundMessage(deps, tenant, ref, message);
      if (rejectionType(error) === 'ConversationBusy') return 'queued';
      return awaitOutcome(deps.client, handle, message.id, deadline);
    }
  }
}

/** Waits for the outcome of a message already delivered (by signal). */
async function awaitOutcome(
  client: Client,
  handle: Awaited<ReturnType<typeof deliverInboundMessage>>,
  messageId: string,
  deadline: number,
): Promise<ReplyOutcome> {
  for (;;) {
    const outcome = await client.withDeadline(deadline, () => handle.executeUpdate(awaitReplyUpdate, { args: [{ messageId }], updateId: messageId }));
    if (outcome.answered || outcome.reason !== 'ask_again') return outcome;
    await setTimeout(ASK_AGAIN_AFTER_MS);
  }
}

/**
 * The workflow refused the update before recording anything (its validator, or no handler), or
 * Temporal refused it: too many updates in flight for one workflow (gRPC RESOURCE_EXHAUSTED).
 */
function isRejection(error: unknown): boolean {
  return error instanceof WorkflowUpdateFailedError || (error as { code?: unknown } | null)?.code === 8;
}

function rejectionType(error: unknown): string | undefined {
  if ((error as { code?: unknown } | null)?.code === 8) return 'ConversationBusy';
  return error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure ? (error.cause.type ?? undefined) : undefined;
}

function isWaitTimeout(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  // gRPC status 4: the deadline set by withDeadline passed before the update completed.
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 4;
}
