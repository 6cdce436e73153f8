import { DateTime } from 'luxon';
import type { BookingSummary, SlotOffer } from '../../../booking';
import type { Language } from '../../language';

/** Opens each line of a list: the engine reads its own lists back by it. */
export const BULLET = '•';

const DAY_FORMATS: Record<Language, string> = { es: "cccc d 'de' LLLL", en: 'cccc, LLLL d' };
// A day's whole afternoon is too long to read; the first few say what the day looks like.
export const MAX_TIMES_PER_DAY = 8;

/** "martes 24 de noviembre", "Tuesday, November 24". */
export function dayName(date: string, language: Language): string {
  return DateTime.fromISO(date).setLocale(language).toFormat(DAY_FORMATS[language]);
}

/** One line per day: "• martes 24 de noviembre: 09:00, 09:30, 10:00". */
export function slotLines(slots: readonly SlotOffer[], language: Language): string {
  const timesByDate = new Map<string, string[]>();
  for (const slot of slots) timesByDate.set(slot.date, [...(timesByDate.get(slot.date) ?? []), slot.time]);
  return [...timesByDate]
    .map(([date, times]) => {
      // The day's last time stays in view: "la última" means it.
      const shown =
        times.length > MAX_TIMES_PER_DAY ? `${times.slice(0, MAX_TIMES_PER_DAY - 1).join(', ')} … ${times.at(-1)}` : times.join(', ');
      return `${BULLET} ${dayName(date, language)}: ${shown}`;
    })
    .join('\n');
}

/** "martes 24 de noviembre, 10:00", "Tuesday, November 24 at 10:00": in the customer's language, whatever the tool's. */
export function slotLabel(date: string, time: string, language: Language): string {
  return language === 'es' ? `${dayName(date, language)}, ${time}` : `${dayName(date, language)} at ${time}`;
}

/** The booking with its day and time worded in the customer's language. */
export function inLanguage(booking: BookingSummary, language: Language): BookingSummary {
  return { ...booking, label: slotLabel(booking.date, booking.time, language) };
}

export function bookingLines(bookings: readonly BookingSummary[], language: Language): string {
  return bookings.map((booking) => `${BULLET} ${booking.service}: ${inLanguage(booking, language).label}`).join('\n');
}
