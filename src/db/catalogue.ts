import { ServiceSchema, type Service } from '../domain/catalogue';
import type { Pool } from './pool';

/** How many services one search returns: enough to choose from, short enough for a chat. */
const MAX_MATCHES = 5;
/** A whole-catalogue listing stops here; a longer catalogue needs a query. */
const MAX_LISTED = 20;
/** Trigram word similarity above which a misspelt name still counts as a match. */
const MIN_NAME_SIMILARITY = 0.45;

const SERVICE_COLUMNS = `id, name, description, duration_minutes AS "durationMinutes", price::float8 AS price, currency, translations`;

/**
 * The tenant's active services that match what a customer wrote, best first. A match is either
 * a full-text hit (Spanish or English stems, any word: customers write whole sentences) or a
 * name close enough by trigrams to survive typos and missing accents.
 */
export async function searchServices(pool: Pool, tenantId: string, query?: string): Promise<Service[]> {
  if (query === undefined) {
    const { rows } = await pool.query(
      `SELECT ${SERVICE_COLUMNS} FROM services WHERE tenant_id = $1 AND active ORDER BY name LIMIT ${MAX_LISTED}`,
      [tenantId],
    );
    return rows.map((row) => ServiceSchema.parse(row));
  }
  const { rows } = await pool.query(
    `WITH words AS (
       -- A word counts if neither language calls it a stopword: "de" would match every
       -- Spanish description through the English parser otherwise.
       SELECT word FROM regexp_split_to_table(concierge_fold($2), '[^[:alnum:]]+') AS word
       WHERE numnode(plainto_tsquery('spanish', word)) > 0 AND numnode(plainto_tsquery('english', word)) > 0
     ), query AS (
       -- Any word may match (customers write whole sentences), stemmed both ways.
       SELECT to_tsquery('simple', coalesce(string_agg(
                plainto_tsquery('spanish', word)::text || ' | ' || plainto_tsquery('english', word)::text, ' | '), '')) AS words,
              concierge_fold($2) AS text
       FROM words
     )
     SELECT ${SERVICE_COLUMNS}
     FROM services, query, LATERAL (SELECT word_similarity(folded_name, query.text) AS similarity) s
     WHERE tenant_id = $1 AND active AND (search_document @@ query.words OR s.similarity >= $3)
     ORDER BY s.similarity DESC, ts_rank(search_document, query.words) DESC, name
     LIMIT ${MAX_MATCHES}`,
    [tenantId, query, MIN_NAME_SIMILARITY],
  );
  return rows.map((row) => ServiceSchema.parse(row));
}

/** An active service by its exact id. */
export async function findActiveService(pool: Pool, tenantId: string, id: string): Promise<Service | undefined> {
  const { rows } = await pool.query(`SELECT ${SERVICE_COLUMNS} FROM services WHERE tenant_id = $1 AND id = $2 AND active`, [tenantId, id]);
  return rows[0] ? ServiceSchema.parse(rows[0]) : undefined;
}

/**
 * Adds services a tenant does not have yet; existing ones (same id) are left as they are, but
 * for translations they were created without.
 */
export async function insertServicesIfAbsent(pool: Pool, tenantId: string, services: readonly Service[]): Promise<void> {
  for (const service of services) {
    await pool.query(
      `INSERT INTO services (tenant_id, id, name, description, duration_minutes, price, currency, translations)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, id) DO UPDATE SET translations = EXCLUDED.translations WHERE services.translations = '{}'`,
      [tenantId, service.id, service.name, service.description, service.durationMinutes, service.price, service.currency, service.translations ?? {}],
    );
  }
}
