import { formatDuration, formatPrice, type Service } from '../catalogue';
import type { Language } from './language';

/** A service as the replies state it. */
export interface ServiceFacts {
  name: string;
  price: string;
  duration: string;
}

/** In the customer's language: the catalogue's translation of the name where it has one. */
export function serviceFacts(service: Service, language: Language): ServiceFacts {
  return {
    name: service.translations?.[language]?.name ?? service.name,
    price: formatPrice(service.price, service.currency, language),
    duration: formatDuration(service.durationMinutes),
  };
}
