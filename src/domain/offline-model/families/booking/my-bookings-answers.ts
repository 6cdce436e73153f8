import { BookingResultSchema, MyBookingsSchema, type BookingSummary } from '../../../booking';
import type { ModelOutput } from '../../../model-turn';
import { callTool, say, type Turn } from '../../intent';
import { choiceFor, chooseBooking } from './choice';
import { readBookingDialog, type BookingRequest } from './dialog';
import { bookingLines } from './format';
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
  return say(`${replies.yourBookings}\n${bookingLines(upcoming)}`);
});

function actOn(bookings: BookingSummary[], action: ActionOnBooking, request: BookingRequest, turn: Turn): ModelOutput {
  const replies = BOOKING_REPLIES[turn.language];
  const booking = bookings.length === 1 ? bookings[0] : chooseBooking(bookings, choiceFor(action, request));
  if (!booking) return say(`${replies.severalBookings}\n${bookingLines(bookings)}\n${replies.whichBooking[action]}`);
  const bookingId = booking.id;
  if (action === 'cancel') return callTool(turn, 'cancel_booking', { booking_id: bookingId });
  if (action === 'confirm') return callTool(turn, 'confirm_booking', { booking_id: bookingId });
  const { date, time } = request;
  if (date && time) return callTool(turn, 'reschedule_booking', { booking_id: bookingId, date, time });
  if (date) return callTool(turn, 'check_availability', { service: booking.serviceId, date });
  return say(`${replies.currentBooking(booking)} ${replies.askWhen}`);
}

export const answerRescheduled = bookingToolAnswer(BookingResultSchema, ({ booking }, _exchange, turn) =>
  say(BOOKING_REPLIES[turn.language].rescheduled(booking)),
);

export const answerCancelled = bookingToolAnswer(BookingResultSchema, ({ booking }, _exchange, turn) =>
  say(BOOKING_REPLIES[turn.language].cancelled(booking)),
);

export const answerConfirmed = bookingToolAnswer(BookingResultSchema, ({ booking }, _exchange, turn) =>
  say(BOOKING_REPLIES[turn.language].confirmed(booking)),
);
