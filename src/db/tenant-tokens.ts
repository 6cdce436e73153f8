import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Pool } from './pool';

/**
 * A tenant's bearer tokens (migrations/006_tenant_tokens.sql): the database keeps their SHA-256
 * only, so a token is looked up by its hash and can be shown only when it is made.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Makes a token for the tenant and returns it: the one time it is seen in full. */
export async function createTenantToken(db: Pick<Pool, 'query'>, tenantId: string, label = ''): Promise<string> {
  // 256 random bits; the prefix lets secret scanners and people recognise one.
  const token = `ctt_${randomBytes(32).toString('base64url')}`;
  await db.query('INSERT INTO tenant_tokens (token_sha256, tenant_id, label) VALUES ($1, $2, $3)', [tokenHash(token), tenantId, label]);
  return token;
}

/** The tenant a token belongs to; undefined for a token that is not one. */
export function tenantOfToken(pool: Pool, token: string): Promise<string | undefined> {
  return tenantOfHash(pool, tokenHash(token));
}

async function tenantOfHash(pool: Pool, hash: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ tenant_id: string }>('SELECT tenant_id FROM tenant_tokens WHERE token_sha256 = $1', [hash]);
  return rows[0]?.tenant_id;
}

/** How long a lookup is reused: a revoked token stops working within this. */
export const TENANT_TOKEN_CACHE_TTL_MS = 10_000;

/**
 * `tenantOfToken` as answered within the last TENANT_TOKEN_CACHE_TTL_MS: a business backend
 * sends its token with every message, and tokens change rarely. Tokens that are none are
 * remembered too, so a flood of made-up ones does not reach the database. Keyed by hash, so
 * the process keeps no token it did not have to.
 */
export function cachedTenantTokenLookup(pool: Pool): (token: string) => Promise<string | undefined> {
  const cache = new LRUCache<string, { tenantId?: string }>({
    max: 10_000,
    ttl: TENANT_TOKEN_CACHE_TTL_MS,
    fetchMethod: async (hash) => ({ tenantId: await tenantOfHash(pool, hash) }),
  });
  return async (token) => (await cache.fetch(tokenHash(token)))?.tenantId;
}
