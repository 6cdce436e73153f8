-- Customer messages a webhook acknowledged before Temporal took them: a webhook is answered as
-- soon as its message is here, and the API hands it to its conversation right after (another API
-- process takes over the row once its lease runs out). Rows are deleted once delivered.
CREATE TABLE inbound_inbox (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel text NOT NULL,
  contact_id text NOT NULL,
  message_id text NOT NULL,
  -- What the conversation is started or signalled with: the contact, the message, the quiet period.
  delivery jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  -- Until then the process that wrote or claimed the row is delivering it.
  leased_until timestamptz NOT NULL,
  UNIQUE (tenant_id, channel, contact_id, message_id)
);
CREATE INDEX inbound_inbox_leased_until ON inbound_inbox (leased_until);
