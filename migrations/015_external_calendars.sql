-- External calendars: a tenant's accounts (Google, Bitrix24), which resource's agenda lives in
-- which, and each booking's event there. PostgreSQL stays the source of truth for bookings.
CREATE TABLE tenant_calendars (
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('google', 'bitrix24')),
  -- Credentials: never logged, never returned by the API.
  config jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, provider)
);

-- {"provider": "google" | "bitrix24", "calendarId": "..."}; NULL: the built-in calendar only.
ALTER TABLE resources ADD COLUMN calendar jsonb;

-- A booking's event in its resource's external calendar, as last made to match the booking.
CREATE TABLE booking_calendar_events (
  booking_id uuid PRIMARY KEY REFERENCES bookings (id) ON DELETE CASCADE,
  tenant_id text NOT NULL,
  provider text NOT NULL,
  calendar_id text NOT NULL,
  event_id text NOT NULL,
  meet_link text,
  -- The booking's times the event has; NULL once the event was deleted (booking cancelled).
  starts_at timestamptz,
  ends_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
