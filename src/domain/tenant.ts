import { z } from 'zod';
import { TenantIdSchema } from './conversation';

export const TenantSchema = z.object({
  id: TenantIdSchema,
  name: z.string().min(1),
  timeZone: z.string().min(1),
  language: z.enum(['es', 'en']),
  persona: z.string(),
  businessDescription: z.string(),
  burstQuietMs: z.number().int().min(0).max(60_000),
});
export type Tenant = z.infer<typeof TenantSchema>;
