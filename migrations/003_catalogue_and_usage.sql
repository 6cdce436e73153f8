-- The catalogue the assistant searches: customers misspell ("depilasion laser") and write in
-- Spanish or English, so search combines both stemmers with trigram similarity, accents folded.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes this
-- wrapper safe to mark IMMUTABLE, which generated columns and indexes require.
CREATE FUNCTION concierge_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1));

CREATE TABLE services (
  tenant_id         text NOT NULL REFERENCES tenants (id),
  id                text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name              text NOT NULL,
  description       text NOT NULL DEFAULT '',
  duration_minutes  integer NOT NULL CHECK (duration_minutes > 0),
  price             numeric(12, 2) NOT NULL CHECK (price >= 0),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  active            boolean NOT NULL DEFAULT true,
  folded_name       text GENERATED ALWAYS AS (concierge_fold(name)) STORED,
  search_document   tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('spanish', concierge_fold(name)), 'A') ||
    setweight(to_tsvector('english', concierge_fold(name)), 'A') ||
    setweight(to_tsvector('spanish', concierge_fold(description)), 'B') ||
    setweight(to_tsvector('english', concierge_fold(description)), 'B')
  ) STORED,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX services_search ON services USING gin (search_document);
CREATE INDEX services_name_trigrams ON services USING gin (folded_name gin_trgm_ops);

-- Running totals behind /metrics. Workers add to them and any API process reads them, so the
-- numbers are the deployment's, not one process's.
CREATE TABLE usage_counters (
  metric      text NOT NULL,
  tenant_id   text NOT NULL,
  -- Further labels in a fixed order, e.g. 'provider="openai",model="gpt-4o-mini"'.
  labels      text NOT NULL DEFAULT '',
  value       double precision NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (metric, tenant_id, labels)
);
