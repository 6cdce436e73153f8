import cors, { type FastifyCorsOptions } from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { Server } from 'node:http';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import { HttpError } from './errors';
import { pageSecurityHeaders } from './page-security';
import type { RateLimits } from './rate-limits';
import { registerSignInLockout } from './sign-in-lockout';

/**
 * What the API does for being on the open internet, whatever the route: how long a request may
 * take to arrive, security headers, CORS for the chat API only, JSON bodies without prototype
 * keys, and a lock-out for addresses that keep presenting wrong credentials.
 */

/**
 * A request, headers and body, must have arrived within 30 s, or its connection is closed (a
 * body trickled a byte at a time held a connection forever). Bodies are small: a chat message is
 * a few KB (a second even on 2G), and the largest body taken (256 KB) needs about 25 s at 10 KB/s,
 * a poor mobile link; webhooks come from providers' data centres. Only the arrival is bounded:
 * the wait for the assistant's reply (CHAT_REPLY_TIMEOUT) comes after it. Node checks these
 * timeouts every few seconds, by default only every 30.
 */
export const SERVER_OPTIONS = {
  requestTimeout: 30_000,
  http: { headersTimeout: 20_000, connectionsCheckingInterval: 2_000 },
} satisfies FastifyHttpOptions<Server>;

/**
 * Pages say where their resources may come from (/chat tightens this further in its own scope):
 * this origin only, inline styles allowed (Swagger UI sets them), never framed elsewhere. JSON
 * answers carry the same headers; they cost nothing and make a sniffed answer inert.
 */
const PAGE_HEADERS = {
  ...pageSecurityHeaders({ framedBy: 'nobody', inlineStyles: true }),
  // Not for subdomains: the API may live on a business's domain, beside sites of its own.
  strictTransportSecurity: { maxAge: 180 * 24 * 3_600, includeSubDomains: false },
};

/**
 * Other sites may call the chat API from their pages (a widget of their own): any origin, no
 * credentials (a page proves its session with X-Session-Token; a bearer token belongs in a
 * business's backend, never in a browser, so Authorization is not allowed). Nothing else is
 * open to other origins.
 */
const CHAT_CORS: FastifyCorsOptions = {
  origin: '*',
  methods: ['GET', 'POST'],
  allowedHeaders: ['content-type', 'x-session-token'],
  maxAge: 600,
};
const CHAT_API = /^\/api\/chat(\/|\?|$)/;

export function registerHardening(app: FastifyInstance, limits: RateLimits): void {
  app.register(helmet, PAGE_HEADERS);
  app.register(cors, { delegator: (request, done) => done(null, CHAT_API.test(request.url) ? CHAT_CORS : { origin: false }) });
  registerSignInLockout(app, limits);
  closeConnectionsOnShutdown(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/**
 * On close Fastify lets requests in flight finish, but a keep-alive connection that was busy then
 * stays open after its answer until the client leaves (72 s), holding up the process's stop:
 * answers given while closing ask the client to close the connection.
 */
function closeConnectionsOnShutdown(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
}

/**
 * JSON as Fastify parses it (empty or malformed: 400), but a key that could pollute prototypes
 * is named as the reason: `__proto__`, or `constructor` holding a `prototype`.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new HttpError(400, 'empty_body', 'The body is empty: send a JSON document (or no Content-Type: application/json).');
  let forbidden: string | undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, function (key, value: unknown) {
      if (key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype'))) forbidden ??= key;
      return value;
    });
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (forbidden !== undefined) {
    throw new HttpError(400, 'forbidden_key', `The body has a "${forbidden}" key: keys __proto__ and constructor.prototype are not accepted (they could alter objects' prototypes).`);
  }
  return parsed;
}
