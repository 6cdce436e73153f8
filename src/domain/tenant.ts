import { z } from 'zod';
import { TenantIdSchema } from './conversation';

export const TenantSchema = z.object({
  id: TenantIdSchema,
  name: z.string().min(1),
  timeZone: z.string().min(1),
  language: z.enum(['es', 'en']),
  persona: z.string(),
  businessDescription: z.string(),
  /** Overrides every channel's default burst quiet period; a channel's own setting overrides this. */
  burstQuietMs: z.number().int().min(0).max(60_000).nullish(),
});
export type Tenant = z.infer<typeof TenantSchema>;
