-- Leads: one per contact of a tenant, pushed to the tenant's CRM. A deleted lead is kept (soft
-- delete) so its audit trail and CRM id survive; a new one may then be made for the contact.
CREATE TABLE leads (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        text NOT NULL REFERENCES tenants (id),
  channel          text NOT NULL,
  contact_id       text NOT NULL,
  name             text,
  email            text,
  phone            text,
  company          text,
  interests        text[] NOT NULL DEFAULT '{}',
  needs            text,
  budget           numeric(14, 2),
  score            integer NOT NULL DEFAULT 0,
  stage            text NOT NULL DEFAULT 'new' CHECK (stage IN ('new', 'qualified', 'appointment_booked', 'won', 'lost')),
  conversation_id  text,
  -- The CRM's id, stored as soon as it is known: a retried push then updates instead of creating.
  crm_external_id  text,
  crm_status       text NOT NULL DEFAULT 'pending' CHECK (crm_status IN ('pending', 'synced', 'failed')),
  crm_error        text,
  crm_synced_at    timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at       timestamptz
);
CREATE UNIQUE INDEX leads_one_per_contact ON leads (tenant_id, channel, contact_id) WHERE deleted_at IS NULL;
-- A returning customer on another channel is recognised by e-mail or phone.
CREATE INDEX leads_by_email ON leads (tenant_id, lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL;
CREATE INDEX leads_by_phone ON leads (tenant_id, phone) WHERE deleted_at IS NULL AND phone IS NOT NULL;
CREATE INDEX leads_by_stage ON leads (tenant_id, stage, updated_at DESC) WHERE deleted_at IS NULL;

-- Every change of a lead, by whom: the assistant (what the customer said), a booking, staff, the CRM push.
CREATE TABLE lead_events (
  id       bigserial PRIMARY KEY,
  lead_id  uuid NOT NULL REFERENCES leads (id),
  at       timestamptz NOT NULL DEFAULT now(),
  actor    text NOT NULL,
  kind     text NOT NULL,
  change   jsonb NOT NULL
);
CREATE INDEX lead_events_by_lead ON lead_events (lead_id, at);

-- A tenant's CRM and how its leads are qualified. The credentials are never returned by any API.
CREATE TABLE tenant_crm (
  tenant_id       text PRIMARY KEY REFERENCES tenants (id),
  provider        text NOT NULL,
  config          jsonb NOT NULL DEFAULT '{}',
  qualification   jsonb NOT NULL DEFAULT '{}',
  updated_at      timestamptz NOT NULL DEFAULT now()
);
