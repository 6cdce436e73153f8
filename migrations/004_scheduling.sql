-- Scheduling: when a tenant takes appointments, who performs them, and the bookings themselves.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- One row per tenant. Opening hours are JSON validated by ScheduleSchema (src/domain/scheduling):
-- {"1": [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}], ...}, 1 = Monday.
CREATE TABLE schedules (
  tenant_id                 text PRIMARY KEY REFERENCES tenants (id),
  weekly_hours              jsonb NOT NULL DEFAULT '{}',
  slot_interval_minutes     integer NOT NULL DEFAULT 30 CHECK (slot_interval_minutes > 0),
  buffer_before_minutes     integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes >= 0),
  buffer_after_minutes      integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes >= 0),
  min_notice_minutes        integer NOT NULL DEFAULT 120 CHECK (min_notice_minutes >= 0),
  max_days_ahead            integer NOT NULL DEFAULT 60 CHECK (max_days_ahead >= 0),
  reminder_offsets_minutes  integer[] NOT NULL DEFAULT '{1440,60}',
  quiet_hours_start         text NOT NULL DEFAULT '21:00' CHECK (quiet_hours_start ~ '^([01]\d|2[0-3]):[0-5]\d$'),
  quiet_hours_end           text NOT NULL DEFAULT '08:00' CHECK (quiet_hours_end ~ '^([01]\d|2[0-3]):[0-5]\d$'),
  -- 'assistant': the assistant books; 'link': it sends booking_url and the customer books there.
  booking_mode              text NOT NULL DEFAULT 'assistant' CHECK (booking_mode IN ('assistant', 'link')),
  booking_url               text,
  CHECK (booking_mode = 'assistant' OR booking_url IS NOT NULL)
);

-- A date whose hours differ from the week's: a holiday (no ranges), a longer Saturday.
CREATE TABLE schedule_overrides (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  date       date NOT NULL,
  ranges     jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (tenant_id, date)
);

-- Staff members or rooms: each performs some services, and takes one appointment at a time.
CREATE TABLE resources (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  id         text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name       text NOT NULL,
  active     boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE resource_services (
  tenant_id    text NOT NULL,
  resource_id  text NOT NULL,
  service_id   text NOT NULL,
  PRIMARY KEY (tenant_id, resource_id, service_id),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id)
);

-- Holidays and absences; without a resource, the whole business is closed.
CREATE TABLE blocked_periods (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (id),
  resource_id  text,
  period       tstzrange NOT NULL CHECK (NOT isempty(period)),
  reason       text NOT NULL DEFAULT '',
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id)
);
CREATE INDEX blocked_periods_by_tenant ON blocked_periods USING gist (tenant_id, period);

CREATE TABLE bookings (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        text NOT NULL REFERENCES tenants (id),
  resource_id      text NOT NULL,
  service_id       text NOT NULL,
  -- The customer: the conversation that booked.
  channel          text NOT NULL,
  contact_id       text NOT NULL,
  customer_name    text,
  status           text NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled')),
  starts_at        timestamptz NOT NULL,
  ends_at          timestamptz NOT NULL CHECK (ends_at > starts_at),
  -- The appointment plus the tenant's buffers, as booked: what no other booking may overlap.
  -- Stored rather than computed: timestamptz ± interval is not immutable, so not indexable.
  blocked          tstzrange NOT NULL,
  -- Who asked for it (workflow and activity): a retried create finds the booking it made.
  idempotency_key  text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, resource_id) REFERENCES resources (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id),
  CHECK (blocked @> tstzrange(starts_at, ends_at)),
  -- Double booking is impossible, whatever the application does.
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (tenant_id WITH =, resource_id WITH =, blocked WITH &&)
    WHERE (status <> 'cancelled'),
  -- A customer is in one place at a time: the booking tools check first, this settles a race.
  CONSTRAINT bookings_one_at_a_time_per_customer
    EXCLUDE USING gist (tenant_id WITH =, channel WITH =, contact_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
    WHERE (status <> 'cancelled')
);
CREATE INDEX bookings_by_contact ON bookings (tenant_id, channel, contact_id, starts_at);
