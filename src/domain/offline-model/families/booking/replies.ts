import { DateTime } from 'luxon';
import type { BookingError, BookingSummary, SlotOffer } from '../../../booking';
import type { ServiceNames } from '../../../catalogue';
import type { Language } from '../../language';
import type { ActionOnBooking } from './vocabulary';

/**
 * Opens the reply to every booking action done. The transcript keeps only text: the mark is how
 * the engine later tells that the dialog before it is over, and that its service, day and time are spent.
 */
export const DONE_MARK = '✅';

/** What the replies that report a booking made or moved say, in both languages. */
export const BOOKED_MARKS = ['Te reservé', 'pasé tu cita', "You're booked", 'appointment is now on'];

type Refusal = Exclude<BookingError['error'], 'unknown_service'>;

/** What the offline model says about appointments, in each language. */
export interface BookingReplies {
  // The questions end the replies they are in; the engine reads the customer's answer by them.
  askService: string;
  askWhen: string;
  pickSlot: string;
  bookIt: string;
  /** The answer to a no to "¿Te lo reservo?". */
  notBooked: string;
  whichBooking: Record<ActionOnBooking, string>;
  /** Heads the list of the customer's bookings: "la segunda" then means the second of them. */
  yourBookings: string;
  severalBookings: string;
  freeTimes: string;
  nearestTimes: string;
  nextFree(service: string): string;
  anotherDay: string;
  dayFull(day: string): string;
  /** The summary a booking waits on: the customer's yes to it books. */
  slotFree(day: string, time: string, service: string | undefined): string;
  slotNotFree(day: string, time: string): string;
  noneFree(service: string): string;
  booked(booking: BookingSummary): string;
  rescheduled(booking: BookingSummary): string;
  cancelled(booking: BookingSummary): string;
  confirmed(booking: BookingSummary): string;
  currentBooking(booking: BookingSummary): string;
  noBookings: string;
  bookingLink(url: string): string;
  unknownService(service: string | undefined): string;
  refusals: Record<Refusal, string>;
  outsideHours: string;
}

const es: BookingReplies = {
  askService: '¿Para qué servicio sería?',
  askWhen: '¿Qué día y hora te quedan bien?',
  pickSlot: '¿Cuál prefieres?',
  bookIt: '¿Te lo reservo?',
  notBooked: 'De acuerdo, no lo reservo.',
  whichBooking: {
    reschedule: '¿Cuál quieres cambiar?',
    cancel: '¿Cuál quieres cancelar?',
    confirm: '¿Cuál quieres confirmar?',
  },
  yourBookings: 'Estas son tus próximas citas:',
  severalBookings: 'Tienes varias citas:',
  freeTimes: 'Estos son los horarios libres:',
  nearestTimes: 'Lo más cercano que tengo:',
  nextFree: (service) => `Estos son los próximos horarios libres para ${service}:`,
  anotherDay: 'También puedes pedirme otro día.',
  dayFull: (day) => `El ${day} ya no me quedan horarios libres.`,
  slotFree: (day, time, service) => `¡Sí! El ${day} a las ${time} está libre${service ? ` para ${service}` : ''}.`,
  slotNotFree: (day, time) => `El ${day} a las ${time} no está disponible.`,
  noneFree: (service) => `Por ahora no encuentro horarios libres para ${service}.`,
  booked: ({ service, label }) => `${DONE_MARK} ¡Listo! Te reservé ${service} para el ${label}. ¡Te esperamos!`,
  rescheduled: ({ service, label }) => `${DONE_MARK} Listo, pasé tu cita de ${service} al ${label}.`,
  cancelled: ({ service, label }) =>
    `${DONE_MARK} Listo, cancelé tu cita de ${service} del ${label}. Si quieres otra fecha, dime qué día te queda bien.`,
  confirmed: ({ service, label }) => `${DONE_MARK} ¡Gracias por confirmar! Te esperamos el ${label} para ${service}.`,
  currentBooking: ({ service, label }) => `Tu cita de ${service} es el ${label}.`,
  noBookings: 'No encontré citas próximas a tu nombre. Si quieres reservar una, dime qué servicio y qué día.',
  bookingLink: (url) => `Puedes reservar aquí: ${url}`,
  unknownService: (service) => `No encontré ${service ? `«${service}»` : 'ese servicio'} entre nuestros servicios.`,
  refusals: {
    slot_taken: 'Uy, ese horario se acaba de ocupar.',
    closed: 'Ese día no atendemos.',
    past: 'Ese horario ya pasó.',
    too_far_ahead: 'Todavía no puedo agendar con tanta anticipación.',
    not_found: 'No encontré esa cita.',
    no_schedule: 'Por aquí todavía no puedo agendar citas.',
    already_booked: 'Ya tienes una cita a esa hora.',
    too_many_bookings: 'Ya tienes varias citas reservadas; para otra más, alguien del equipo puede ayudarte.',
  },
  outsideHours: 'A esa hora no atendemos.',
};

