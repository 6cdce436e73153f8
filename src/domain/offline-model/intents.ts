import type { AssistantToolName } from '../tools';
import {
  answerAvailability, answerBooked, answerCancelled, answerConfirmed, answerMyBookings, answerRescheduled, answerSuggestions,
  bookingDialog,
} from './families/booking/steps';
import { businessInfo } from './families/business-info';
import { askForHuman, answerEscalation } from './families/human';
import { leadDetails, leadSavedReply } from './families/lead-details';
import { mediaOnly } from './families/media';
import { offerReply } from './families/offers';
import { answerServiceSearch, serviceFollowUp, serviceQuestion } from './families/services';
import { courtesy, greeting, help } from './families/small-talk';
import { repliesFor, say, type Intent, type ToolAnswer } from './intent';

/**
 * The intents, tried in order; the first that matches answers. The order settles bursts that
 * mix intents:
 * 1. human: a request for a person beats everything else said with it.
 * 2. offer reply: a "sí" or "no" to the question the previous reply asked, before it reads as a courtesy.
 * 3. media: a voice note we could not transcribe, or an image, with nothing written.
 * 3b. lead details: "me llamo Ana, ana@example.com" is kept first; what else the message asks is
 *    answered once they are (see answerLeadSaved).
 * 4. booking dialog: "quiero turno para depilación" is a booking, though it names a service; "cancelar"
 *    and a day or time answering the engine's booking question go here too.
 * 5. business info: opening hours, address, payment; "¿qué horario tienen?" is not a service search.
 * 6. services: prices, durations, the catalogue; beats the greeting that often opens the question.
 * 7. courtesy: thanks and goodbyes, before the greeting so that "gracias, buenas noches" is not a hello.
 * 8. greeting.
 * 9. service follow-up: after a price answer, a service named alone ("¿y la limpieza facial?").
 * 10. help: anything else.
 */
export const INTENTS: readonly Intent[] = [
  askForHuman,
  offerReply,
  mediaOnly,
  leadDetails,
  bookingDialog,
  businessInfo,
  serviceQuestion,
  courtesy,
  greeting,
  serviceFollowUp,
  help,
];

// What a message that also gave contact details may still ask; a greeting or a thanks beside them needs no answer of its own.
const ASKED_WITH_DETAILS: readonly Intent[] = [bookingDialog, businessInfo, serviceQuestion];

/** Thanks for the details, then the answer to what else the message asked (its first tool call, if it needs one). */
const answerLeadSaved: ToolAnswer = (exchange, turn) => {
  const saved = leadSavedReply(exchange.content, turn);
  if ('failed' in saved) return say(saved.failed);
  const next = ASKED_WITH_DETAILS.find((intent) => intent.matches(turn))?.respond(turn);
  if (next && next.toolCalls.length > 0) return next;
  return say([saved.thanks, next?.text ?? saved.askContact ?? repliesFor(turn).anythingElse].join(' '));
};

/** How to answer each tool's result: a new tool does not type-check until it has its answer. */
export const TOOL_ANSWERS: Record<AssistantToolName, ToolAnswer> = {
  search_services: answerServiceSearch,
  check_availability: answerAvailability,
  suggest_slots: answerSuggestions,
  create_booking: answerBooked,
  reschedule_booking: answerRescheduled,
  cancel_booking: answerCancelled,
  confirm_booking: answerConfirmed,
  list_my_bookings: answerMyBookings,
  escalate_to_human: answerEscalation,
  save_lead_details: answerLeadSaved,
  qualify_lead: answerLeadSaved,
};
