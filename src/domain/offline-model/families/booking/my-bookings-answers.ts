import { BookingResultSchema, MyBookingsSchema, type BookingSummary } from '../../../booking';
import type { ModelOutput } from '../../../model-turn';
import { callTool, say, type Turn } from '../../intent';
import { fold } from '../../text';
import { choiceFor, chooseBooking } from './choice';
import { readBookingDialog, type BookingRequest } from './dialog';
import { bookingLines, inLanguage } from './format';
import { BOOKING_REPLIES } from './replies';
import { bookingToolAnswer } from './tool-results';
import type { ActionOnBooking } from './vocabulary';

/** The customer's bookings: the list they asked for, or the step before acting on one of them. */
export const answerMyBookings = bookingToolAnswer(MyBookingsSchema, ({ bookings }, _exchange, turn) => {
  const replies = BOOKING_REPLIES[turn.language];
  const upcoming = bookings.filter((booking) => booking.status !== 'cancelled');
  if (upcoming.length === 0) return say(replies.noBookings);
  // The same dialog that made the call: a step is a function of the conversation.
  const { request } = readBookingDialog(turn);
  const { action } = request;
  if (action === 'cancel' || action === 'confirm' || action === 'reschedule') return actOn(upcoming, action, request, turn);
  return say(`${replies.yourBookings}\n${bookingLines(upcoming, turn.language)}`);
});

function actOn(bookings: BookingSummary[], action: ActionOnBooking, request: BookingRequest, turn: Turn): ModelOutput {
  const replies = BOOKING_REPLIES[turn.language];
  const booking = bookings.length === 1 ? bookings[0] : chooseBooking(bookings, choiceFor(action, request));
  if (!booking) return say(`${replies.severalBookings}\n${bookingLines(bookings, turn.language)}\n${replies.whichBooking[action]}`);
  const bookingId = booking.id;
  if (action === 'cancel') return callTool(turn, 'cancel_booking', { booking_id: bookingId });
  if (action === 'confirm') return callTool(turn, 'confirm_booking', { booking_id: bookingId });
  // "mejor hacelo limpieza facial": another service at the same time; the old one goes first, or the two would collide.
  if (request.switchService && isOtherService(booking, request.service)) return callTool(turn, 'cancel_booking', { booking_id: bookingId });
  // "mejor a las 5" keeps the day; "al miércoles, a la misma hora" keeps the time.
  // Right after booking, "no, perdón, el martes" keeps the time just booked.
  const keepsTime = request.sameTime || (request.justBooked && request.date !== undefined);
  const time = request.time ?? (keepsTime ? booking.time : undefined);
  const date = request.date ?? (time ? booking.date : undefined);
  if (date && time) {
    if (date === booking.date && time === booking.time) return say(replies.currentBooking(inLanguage(booking, turn.language)));
    return callTool(turn, 'reschedule_booking', { booking_id: bookingId, date, time });
  }
  if (date) return callTool(turn, 'check_availability', { service: booking.serviceId, date });
  return say(`${replies.currentBooking(inLanguage(booking, turn.language))} ${replies.askWhen}`);
}

export const answerRescheduled = bookingToolAnswer(BookingResultSchema, ({ booking }, _exchange, turn) =>
  say(BOOKING_REPLIES[turn.language].rescheduled(inLanguage(booking, turn.language))),
);

export const answerCancelled = bookingToolAnswer(BookingResultSchema, ({ booking }, _exchange, turn) => {
  const { request } = readBookingDialog(turn);
  const { service } = request;
  if (request.action === 'reschedule' && request.switchService && service && isOtherService(booking, service)) {
    const time = request.time ?? booking.time;
    return callTool(turn, 'create_booking', { service, date: request.date ?? booking.date, time });
  }
  return say(BOOKING_REPLIES[turn.language].cancelled(inLanguage(booking, turn.language)));
});

function isOtherService(booking: BookingSummary, service: string | undefined): boolean {
  if (!service) return false;
  const [name, asked] = [fold(booking.service), fold(service)];
  return !name.includes(asked) && !asked.includes(name) && fold(booking.serviceId) !== asked;
}

export const answerConfirmed = bookingToolAnswer(BookingResultSchema, ({ booking }, _exchange, turn) =>
  say(BOOKING_REPLIES[turn.language].confirmed(inLanguage(booking, turn.language))),
);
