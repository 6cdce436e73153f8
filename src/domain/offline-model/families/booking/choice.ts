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
  const matching = (byService: boolean) =>
    bookings.filter(
      (booking) =>
        (!date || booking.date === date) &&
        (!time || booking.time === time) &&
        (!byService || !service || fold(booking.service).includes(fold(service))),
    );
  // Words taken for a service ("lo mantengo") that name none of the bookings say nothing of which one.
  const named = matching(true);
  const found = named.length > 0 || !(date || time) ? named : matching(false);
  return found.length === 1 ? found[0] : undefined;
}
