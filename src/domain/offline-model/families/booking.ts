import { repliesFor, say, type Intent } from '../intent';
import { mentions } from '../text';

const BOOKING_CUES = [
  'turno', 'turnos', 'cita', 'citas', 'reservar', 'reserva', 'reservo', 'agendar', 'agendo', 'agendame', 'agenda',
  'disponibilidad', 'disponible', 'disponibles', 'hay lugar', 'tienen lugar', 'cancelar', 'cancelo', 'reprogramar',
  'reprogramo', 'book', 'booking', 'appointment', 'appointments', 'availability', 'available', 'slot', 'slots',
  'schedule', 'reschedule', 'cancel', 'reserve', 'reservation',
];

/**
 * Availability, booking, rescheduling, cancelling. Until the scheduling tools exist the engine
 * cannot do any of it, so it offers a person; those tools will turn this into an intent family
 * of its own (one intent per action, answers for each tool's result).
 */
export const booking: Intent = {
  matches: (turn) => mentions(turn.words, BOOKING_CUES),
  respond: (turn) => say(`${repliesFor(turn).bookingUnavailable} ${repliesFor(turn).offerHuman}`),
};
