import { z } from 'zod';
import { LanguageSchema } from './language';

/** A service's name and description in another language than the tenant's. */
export const ServiceTranslationSchema = z.object({ name: z.string().min(1), description: z.string().optional() });

/** A service of a tenant's catalogue, as the assistant's tools return it. */
export const ServiceSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  durationMinutes: z.number().int().positive(),
  price: z.number().nonnegative(),
  currency: z.string().length(3),
  /** By language code (`en`): what an English-speaking customer reads instead of `name`. */
  translations: z.partialRecord(LanguageSchema, ServiceTranslationSchema).optional(),
});
export type Service = z.infer<typeof ServiceSchema>;

/** A service's name in the languages it was translated to: what the booking tools report beside its own name. */
export const ServiceNamesSchema = z.partialRecord(LanguageSchema, z.string());
export type ServiceNames = z.infer<typeof ServiceNamesSchema>;

export function serviceNames(translations: Service['translations']): ServiceNames {
  return Object.fromEntries(Object.entries(translations ?? {}).map(([language, translation]) => [language, translation.name]));
}

/** What `search_services` gives the model: the best matches first. */
export const ServiceSearchResultSchema = z.object({ services: z.array(ServiceSchema) });
export type ServiceSearchResult = z.infer<typeof ServiceSearchResultSchema>;

// In Spanish, a price reads best the way the currency's own country writes it: "$ 25.000" in
// Argentina, "$25,000" in Mexico. Other currencies take the Latin American default.
const SPANISH_LOCALE_BY_CURRENCY: Record<string, string> = {
  ARS: 'es-AR', BOB: 'es-BO', CLP: 'es-CL', COP: 'es-CO', CRC: 'es-CR', DOP: 'es-DO', EUR: 'es-ES', GTQ: 'es-GT',
  HNL: 'es-HN', MXN: 'es-MX', NIO: 'es-NI', PAB: 'es-PA', PEN: 'es-PE', PYG: 'es-PY', USD: 'es-US', UYU: 'es-UY',
};

/**
 * Formatters built so far: building one costs far more than formatting with it, and a catalogue
 * answer formats every price. Keyed by what the tenants' catalogues use, so it stays small.
 */
const priceFormats = new Map<string, Intl.NumberFormat | null>();

function priceFormat(locale: string, currency: string, decimals: number): Intl.NumberFormat | null {
  const key = `${locale} ${currency} ${decimals}`;
  let format = priceFormats.get(key);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    } catch {
      format = null; // a code Intl refuses ("AR$")
    }
    priceFormats.set(key, format);
  }
  return format;
}

export function formatPrice(price: number, currency: string, language: 'es' | 'en'): string {
  const locale = language === 'es' ? (SPANISH_LOCALE_BY_CURRENCY[currency.toUpperCase()] ?? 'es-419') : 'en-US';
  // A code Intl refuses still deserves an answer.
  return priceFormat(locale, currency, Number.isInteger(price) ? 0 : 2)?.format(price) ?? `${price} ${currency}`;
}

export function formatDuration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}
