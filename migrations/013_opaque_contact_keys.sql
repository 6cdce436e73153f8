-- A tenant may keep its contacts' phone numbers out of Temporal: workflow ids and search
-- attributes then name a contact by a keyed hash (src/domain/contact-key.ts).
ALTER TABLE tenants ADD COLUMN opaque_contact_keys boolean NOT NULL DEFAULT false;
