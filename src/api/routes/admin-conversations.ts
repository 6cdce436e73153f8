import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listUpcomingBookings } from '../../db/bookings';
import { findLead } from '../../db/leads';
import type { Pool } from '../../db/pool';
import { contactNames } from '../../db/contact-names';
import { findTenant } from '../../db/tenants';
import { archivedContactId, loadArchivedTranscript } from '../../db/transcript-archive';
import { temporalContactId } from '../../domain/contact-key';
import {
  CHANNELS,
  ChannelSchema,
  ContactIdSchema,
  ConversationRefSchema,
  ConversationStatusSchema,
  TenantIdSchema,
  type Channel,
  type ConversationRef,
} from '../../domain/conversation';
import { cleanText } from '../../domain/text';
import { listConversations } from '../../temporal/conversation-list';
import { handoffSignal, resumeSignal, staffMessageSignal, stateQuery, type ConversationState } from '../../workflows/definitions';
import { bookingView, entryView, leadView, listingRef, listingView, wholeTranscript } from '../conversation-views';
import { pageTokens } from '../page-tokens';
import { mayActFor, tenantInScope, type AdminAuthenticator, type Bearer } from '../admin-auth';
import { HttpError, parseRequest } from '../errors';

export const ConversationsQuerySchema = z.object({
  tenant: TenantIdSchema.optional(),
  channel: ChannelSchema.optional(),
  status: ConversationStatusSchema.optional(),
  contact: ContactIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** `next_page_token` of the previous page, as it came. */
  page_token: z.string().regex(/^[A-Za-z0-9_.-]{1,4200}$/, 'must be a next_page_token as returned').optional(),
});
export const ConversationParamsSchema = z.object({ id: z.string().min(1).max(400) });
export const HandoffBodySchema = z.object({ reason: z.string().trim().min(1).max(500).transform(cleanText).optional() });
export const StaffMessageBodySchema = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(4096).transform(cleanText),
  /** Shown to the customer where the channel shows names (the web chat). */
  author: z.string().trim().min(1).max(100).transform(cleanText).optional(),
  /** The caller's id for this message: a retried request is delivered once. */
  message_id: z.string().min(1).max(200).optional(),
});

/** Older messages sent with a conversation: a long scroll back, not its whole life. */
const ARCHIVED_ENTRIES = 500;
/** How long a conversation's state may take to read: a worker has to answer the query. */
const QUERY_DEADLINE_MS = 10_000;

export interface AdminConversationsDeps {
  client: Client;
  pool: Pool;
  authenticate: AdminAuthenticator;
  /** Keys the list's page tokens (see pageTokens); unset, they are good for this process only. */
  sessionSecret?: string;
  /** CONTACT_KEY_SECRET: finds by phone the conversations of tenants with opaque contact keys. */
  contactKeySecret?: string;
}

/**
 * The staff side of conversations: list them (Temporal visibility), read one (its state, archived
 * transcript, the contact's bookings and lead), take it over, reply as staff and hand it back.
 * A tenant's token reaches only its own conversations; another tenant's are not found.
 */
