import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayActFor, presentedBearer, type Bearer } from './admin-auth';
import { HttpError } from './errors';
import { newSessionId, signSession, verifySession } from './web-session';

/**
 * Who may talk in a web chat session, and how often. A session is the caller's when it presents
 * the session's signed token, or when it is the tenant's own backend (a bearer token of that
 * tenant, or ADMIN_TOKEN) naming the session; a caller with neither may only start a new one.
 */

export interface ChatRateLimits {
  /** Messages per minute to one session. */
  messagesPerSession: number;
  /** Sessions one IP address may start per minute. */
  newSessionsPerAddress: number;
  /** `GET /api/chat/messages` per minute for one session (the page polls every few seconds). */
  pollsPerSession: number;
}

/** Generous: far above a person typing or a page polling, far below a flood. */
export const DEFAULT_CHAT_RATE_LIMITS: ChatRateLimits = { messagesPerSession: 300, newSessionsPerAddress: 120, pollsPerSession: 600 };

export interface ChatGuardDeps {
  sessionSecret: string;
  resolveBearer: (token: string) => Promise<Bearer | undefined>;
  rateLimits: ChatRateLimits;
}

export interface SessionClaim {
  tenantId: string;
  /** Named by the caller: needs a bearer token, or must be the session token's own. */
  sessionId?: string;
  /** From the body; the `X-Session-Token` header is read as well. */
  sessionToken?: string;
  /** `message`: a missing session starts one; `poll`: it is an error. */
  purpose: 'message' | 'poll';
}

export interface AdmittedSession {
  sessionId: string;
  /** The session's signed token, for the caller to send next time. */
  sessionToken: string;
}

export type ChatGuard = (request: FastifyRequest, reply: FastifyReply, claim: SessionClaim) => Promise<AdmittedSession>;

const MINUTE_MS = 60_000;

/** Needs @fastify/rate-limit registered on `app` (its counters live in this process). */
export function chatGuard(app: FastifyInstance, deps: ChatGuardDeps): ChatGuard {
  const keys = new WeakMap<FastifyRequest, string>();
  const limiter = (max: number) =>
    app.createRateLimit({ max, timeWindow: MINUTE_MS, keyGenerator: (request) => keys.get(request) ?? request.ip });
  const limits = {
    message: limiter(deps.rateLimits.messagesPerSession),
    newSession: limiter(deps.rateLimits.newSessionsPerAddress),
    poll: limiter(deps.rateLimits.pollsPerSession),
  };

  const authenticate = async (request: FastifyRequest, claim: SessionClaim): Promise<{ sessionId: string; isNew: boolean }> => {
    const token = sessionTokenOf(request, claim.sessionToken);
    if (token !== undefined) {
      const sessionId = verifySession(deps.sessionSecret, claim.tenantId, token);
      if (!sessionId) {
        throw new HttpError(401, 'invalid_session_token', 'The session token is not valid for this tenant: start a new session by sending the message without session_id and session_token.');
      }
      if (claim.sessionId !== undefined && claim.sessionId !== sessionId) {
        throw new HttpError(403, 'session_mismatch', 'The session token belongs to another session_id.');
      }
      return { sessionId, isNew: false };
    }
    if (claim.sessionId !== undefined) {
      await requireBackendOf(request, claim.tenantId, deps.resolveBearer);
      return { sessionId: claim.sessionId, isNew: false };
    }
    if (claim.purpose === 'poll') {
      throw new HttpError(401, 'session_token_required', 'Send the session token in X-Session-Token (or, from a business backend, session_id with Authorization: Bearer).');
    }
    return { sessionId: newSessionId(), isNew: true };
  };

  return async (request, reply, claim) => {
    const { sessionId, isNew } = await authenticate(request, claim);
    // Counted once the caller is known: a new session against its address, any other request
    // against its session (a business backend serves many sessions from one address).
    keys.set(request, isNew ? `new:${request.ip}` : `${claim.purpose}:${claim.tenantId}:${sessionId}`);
    const verdict = await (isNew ? limits.newSession : limits[claim.purpose])(request);
    if (!verdict.isAllowed && verdict.isExceeded) {
      reply.header('retry-after', String(verdict.ttlInSeconds));
      throw new HttpError(429, 'rate_limited', `Too many requests: retry in ${verdict.ttlInSeconds} s.`, { retry_after_seconds: verdict.ttlInSeconds });
    }
    return { sessionId, sessionToken: signSession(deps.sessionSecret, claim.tenantId, sessionId) };
  };
}

function sessionTokenOf(request: FastifyRequest, fromBody: string | undefined): string | undefined {
  const header = request.headers['x-session-token'];
  const fromHeader = typeof header === 'string' ? header : undefined;
  if (fromBody !== undefined && fromHeader !== undefined && fromBody !== fromHeader) {
    throw new HttpError(400, 'invalid_request', 'Two different session tokens (body and X-Session-Token): send one.');
  }
  return fromBody ?? fromHeader;
}

/** A caller-chosen session is a business backend's: its tenant's token, or the operator's. */
async function requireBackendOf(request: FastifyRequest, tenantId: string, resolveBearer: ChatGuardDeps['resolveBearer']): Promise<void> {
  const presented = presentedBearer(request);
  if (presented === undefined) {
    throw new HttpError(
      401,
      'session_id_needs_authorization',
      'A caller-chosen session_id needs Authorization: Bearer <tenant token or ADMIN_TOKEN> (a business backend). ' +
        'A web page omits session_id on its first message and then sends the session_token it gets back.',
    );
  }
  const bearer = await resolveBearer(presented);
  if (!bearer) throw new HttpError(401, 'unauthorized', 'The bearer token is not valid.');
  if (!mayActFor(bearer, tenantId)) throw new HttpError(403, 'forbidden', `This token may not act for tenant "${tenantId}".`);
}
