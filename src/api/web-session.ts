import { randomBytes } from 'node:crypto';
import { ContactIdSchema } from '../domain/conversation';
import { hmacSha256Hex, sameSecret } from '../secrets';

/**
 * Anonymous web chat sessions, signed by the server: a page that starts a conversation gets a
 * random session id and a token `<session_id>.<base64url HMAC-SHA256(secret, tenant:session_id)>`,
 * and proves with the token that the session is its own. The tenant is part of what is signed,
 * so a token opens one session of one tenant; nothing is stored.
 */

/** Fixed, so that every API process given the same ADMIN_TOKEN derives the same secret. */
const DERIVATION_LABEL = 'concierge web chat session secret v1';

export type SessionSecretSource = 'SESSION_SECRET' | 'ADMIN_TOKEN' | 'random';

/**
 * SESSION_SECRET; else derived from ADMIN_TOKEN (an HMAC with a fixed label: the token itself is
 * never the key, and the secret reveals nothing of it); else random for this process, so its
 * sessions end with it (fine on one machine for trying it out, not for several API processes).
 */
export function sessionSecretFor(settings: { sessionSecret?: string; adminToken?: string }): { secret: string; source: SessionSecretSource } {
  if (settings.sessionSecret) return { secret: settings.sessionSecret, source: 'SESSION_SECRET' };
  if (settings.adminToken) return { secret: hmacSha256Hex(settings.adminToken, DERIVATION_LABEL), source: 'ADMIN_TOKEN' };
  return { secret: randomBytes(32).toString('base64url'), source: 'random' };
}

/** 128 random bits, base64url: a valid contact id (22 characters of [A-Za-z0-9_-]). */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

export function signSession(secret: string, tenantId: string, sessionId: string): string {
  return `${sessionId}.${signature(secret, tenantId, sessionId)}`;
}

/** The session a token was signed for, with this tenant; undefined for a forged or foreign one. */
export function verifySession(secret: string, tenantId: string, token: string): string | undefined {
  // The signature (base64url) has no dot; a session id named by a backend may.
  const dot = token.lastIndexOf('.');
  const sessionId = token.slice(0, Math.max(dot, 0));
  if (!ContactIdSchema.safeParse(sessionId).success) return undefined;
  return sameSecret(token.slice(dot + 1), signature(secret, tenantId, sessionId)) ? sessionId : undefined;
}

function signature(secret: string, tenantId: string, sessionId: string): string {
  return Buffer.from(hmacSha256Hex(secret, `${tenantId}:${sessionId}`), 'hex').toString('base64url');
}
