import type { FastifyRequest } from 'fastify';
import { cachedTenantTokenLookup } from '../db/tenant-tokens';
import type { Pool } from '../db/pool';
import { sameSecret } from '../secrets';
import { HttpError } from './errors';

/**
 * Admin routes take `Authorization: Bearer <ADMIN_TOKEN>`. Without a configured token they are
 * off (503), rather than open. Compared in constant time: the token is the operator's key.
 */
export function requireAdmin(adminToken: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!adminToken) throw new HttpError(503, 'admin_disabled', 'The admin API is off: set ADMIN_TOKEN');
    if (!sameSecret(presentedBearer(request) ?? '', adminToken)) {
      throw new HttpError(401, 'unauthorized', 'Send Authorization: Bearer <admin token>');
    }
  };
}

/** Who a bearer token speaks for: the operator (ADMIN_TOKEN, every tenant) or one tenant. */
export type Bearer = { role: 'operator' } | { role: 'tenant'; tenantId: string };

/** The token of `Authorization: Bearer <token>`, if the request has one. */
export function presentedBearer(request: FastifyRequest): string | undefined {
  return /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
}

/** Tenant tokens are 36+ characters; anything far off is not looked up at all. */
const PLAUSIBLE_TOKEN = /^[\w.~+/=-]{16,256}$/;

/**
 * Resolves a presented token: ADMIN_TOKEN by a constant-time comparison, a tenant's token by its
 * hash (tenant_tokens). Undefined for a token that is neither.
 */
export function bearerResolver(deps: { adminToken?: string; pool: Pool }): (token: string) => Promise<Bearer | undefined> {
  const tenantOfToken = cachedTenantTokenLookup(deps.pool);
  return async (token) => {
    if (deps.adminToken && sameSecret(token, deps.adminToken)) return { role: 'operator' };
    if (!PLAUSIBLE_TOKEN.test(token)) return undefined;
    const tenantId = await tenantOfToken(token);
    return tenantId ? { role: 'tenant', tenantId } : undefined;
  };
}

export function mayActFor(bearer: Bearer, tenantId: string): boolean {
  return bearer.role === 'operator' || bearer.tenantId === tenantId;
}
