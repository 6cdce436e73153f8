-- A burst of messages is answered once, after this quiet period (web chat never waits).
ALTER TABLE tenants ADD COLUMN burst_quiet_ms integer NOT NULL DEFAULT 3000 CHECK (burst_quiet_ms BETWEEN 0 AND 60000);

-- What Concierge remembers of a contact from one conversation to the next.
CREATE TABLE contacts (
  tenant_id           text NOT NULL REFERENCES tenants (id),
  channel             text NOT NULL,
  contact_id          text NOT NULL,
  display_name        text,
  summary             text NOT NULL DEFAULT '',
  -- Provider message ids of the last session, so that a late redelivery is not answered again.
  recent_message_ids  text[] NOT NULL DEFAULT '{}',
  last_seen_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel, contact_id)
);

-- One session: a conversation from its first message to its idle close, across continue-as-new
-- (session_id is the first run's id).
CREATE TABLE conversation_sessions (
  session_id         text PRIMARY KEY,
  workflow_id        text NOT NULL,
  tenant_id          text NOT NULL REFERENCES tenants (id),
  channel            text NOT NULL,
  contact_id         text NOT NULL,
  started_at         timestamptz NOT NULL,
  closed_at          timestamptz,
  summary            text NOT NULL DEFAULT '',
  prompt_tokens      bigint NOT NULL DEFAULT 0,
  completion_tokens  bigint NOT NULL DEFAULT 0
);
CREATE INDEX conversation_sessions_contact ON conversation_sessions (tenant_id, channel, contact_id, started_at);

-- The archived transcript, written as messages leave the workflow's memory and at close.
-- (session_id, seq) makes a retried archive write harmless.
CREATE TABLE conversation_messages (
  session_id  text NOT NULL,
  seq         integer NOT NULL,
  tenant_id   text NOT NULL REFERENCES tenants (id),
  role        text NOT NULL CHECK (role IN ('customer', 'assistant', 'staff')),
  text        text NOT NULL,
  at          timestamptz NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (session_id, seq)
);

-- Messages sent to customers through their channel; the key makes a retried send a no-op.
CREATE TABLE outbound_messages (
  idempotency_key      text PRIMARY KEY,
  tenant_id            text NOT NULL REFERENCES tenants (id),
  channel              text NOT NULL,
  contact_id           text NOT NULL,
  text                 text NOT NULL,
  status               text NOT NULL CHECK (status IN ('sending', 'sent')),
  -- When the current attempt claimed the send: a claim older than the lease was abandoned.
  claimed_at           timestamptz NOT NULL DEFAULT now(),
  provider_message_id  text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  sent_at              timestamptz
);

-- Conversations handed to a person: what the staff inbox shows.
CREATE TABLE staff_notifications (
  idempotency_key  text PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (id),
  workflow_id      text NOT NULL,
  reason           text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  acknowledged_at  timestamptz
);
