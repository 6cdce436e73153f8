import type { ModelOutput } from '../../../model-turn';
import { callTool, say, type Intent, type Turn } from '../../intent';
import { readBookingDialog, type BookingRequest } from './dialog';
import { BOOKING_REPLIES } from './replies';

/**
 * Availability, booking, rescheduling, cancelling, confirming, listing: anything the customer
 * asks of their appointments, or an answer to what the engine asked about one.
 */
export const bookingDialog: Intent = {
  matches: (turn) => readBookingDialog(turn).movedByBurst,
  respond: (turn) => {
    const { request } = readBookingDialog(turn);
    if (request.action === undefined || request.action === 'book') return nextBookingStep(request, turn);
    // The bookings' ids are in no message: every action on one starts from the list.
    return callTool(turn, 'list_my_bookings', {});
  },
};

/** Asks for what is missing, offers free times, or books. */
function nextBookingStep({ service, date, time, checkFirst }: BookingRequest, turn: Turn): ModelOutput {
  if (!service) return say(BOOKING_REPLIES[turn.language].askService);
  if (!date) return callTool(turn, 'suggest_slots', { service });
  if (!time) return callTool(turn, 'check_availability', { service, date });
  if (checkFirst) return callTool(turn, 'check_availability', { service, date, time });
  return callTool(turn, 'create_booking', { service, date, time });
}
