import type { z } from 'zod';
import { BookingsQuerySchema } from '../routes/admin-bookings';
import { ContactParamsSchema, ContactQuerySchema } from '../routes/admin-contacts';
import { ConversationParamsSchema, ConversationsQuerySchema, HandoffBodySchema, StaffMessageBodySchema } from '../routes/admin-conversations';
import { LeadParamsSchema, LeadsQuerySchema } from '../routes/admin-leads';
import { TenantParamsSchema } from '../routes/admin-tenants';
import { ChatRequestSchema } from '../routes/chat';
import { MessagesQuerySchema } from '../routes/chat-messages';
import { ParamsSchema as WebhookParamsSchema } from '../routes/webhooks';
import { TenantConfigSchema } from '../../domain/tenant-config';

/**
 * Who may call an operation:
 * - `public`: anyone;
 * - `admin`: a bearer token, the operator's (every tenant) or a tenant's (that tenant only);
 * - `operator`: the operator's bearer token only;
 * - `chat`: nobody on a session's first message, then its session token, or a business backend's bearer token;
 * - `webhook`: the channel provider's signature or shared secret;
 * - `handshake`: the webhook's verify token (WhatsApp Cloud API).
 */
export type Access = 'public' | 'admin' | 'operator' | 'chat' | 'webhook' | 'handshake';

/** What the API reference says about one route. Request schemas are the ones its handler parses with. */
export interface Operation {
  summary: string;
  description?: string;
  tag: 'Chat' | 'Admin' | 'Channel webhooks' | 'Pages' | 'Operations';
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** A JSON body. */
  body?: z.ZodType;
  /** The body may be left out. */
  bodyOptional?: true;
  /** The successful answer's media type; JSON unless said. */
  produces?: 'application/json' | 'text/html' | 'text/plain' | 'text/javascript';
  /** Status → what it means. Errors are answered as the `Error` schema. */
  responses: Record<number, string>;
}

/** An admin route's answers when the token is missing or wrong, and for another tenant's ids. */
const ADMIN_ERRORS = {
  400: 'The request is not valid (`issues` names each field)',
  401: 'No bearer token, or not a valid one',
  404: 'No such tenant, or one this token may not see',
} as const;

/** A conversation action's answers: accepted, or nothing running to act on. */
const CONVERSATION_ACTION_ERRORS = {
  ...ADMIN_ERRORS,
  404: 'No such conversation, or one this token may not see',
  409: 'The conversation is not running (closed)',
} as const;

/**
 * Every public route, keyed `METHOD /fastify/path`. A route the server registers and this does not
 * list (nor test/openapi.test.ts as internal) fails that test.
 */
