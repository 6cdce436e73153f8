import type { BookingSummary } from '../../../booking';
import { fold } from '../../text';
import type { BookingChoice, BookingRequest } from './dialog';
import type { ActionOnBooking } from './vocabulary';

/**
 * What names the booking to act on. To cancel or confirm, the day and service said are the
 * booking's; to move one, the day said is the new one, and only an answer to "¿Cuál?" names it.
 */
export function choiceFor(action: ActionOnBooking, request: BookingRequest): BookingChoice {
  const { choice } = request;
  const named = choice.position !== undefined || choice.date || choice.time || choice.service;
  // A change of mind right after booking is about that booking.
  const recent = request.justBooked && request.recent ? { date: request.recent.date, time: request.recent.time } : undefined;
  if (action === 'reschedule') return named || !recent ? choice : recent;
  if (!named && !request.date && !request.time && recent) return recent;
  return {
    position: choice.position,
    date: choice.date ?? request.date,
    time: choice.time ?? request.time,
    service: choice.service ?? request.service,
  };
}

/** The one booking the choice names, if it names exactly one. */
export function chooseBooking(bookings: readonly BookingSummary[], choice: BookingChoice): BookingSummary | undefined {
  if (choice.position !== undefined) return bookings.at(choice.position);
  const { date, time, service } = choice;
  if (!date && !time && !service) return undefined;
  const matching = bookings.filter(
    (booking) =>
      (!date || booking.date === date) &&
      (!time || booking.time === time) &&
      (!service || fold(booking.service).includes(fold(service))),
  );
  return matching.length === 1 ? matching[0] : undefined;
}