const en: BookingReplies = {
  askService: 'Which service would it be for?',
  askWhen: 'What day and time suit you?',
  pickSlot: 'Which one suits you?',
  bookIt: 'Shall I book it for you?',
  notBooked: "Alright, I won't book it.",
  whichBooking: {
    reschedule: 'Which one would you like to move?',
    cancel: 'Which one would you like to cancel?',
    confirm: 'Which one would you like to confirm?',
  },
  yourBookings: 'These are your upcoming appointments:',
  severalBookings: 'You have several appointments:',
  freeTimes: 'These are the free times:',
  nearestTimes: 'The nearest I have:',
  nextFree: (service) => `These are the next free times for ${service}:`,
  anotherDay: 'You can also ask me for another day.',
  dayFull: (day) => `${day} is fully booked.`,
  slotFree: (day, time, service) => `Yes! ${day} at ${time} is free${service ? ` for ${service}` : ''}.`,
  slotNotFree: (day, time) => `${day} at ${time} isn't available.`,
  noneFree: (service) => `I can't find any free times for ${service} right now.`,
  booked: ({ service, label }) => `${DONE_MARK} Done! You're booked for ${service} on ${label}. See you then!`,
  rescheduled: ({ service, label }) => `${DONE_MARK} Done: your ${service} appointment is now on ${label}.`,
  cancelled: ({ service, label }) =>
    `${DONE_MARK} Done: I cancelled your ${service} appointment on ${label}. ` +
    "If you'd like another date, just tell me which day suits you.",
  confirmed: ({ service, label }) => `${DONE_MARK} Thanks for confirming! See you on ${label} for ${service}.`,
  currentBooking: ({ service, label }) => `Your ${service} appointment is on ${label}.`,
  noBookings: "I couldn't find any upcoming appointments for you. To book one, tell me the service and the day.",
  bookingLink: (url) => `You can book here: ${url}`,
  unknownService: (service) => `I couldn't find ${service ? `"${service}"` : 'that service'} among our services.`,
  refusals: {
    slot_taken: 'Oh, that time was just taken.',
    closed: "We're closed that day.",
    past: 'That time has already passed.',
    too_far_ahead: "I can't book that far ahead yet.",
    not_found: "I couldn't find that appointment.",
    no_schedule: "I can't book appointments here yet.",
    already_booked: 'You already have an appointment at that time.',
    too_many_bookings: 'You already have several appointments booked; someone from the team can help with another.',
  },
  outsideHours: "We're not open at that time.",
};

export const BOOKING_REPLIES: Record<Language, BookingReplies> = { es, en };

// How days, times and lists are worded.

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

/** A tool's service, named as a customer of that language reads it. */
export function serviceNameIn(result: { service: string; serviceNames?: ServiceNames }, language: Language): string {
  return result.serviceNames?.[language] ?? result.service;
}

/** The booking with its service, day and time worded in the customer's language. */
export function inLanguage(booking: BookingSummary, language: Language): BookingSummary {
  return { ...booking, service: serviceNameIn(booking, language), label: slotLabel(booking.date, booking.time, language) };
}

export function bookingLines(bookings: readonly BookingSummary[], language: Language): string {
  return bookings
    .map((booking) => inLanguage(booking, language))
    .map(({ service, label }) => `${BULLET} ${service}: ${label}`)
    .join('\n');
}
