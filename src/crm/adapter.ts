import { z } from 'zod';
import type { Lead } from '../domain/leads';

export const CrmProviderSchema = z.enum(['builtin', 'bitrix24', 'krayin', 'hubspot', 'webhook']);
export type CrmProvider = z.infer<typeof CrmProviderSchema>;

/** A tenant's CRM: which one, where, and its credentials (never logged, never returned by the API). */
export const CrmSettingsSchema = z.object({
  provider: CrmProviderSchema,
  /**
   * Bitrix24: the inbound webhook URL (`https://<portal>/rest/<user>/<secret>/`); Krayin: the site
   * (`https://crm.example.com`); HubSpot: `https://api.hubapi.com` unless a test says otherwise;
   * webhook: the URL leads are POSTed to.
   */
  baseUrl: z.url().optional(),
  /** Krayin and HubSpot: the bearer token. */
  token: z.string().min(1).optional(),
  /** Generic webhook: the HMAC-SHA256 key of `X-Concierge-Signature`. */
  webhookSecret: z.string().min(16).optional(),
});
export type CrmSettings = z.infer<typeof CrmSettingsSchema>;

/** A lead as it goes to a CRM: the local lead, and the key that makes a repeated push find the first one. */
export interface CrmLead {
  lead: Lead;
  /** Stable for the lead's whole life: `concierge-lead-<id>`. */
  idempotencyKey: string;
  /** The business the lead is for: what a shared CRM or webhook receiver tells tenants apart by. */
  businessName: string;
}

/** Something that happened in the conversation, for the lead's timeline in the CRM. */
export interface CrmNote {
  text: string;
  /** A hot lead: the CRM should also get a follow-up task for the lead's seller. */
  followUp?: { title: string; dueAt: string };
}

/**
 * One CRM behind one interface. Every call either succeeds, or throws an ApplicationFailure:
 * `CrmRefused` (non-retryable: a 4xx, a bad field, a revoked token) or `CrmUnavailable` (retried): `callProvider` with `kind: 'Crm'` classifies them.
 */
export interface CrmAdapter {
  readonly provider: CrmProvider;
  /**
   * The CRM's id for this lead if it already has it: by our idempotency key where the CRM keeps
   * one, else by its duplicate search on e-mail and phone. How a retried push after a crash finds
   * the lead it created instead of creating another.
   */
  find(lead: CrmLead): Promise<string | undefined>;
  /** Creates the lead (and whatever it needs: a person, a contact) and returns the CRM's id for it. */
  create(lead: CrmLead): Promise<string>;
  /** Brings the CRM's lead up to date: details and stage. */
  update(externalId: string, lead: CrmLead): Promise<void>;
  /** Adds a note (and a task) to the lead's timeline, where the CRM has one. */
  addNote?(externalId: string, note: CrmNote): Promise<void>;
}
