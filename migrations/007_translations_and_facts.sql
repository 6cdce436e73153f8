-- A service in the languages customers write in besides the tenant's own:
-- {"en": {"name": "Laser hair removal", "description": "…"}}. Searched like the name itself.
ALTER TABLE services ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
DROP INDEX services_search;
DROP INDEX services_name_trigrams;
ALTER TABLE services DROP COLUMN search_document, DROP COLUMN folded_name;
ALTER TABLE services
  ADD COLUMN folded_name text GENERATED ALWAYS AS (
    concierge_fold(name || coalesce(' ' || (translations -> 'en' ->> 'name'), ''))
  ) STORED,
  ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('spanish', concierge_fold(name)), 'A') ||
    setweight(to_tsvector('english', concierge_fold(name || coalesce(' ' || (translations -> 'en' ->> 'name'), ''))), 'A') ||
    setweight(to_tsvector('spanish', concierge_fold(description)), 'B') ||
    setweight(to_tsvector('english', concierge_fold(description || coalesce(' ' || (translations -> 'en' ->> 'description'), ''))), 'B')
  ) STORED;
CREATE INDEX services_search ON services USING gin (search_document);
CREATE INDEX services_name_trigrams ON services USING gin (folded_name gin_trgm_ops);

-- What a receptionist would know, per language ({"es": {...}, "en": {...}}): the address,
-- payment methods, policies and answers to frequent questions. The assistant answers from it.
ALTER TABLE tenants ADD COLUMN facts jsonb NOT NULL DEFAULT '{}';
