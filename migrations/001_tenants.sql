-- Tenants: one business each. Everything else the product stores hangs off a tenant id.
CREATE TABLE tenants (
  id                    text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name                  text NOT NULL,
  time_zone             text NOT NULL DEFAULT 'UTC',
  language              text NOT NULL DEFAULT 'es' CHECK (language IN ('es', 'en')),
  persona               text NOT NULL DEFAULT '',
  business_description  text NOT NULL DEFAULT '',
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
