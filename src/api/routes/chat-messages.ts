import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ContactIdSchema, conversationWorkflowId, TenantIdSchema, type TranscriptEntry } from '../../domain/conversation';
import { stateQuery, type ConversationState } from '../../workflows';
import type { ChatGuard } from '../chat-guard';
import type { ConversationStarter } from '../../temporal/conversations';
import { HttpError, parseRequest } from '../errors';
import type { TenantLookup } from './chat';

export const MessagesQuerySchema = z.object({
  tenant: TenantIdSchema.default('demo'),
  /** A business backend's own session (with its bearer token); a page sends X-Session-Token. */
  session_id: ContactIdSchema.optional(),
  /** The last `seq` the caller has; -1 (the default) for the whole transcript. */
  after: z.coerce.number().int().min(-1).default(-1),
  /**
   * The `conversation_session` of the caller's last answer. Sequence numbers start again with
   * each session of the conversation (after an idle close): for another one, all of it is sent.
   */
  conversation_session: z.string().min(1).max(200).optional(),
});

/** How long the conversation's state may take to read: a worker has to answer the query. */
const QUERY_DEADLINE_MS = 10_000;

/**
 * `GET /api/chat/messages?after=<seq>`: what the conversation said since — the customer's,
 * the assistant's (replies and reminders) and staff's entries — read from the workflow's `state`
 * query. The page polls it, so staff messages and reminders show up without a reply to wait for.
 */
export function registerChatMessagesRoute(app: FastifyInstance, deps: ConversationStarter, guard: ChatGuard, findTenant: TenantLookup): void {
  app.get('/api/chat/messages', async (request, reply) => {
    const query = parseRequest(MessagesQuerySchema, request.query);
    if (!(await findTenant(query.tenant))) throw new HttpError(404, 'unknown_tenant', `No tenant "${query.tenant}"`);
    const { sessionId } = await guard(request, reply, { tenantId: query.tenant, sessionId: query.session_id, purpose: 'poll' });
    const conversationId = conversationWorkflowId({ tenantId: query.tenant, channel: 'web', contactId: sessionId });
    const state = await readState(deps, conversationId);
    const sameSession = query.conversation_session === undefined || query.conversation_session === state?.sessionId;
    const after = sameSession ? query.after : -1;
    return {
      conversation_id: conversationId,
      session_id: sessionId,
      conversation_session: state?.sessionId ?? null,
      messages: (state?.transcript ?? []).filter((entry) => entry.seq > after && entry.text !== '').map(toMessage),
    };
  });
}

async function readState(deps: ConversationStarter, conversationId: string): Promise<ConversationState | undefined> {
  try {
    return await deps.client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => deps.client.workflow.getHandle(conversationId).query(stateQuery));
  } catch (error) {
    // No message yet: nothing said.
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

function toMessage(entry: TranscriptEntry) {
  const common = { seq: entry.seq, role: entry.role, text: entry.text, at: entry.at };
  if (entry.role === 'customer') return { ...common, message_id: entry.messageId };
  if (entry.role === 'staff') return { ...common, author: entry.author ?? null };
  return common;
}
