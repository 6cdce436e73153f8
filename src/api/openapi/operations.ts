import type { z } from 'zod';
import { BookingsQuerySchema } from '../routes/admin-bookings';
import { LeadParamsSchema, LeadsQuerySchema } from '../routes/admin-leads';
import { ChatRequestSchema } from '../routes/chat';
import { MessagesQuerySchema } from '../routes/chat-messages';
import { ParamsSchema as WebhookParamsSchema } from '../routes/webhooks';

/**
 * Who may call an operation:
 * - `public`: anyone;
 * - `admin`: a bearer token, the operator's (every tenant) or a tenant's (that tenant only);
 * - `operator`: the operator's bearer token only;
 * - `chat`: nobody on a session's first message, then its session token, or a business backend's bearer token;
 * - `webhook`: the channel provider's signature or shared secret.
 */
export type Access = 'public' | 'admin' | 'operator' | 'chat' | 'webhook';

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
  /** The successful answer's media type; JSON unless said. */
  produces?: 'application/json' | 'text/html' | 'text/plain' | 'text/javascript';
  /** Status → what it means. Errors are answered as the `Error` schema. */
  responses: Record<number, string>;
}

/** An admin route's answers when the token is missing or wrong, and for another tenant's ids. */
const ADMIN_ERRORS = {
  400: 'A query parameter is not valid (`issues` names each one)',
  401: 'No bearer token, or not a valid one',
  404: 'No such tenant, or one this token may not see',
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
    access: 'webhook',
    summary: 'A provider’s webhook verification handshake (WhatsApp Cloud API)',
    description: 'Answers the challenge when `hub.verify_token` equals the tenant’s verify token.',
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
  'GET /health': {
    tag: 'Operations',
    access: 'public',
    summary: 'Whether Temporal and PostgreSQL answer',
    responses: { 200: '`status: ok`', 503: '`status: degraded`, naming the one that does not answer' },
  },
  'GET /metrics': {
    tag: 'Operations',
    access: 'public',
    summary: 'Prometheus metrics',
    produces: 'text/plain',
    responses: { 200: 'Prometheus text format' },
  },
  'GET /openapi.json': {
    tag: 'Operations',
    access: 'public',
    summary: 'This document (browsable at `/docs`)',
    responses: { 200: 'The OpenAPI 3.1 document' },
  },
};
