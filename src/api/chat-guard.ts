import type { FastifyReply, FastifyRequest } from 'fastify';
import { mayActFor, presentedBearer, type Bearer } from './admin-auth';
import { HttpError } from './errors';
import { addressOf, limiter, messageCounter, type Count, type RateLimits } from './rate-limits';
import { newSessionId, signSession, verifySession } from './web-session';

/**
 * Who may talk in a web chat session, and how often. A session is the caller's when it presents
 * the session's signed token, or when it is the tenant's own backend (a bearer token of that
 * tenant, or ADMIN_TOKEN) naming the session; a caller with neither may only start a new one.
 */

export interface ChatGuardDeps {
  sessionSecret: string;
  resolveBearer: (token: string) => Promise<Bearer | undefined>;
  rateLimits: RateLimits;
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

/** Who is asking: a session's holder (its token), a new session's, or a business backend. */
interface Caller {
  sessionId: string;
  isNew: boolean;
  /** A business backend's (or the operator's) bearer token; undefined for a page. */
  backend?: Bearer;
}

/** Its counts live in this process: each API process counts on its own. */
export function chatGuard(deps: ChatGuardDeps): ChatGuard {
  const limit = limiter(deps.rateLimits);
  const messages = messageCounter();

  const authenticate = async (request: FastifyRequest, claim: SessionClaim): Promise<Caller> => {
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
      const backend = await requireBackendOf(request, claim.tenantId, deps.resolveBearer);
      return { sessionId: claim.sessionId, isNew: false, backend };
    }
    if (claim.purpose === 'poll') {
      throw new HttpError(401, 'session_token_required', 'Send the session token in X-Session-Token (or, from a business backend, session_id with Authorization: Bearer).');
    }
    return { sessionId: newSessionId(), isNew: true };
  };

  return async (request, reply, claim) => {
    const caller = await authenticate(request, claim);
    // Counted once the caller is known: a page against its address (a business backend serves
    // many people from one address, and is counted against its tenant), a new session against
    // its address too, and every message against its session and tenant.
    const counts: Count[] = [];
    if (!caller.backend) counts.push({ limit: 'chatRequestsPerAddress', key: addressOf(request) });
    if (caller.isNew) counts.push({ limit: 'newSessionsPerAddress', key: addressOf(request) });
    const contact = `web:${caller.sessionId}`;
    if (claim.purpose === 'poll') counts.push({ limit: 'pollsPerSession', key: `${claim.tenantId}:${contact}` });
    else counts.push(...messages.counts(claim.tenantId, [contact], { operator: caller.backend?.role === 'operator' }));
    limit(reply, counts);
    if (claim.purpose === 'message') messages.accepted(claim.tenantId, [contact]);
    return { sessionId: caller.sessionId, sessionToken: signSession(deps.sessionSecret, claim.tenantId, caller.sessionId) };
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
async function requireBackendOf(request: FastifyRequest, tenantId: string, resolveBearer: ChatGuardDeps['resolveBearer']): Promise<Bearer> {
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
  return bearer;
}
