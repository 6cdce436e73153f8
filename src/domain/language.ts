import { z } from 'zod';

/** The languages Concierge speaks with customers and businesses. */
export const LanguageSchema = z.enum(['es', 'en']);
export type Language = z.infer<typeof LanguageSchema>;
