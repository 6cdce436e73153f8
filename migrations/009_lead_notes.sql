-- A turn's outcome noted on a lead goes to the CRM's timeline once: sent notes are marked.
ALTER TABLE lead_events ADD COLUMN crm_sent_at timestamptz;
CREATE INDEX lead_events_unsent_notes ON lead_events (lead_id, id) WHERE kind = 'note' AND crm_sent_at IS NULL;
-- A hot lead gets one follow-up task for its seller, not one per turn.
ALTER TABLE leads ADD COLUMN follow_up_requested_at timestamptz;
