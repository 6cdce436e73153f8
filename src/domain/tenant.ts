import { z } from 'zod';
import { TenantIdSchema } from './conversation';
import { LanguageSchema } from './language';

/** What a receptionist would know of the business, in one language. */
export const BusinessFactsSchema = z.object({
  address: z.string().max(300).optional(),
  phone: z.string().max(50).optional(),
  paymentMethods: z.array(z.string().max(100)).max(20).optional(),
  /** Cancellation, lateness, what to bring…: one sentence each. */
  policies: z.array(z.string().max(500)).max(20).optional(),
  faq: z.array(z.object({ question: z.string().max(300), answer: z.string().max(1000) })).max(50).optional(),
});
export type BusinessFacts = z.infer<typeof BusinessFactsSchema>;

export const TenantSchema = z.object({
  id: TenantIdSchema,
  name: z.string().min(1),
  timeZone: z.string().min(1),
  language: LanguageSchema,
  persona: z.string(),
  businessDescription: z.string(),
  /** Overrides every channel's default burst quiet period; a channel's own setting overrides this. */
  burstQuietMs: z.number().int().min(0).max(60_000).nullish(),
  /** Temporal names contacts by a keyed hash, never their phone (src/domain/contact-key.ts). */
  opaqueContactKeys: z.boolean().optional(),
  /** By language; the tenant's own language is the one to fill, others where it can. */
  facts: z.partialRecord(LanguageSchema, BusinessFactsSchema).default({}),
});
export type Tenant = z.infer<typeof TenantSchema>;