export function registerAdminConversationsRoutes(app: FastifyInstance, deps: AdminConversationsDeps): void {
  const tokens = pageTokens(deps.sessionSecret);
  app.get('/admin/conversations', async (request) => {
    const bearer = await deps.authenticate(request);
    const query = parseRequest(ConversationsQuerySchema, request.query);
    const tenantId = tenantInScope(bearer, query.tenant);
    const contactIds = query.contact === undefined ? undefined : await contactAsListed(deps, tenantId, query.channel, query.contact);
    const filter = { tenantId, channel: query.channel, status: query.status, contactIds };
    const token = query.page_token === undefined ? undefined : tokens.read(query.page_token);
    if (query.page_token !== undefined && !token) throw new HttpError(400, 'invalid_page_token', 'page_token is not one this list gave');
    const listed = await listConversations(deps.client, filter, { size: query.limit, token });
    const names = await contactNames(deps.pool, listed.conversations.flatMap(listingRef));
    return {
      conversations: listed.conversations.map((listing) => listingView(listing, names)),
      next_page_token: listed.nextPageToken ? tokens.issue(listed.nextPageToken) : null,
    };
  });

  app.get('/admin/conversations/:id', async (request) => {
    const bearer = await deps.authenticate(request);
    const { id, ref: named } = conversationInScope(bearer, request.params);
    const tenant = await findTenant(deps.pool, named.tenantId);
    if (!tenant) throw notFound();
    const running = await isRunning(deps.client, id);
    const state = running === undefined ? undefined : await readState(deps.client, id, running);
    const archived = await loadArchivedTranscript(deps.pool, named.tenantId, id, ARCHIVED_ENTRIES);
    // The id names the contact by their key where the tenant has opaque keys: the real one is kept with the conversation.
    const contactId = state?.contactId ?? (await archivedContactId(deps.pool, named.tenantId, id));
    if (!state && archived.length === 0 && contactId === undefined) throw notFound();
    const ref = { ...named, contactId: contactId ?? named.contactId };
    const [bookings, lead] = await Promise.all([listUpcomingBookings(deps.pool, ref, new Date()), findLead(deps.pool, ref)]);
    return {
      id,
      tenant: ref.tenantId,
      channel: ref.channel,
      contact_id: ref.contactId,
      // A run ended without its close (terminated, failed) is over all the same.
      status: running ? (state?.status ?? 'active') : 'closed',
      display_name: state?.displayName ?? null,
      handoff: state?.handoff ? { reason: state.handoff.reason, since: state.handoff.since } : null,
      // The business's zone: staff read times as the clinic's clock shows them.
      time_zone: tenant.timeZone,
      transcript: wholeTranscript(archived, state).map(entryView),
      bookings: bookings.map(bookingView),
      lead: lead ? leadView(lead) : null,
      state: state ?? null,
    };
  });

  app.post('/admin/conversations/:id/handoff', async (request, reply) => {
    const bearer = await deps.authenticate(request);
    const { id } = conversationInScope(bearer, request.params);
    const body = parseRequest(HandoffBodySchema, request.body ?? {});
    const handle = await runningConversation(deps.client, id);
    await handle.signal(handoffSignal, { reason: body.reason ?? 'taken over by staff' });
    return reply.code(202).send({ conversation_id: id, accepted: 'handoff', message: 'Staff have the conversation: the assistant stays silent until it is handed back (/resume)' });
  });

  app.post('/admin/conversations/:id/messages', async (request, reply) => {
    const bearer = await deps.authenticate(request);
    const { id } = conversationInScope(bearer, request.params);
    const body = parseRequest(StaffMessageBodySchema, request.body ?? {});
    const handle = await runningConversation(deps.client, id);
    const messageId = body.message_id ?? randomUUID();
    await handle.signal(staffMessageSignal, { id: messageId, text: body.text, author: body.author });
    return reply.code(202).send({
      conversation_id: id,
      accepted: 'message',
      message_id: messageId,
      message: 'The reply is on its way to the customer; staff have the conversation until it is handed back (/resume)',
    });
  });

  app.post('/admin/conversations/:id/resume', async (request, reply) => {
    const bearer = await deps.authenticate(request);
    const { id } = conversationInScope(bearer, request.params);
    const handle = await runningConversation(deps.client, id);
    await handle.signal(resumeSignal);
    return reply.code(202).send({ conversation_id: id, accepted: 'resume', message: 'The assistant answers the customer again' });
  });
}

/**
 * The contact as conversations' search attributes may name them: as given (web sessions, tenants
 * without opaque keys, conversations from before the tenant turned keys on) and, for a tenant
 * with opaque keys, by their key on the channel asked for, or on each channel but the web.
 */
async function contactAsListed(deps: AdminConversationsDeps, tenantId: string | undefined, channel: Channel | undefined, contactId: string): Promise<string[]> {
  const tenant = tenantId === undefined ? undefined : await findTenant(deps.pool, tenantId);
  if (!tenant?.opaqueContactKeys || tenantId === undefined) return [contactId];
  const channels = channel ? [channel] : CHANNELS.filter((each) => each !== 'web');
  return [...new Set([contactId, ...channels.map((each) => temporalContactId({ tenantId, channel: each, contactId }, tenant, deps.contactKeySecret))])];
}

const notFound = () => new HttpError(404, 'conversation_not_found', 'No such conversation');

/**
 * The conversation an id names (`conversation:<tenant>:<channel>:<contact>`), if the bearer may
 * see it. Another tenant's is answered exactly like one that does not exist.
 */
function conversationInScope(bearer: Bearer, params: unknown): { id: string; ref: ConversationRef } {
  const { id } = parseRequest(ConversationParamsSchema, params);
  const [prefix, tenantId, channel, ...contact] = id.split(':');
  const ref = ConversationRefSchema.safeParse({ tenantId, channel, contactId: contact.join(':') });
  if (prefix !== 'conversation' || !ref.success) {
    throw new HttpError(400, 'invalid_conversation_id', 'A conversation id is conversation:<tenant>:<channel>:<contact>');
  }
  if (!mayActFor(bearer, ref.data.tenantId)) throw notFound();
  return { id, ref: ref.data };
}

/** Whether the conversation's latest run is running; undefined if Temporal knows no run of it. */
async function isRunning(client: Client, id: string): Promise<boolean | undefined> {
  try {
    return (await client.workflow.getHandle(id).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined; // never was, or Temporal's retention is over
    throw error;
  }
}

/**
 * The conversation's state, as its `state` query answers. A closed run answers only through a
 * worker replaying it; if none can, its transcript is in the archive all the same.
 */
async function readState(client: Client, id: string, running: boolean): Promise<ConversationState | undefined> {
  const query = client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(id).query(stateQuery));
  return running ? query : query.catch(() => undefined);
}

/** The conversation's latest run, if it is running: signals to a closed one would be lost. */
async function runningConversation(client: Client, id: string): Promise<WorkflowHandle> {
  const running = await isRunning(client, id);
  if (running === undefined) throw notFound();
  if (!running) throw new HttpError(409, 'conversation_closed', 'The conversation is closed; it opens again when the customer writes');
  return client.workflow.getHandle(id);
}
