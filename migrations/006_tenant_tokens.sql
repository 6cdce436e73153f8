-- Bearer tokens of one tenant: a business's own backend (naming its web chat sessions) and, later,
-- its admin. Only the SHA-256 of a token is kept: the token itself is shown once, when made, and
-- a copy of this table lets no one in. Tokens are 256 random bits, so an unsalted hash is enough
-- (there is nothing to guess from it). Deleting the row revokes the token.
CREATE TABLE tenant_tokens (
  token_sha256  text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- What the token is for ("crm backend", "admin"), for the people who manage them.
  label         text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tenant_tokens_by_tenant ON tenant_tokens (tenant_id);