export const OPERATIONS: Record<string, Operation> = {
  'POST /api/chat': {
    tag: 'Chat',
    access: 'chat',
    summary: 'Send a customer message; the answer carries the assistant’s reply',
    description:
      'Synchronous: waits up to `CHAT_REPLY_TIMEOUT` for the reply. A first message without `session_id` starts a session: the answer carries its `session_id` and a signed `session_token`, which every later message sends back (body or `X-Session-Token`). A business backend may name its own `session_id` with its bearer token. `message_id` makes a retry count once.',
    body: ChatRequestSchema,
    responses: {
      200: '`status` `answered` with `reply`, `provider` and `model`; or `reply: null` with `status` `handoff` or `courtesy` when the assistant stays silent',
      202: '`status` `queued`: the conversation has too many messages waiting; the same request again (same `message_id`) gets the reply',
      400: 'The body is not valid (`issues` names each field)',
      401: 'The session token or bearer token is missing or not valid',
      403: 'The session token belongs to another session, or the bearer token to another tenant',
      404: '`unknown_tenant`',
      429: 'Too many messages from this session or address (`Retry-After`)',
      503: 'A service the API depends on is unavailable; retry (`Retry-After`)',
      504: '`reply_timeout`: the message was received and will be answered; poll `/api/chat/messages`',
    },
  },
  'GET /api/chat/messages': {
    tag: 'Chat',
    access: 'chat',
    summary: 'The conversation’s messages since a sequence number',
    description: 'Customer, assistant (replies and reminders) and staff messages, for a page to poll.',
    query: MessagesQuerySchema,
    responses: {
      200: '`messages` after `after`, with `conversation_id`, `session_id` and `conversation_session`',
      400: 'A query parameter is not valid',
      401: 'The session token or bearer token is missing or not valid',
      404: '`unknown_tenant`',
      429: 'Too many requests (`Retry-After`)',
    },
  },
  'GET /chat': {
    tag: 'Pages',
    access: 'public',
    summary: 'The web chat page (`?tenant=`, `?lang=`)',
    produces: 'text/html',
    responses: { 200: 'The page' },
  },
  'GET /chat/widget.js': {
    tag: 'Pages',
    access: 'public',
    summary: 'The script a business adds to its site: a chat button opening the chat page in a frame',
    description: '`<script src="…/chat/widget.js" data-tenant="demo" async></script>`; optional `data-lang="es|en"` and `data-label`.',
    produces: 'text/javascript',
    responses: { 200: 'The script' },
  },
  'GET /webhooks/:tenant/:channel': {
    tag: 'Channel webhooks',
    access: 'handshake',
    summary: 'A provider’s webhook verification handshake (WhatsApp Cloud API)',
    description: 'Answers `hub.challenge` when `hub.mode` is `subscribe` and `hub.verify_token` is the tenant’s verify token.',
    params: WebhookParamsSchema,
    produces: 'text/plain',
    responses: {
      200: 'The challenge',
      403: 'Wrong verify token',
      404: 'No such channel, or not enabled for this tenant',
      405: 'This channel has no handshake',
    },
  },
  'POST /webhooks/:tenant/:channel': {
    tag: 'Channel webhooks',
    access: 'webhook',
    summary: 'A messaging channel’s events: `whatsapp`, `evolution`, `telegram`, `gupshup`, `bitrix24`',
    description:
      'The provider’s own format, kept raw for its signature. Answered 200 once each customer message in it is durable (a redelivery changes nothing). Authenticity: WhatsApp Cloud API by `X-Hub-Signature-256` (HMAC-SHA256 of the body with the app secret); Telegram by `X-Telegram-Bot-Api-Secret-Token`; Gupshup by the `token` query parameter; Evolution API by the body’s `apikey`; Bitrix24 by the body’s `auth[application_token]`.',
    params: WebhookParamsSchema,
    produces: 'text/plain',
    responses: {
      200: 'Received (empty body)',
      400: '`malformed_webhook`: not the provider’s format',
      401: 'Signature or secret missing or wrong',
      403: 'Signature or secret wrong',
      404: 'No such channel, or not enabled for this tenant',
      413: 'Body over 1 MB',
      503: 'Temporal or PostgreSQL unreachable: the provider retries',
    },
  },
  'GET /admin/bookings': {
    tag: 'Admin',
    access: 'admin',
    summary: 'The newest bookings, of one tenant or all',
    description: 'Each with its customer and the id of its appointment workflow (reminders).',
    query: BookingsQuerySchema,
    responses: { 200: '`bookings`', ...ADMIN_ERRORS },
  },
  'GET /admin/leads': {
    tag: 'Admin',
    access: 'admin',
    summary: 'Leads, filtered by tenant and stage',
    query: LeadsQuerySchema,
    responses: { 200: '`leads`, each with its CRM status', ...ADMIN_ERRORS },
  },
  'POST /admin/leads/:id/push': {
    tag: 'Admin',
    access: 'admin',
    summary: 'Push a lead to the tenant’s CRM again (after fixing the CRM’s settings)',
    description: 'The operator names the tenant (`?tenant=`); a tenant token acts for its own.',
    params: LeadParamsSchema,
    responses: { 202: 'The lead, its CRM status `pending`', ...ADMIN_ERRORS, 404: 'No such lead or tenant, or one this token may not see' },
  },
  'GET /admin/conversations': {
    tag: 'Admin',
    access: 'admin',
    summary: 'Conversations, newest first, from Temporal visibility',
    description: 'Filters: tenant, channel, status (`active`, `handoff`, `closed`), contact. Paged: `next_page_token` of an answer, as it came, gets the next page.',
    query: ConversationsQuerySchema,
    responses: { 200: '`conversations` and `next_page_token` (null on the last page)', ...ADMIN_ERRORS },
  },
  'GET /admin/conversations/:id': {
    tag: 'Admin',
    access: 'admin',
    summary: 'One conversation: status, transcript (archived sessions included), the contact’s bookings and lead',
    description: '`id` is the workflow id, `conversation:<tenant>:<channel>:<contact>`. Times in the transcript are UTC; `time_zone` is the business’s.',
    params: ConversationParamsSchema,
    responses: { 200: 'The conversation', ...ADMIN_ERRORS, 404: 'No such conversation, or one this token may not see' },
  },
  'POST /admin/conversations/:id/handoff': {
    tag: 'Admin',
    access: 'admin',
    summary: 'Take the conversation over: the assistant stays silent until it is handed back',
    params: ConversationParamsSchema,
    body: HandoffBodySchema,
    bodyOptional: true,
    responses: { 202: 'Accepted', ...CONVERSATION_ACTION_ERRORS },
  },
  'POST /admin/conversations/:id/messages': {
    tag: 'Admin',
    access: 'admin',
    summary: 'Reply to the customer as staff (on the conversation’s channel)',
    description: 'Staff keep the conversation until it is handed back. `message_id` makes a retry deliver once.',
    params: ConversationParamsSchema,
    body: StaffMessageBodySchema,
    responses: { 202: 'Accepted: `message_id`', ...CONVERSATION_ACTION_ERRORS },
  },
  'POST /admin/conversations/:id/resume': {
    tag: 'Admin',
    access: 'admin',
    summary: 'Hand the conversation back to the assistant',
    params: ConversationParamsSchema,
    responses: { 202: 'Accepted', ...CONVERSATION_ACTION_ERRORS },
  },
  'DELETE /admin/contacts/:channel/:contact': {
    tag: 'Admin',
    access: 'admin',
    summary: 'Erase a contact: their lead, bookings’ personal fields, transcripts and workflows',
    description: 'The operator names the tenant (`?tenant=`); a tenant token acts for its own. Answers what was erased.',
    params: ContactParamsSchema,
    query: ContactQuerySchema,
    responses: { 200: 'Counts of what was erased', ...ADMIN_ERRORS, 404: 'Nothing is kept of that contact, or it is another tenant’s' },
  },
  'POST /admin/tenants': {
    tag: 'Admin',
    access: 'operator',
    summary: 'Create a tenant from one configuration document',
    description: 'Zone, language, hours, services, staff, channels and their secrets, CRM, reminders, quiet hours, FAQ. The answer carries the tenant’s own token, the only time it is shown.',
    body: TenantConfigSchema,
    responses: { 201: '`tenant` (secrets masked) and `token`', ...ADMIN_ERRORS, 403: 'Not the operator’s token', 409: 'A tenant with that id exists' },
  },
  'GET /admin/tenants/:id': {
    tag: 'Admin',
    access: 'admin',
    summary: 'A tenant’s configuration document, secrets masked (`***`)',
    params: TenantParamsSchema,
    responses: { 200: 'The document', ...ADMIN_ERRORS },
  },
  'PUT /admin/tenants/:id': {
    tag: 'Admin',
    access: 'operator',
    summary: 'Replace a tenant’s configuration document',
    description: 'A secret left out or sent as `***` keeps the stored one. Every process sees the change within 10 s.',
    params: TenantParamsSchema,
    body: TenantConfigSchema,
    responses: { 200: 'The document, secrets masked', ...ADMIN_ERRORS, 403: 'Not the operator’s token' },
  },
  'POST /mcp': {
    tag: 'Admin',
    access: 'admin',
    summary: 'MCP server (streamable HTTP, stateless): the booking and lead tools of the token’s tenant',
    description:
      'A JSON-RPC message of the Model Context Protocol per request, answered as JSON. A tenant’s token only: ADMIN_TOKEN is refused. ' +
      'Tools: search_services, check_availability, suggest_slots, create_booking, reschedule_booking, cancel_booking, list_bookings, ' +
      'lookup_lead, update_lead; resources: concierge://catalogue, concierge://business-hours.',
    responses: { 200: 'The JSON-RPC answer', 202: 'A notification, accepted', 401: ADMIN_ERRORS[401], 403: 'ADMIN_TOKEN: not a tenant’s', 429: 'Too many requests for this tenant' },
  },
  'GET /inbox': {
    tag: 'Pages',
    access: 'public',
    summary: 'The staff inbox: sign in with a tenant token',
    produces: 'text/html',
    responses: { 200: 'The page' },
  },
  'GET /health': {
    tag: 'Operations',
    access: 'public',
    summary: 'Whether Temporal and PostgreSQL answer',
    responses: { 200: '`status: ok`', 503: '`status: degraded`, naming the one that does not answer' },
  },
  'GET /metrics': {
    tag: 'Operations',
    access: 'operator',
    summary: 'Prometheus metrics of every tenant',
    description: 'Not here when `METRICS_PORT` is set: then the scraper reads them on that port.',
    produces: 'text/plain',
    responses: { 200: 'Prometheus text format', 401: 'Not the operator’s token' },
  },
  'GET /openapi.json': {
    tag: 'Operations',
    access: 'public',
    summary: 'This document (browsable at `/docs`)',
    responses: { 200: 'The OpenAPI 3.1 document' },
  },
};
