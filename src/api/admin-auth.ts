import type { FastifyRequest } from 'fastify';
import { cachedTenantTokenLookup } from '../db/tenant-tokens';
import type { Pool } from '../db/pool';
import { sameSecret } from '../secrets';
import { HttpError } from './errors';

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

/** Authenticates an admin request: who its bearer token speaks for, or a 401. */
export type AdminAuthenticator = (request: FastifyRequest) => Promise<Bearer>;

export function adminAuthenticator(resolveBearer: (token: string) => Promise<Bearer | undefined>): AdminAuthenticator {
  return async (request) => {
    const presented = presentedBearer(request);
    const bearer = presented ? await resolveBearer(presented) : undefined;
    if (!bearer) throw new HttpError(401, 'unauthorized', 'Send Authorization: Bearer <admin or tenant token>');
    return bearer;
  };
}

/**
 * The tenant an admin request is limited to: a tenant token's own, whatever it asks for; the
 * operator's choice (undefined: every tenant). Another tenant's id is answered as one that does
 * not exist, so a tenant token cannot even learn which tenants there are.
 */
export function tenantInScope(bearer: Bearer, requested: string | undefined): string | undefined {
  if (bearer.role === 'operator') return requested;
  if (requested !== undefined && requested !== bearer.tenantId) throw new HttpError(404, 'unknown_tenant', `No tenant "${requested}"`);
  return bearer.tenantId;
}

/** Like tenantInScope, for a route that acts on one tenant: the operator must name it. */
export function oneTenantInScope(bearer: Bearer, requested: string | undefined): string {
  const tenantId = tenantInScope(bearer, requested);
  if (!tenantId) throw new HttpError(400, 'tenant_required', 'Name the tenant: ?tenant=<id>');
  return tenantId;
}
