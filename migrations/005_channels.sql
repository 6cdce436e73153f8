-- A tenant's messaging channels: the provider's credentials and how the channel behaves.
-- One flat JSON document per channel (the adapter's credentials plus `quietPeriodMs` and
-- `reminderTemplate`), validated by the channel's adapter when read. Never returned by any API.
CREATE TABLE tenant_channels (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  channel     text NOT NULL,
  config      jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel)
);

-- "baja" / "STOP": no reminder or other message we start goes to this contact until "alta".
ALTER TABLE contacts ADD COLUMN opted_out_at timestamptz;

-- A failed delivery (WhatsApp outside its 24-hour window) is looked up by the provider's id.
CREATE INDEX outbound_messages_by_provider_id ON outbound_messages (channel, provider_message_id)
  WHERE provider_message_id IS NOT NULL;

-- The burst quiet period now defaults per channel (WhatsApp 5 s, Telegram 3 s…); a tenant-wide
-- value overrides those defaults only where a tenant set one (3000 was the old default).
ALTER TABLE tenants ALTER COLUMN burst_quiet_ms DROP NOT NULL, ALTER COLUMN burst_quiet_ms DROP DEFAULT;
UPDATE tenants SET burst_quiet_ms = NULL WHERE burst_quiet_ms = 3000;

-- A proactive message (a reminder) keeps its template parameters: refused outside the
-- customer's window, it is sent again as the template.
ALTER TABLE outbound_messages ADD COLUMN template_parameters jsonb;
