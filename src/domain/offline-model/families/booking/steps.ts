import { z } from 'zod';
import {
  AvailabilityResultSchema, BookingErrorSchema, type AvailabilityResult, BookingLinkResultSchema, BookingResultSchema, MyBookingsSchema,
  SlotSuggestionsSchema, type BookingError, type BookingSummary, type SlotOffer,
} from '../../../booking';
import type { ModelOutput } from '../../../model-turn';
import { checkAvailabilityTool } from '../../../tools';
import type { ToolExchange } from '../../conversation';
import { callTool, say, type Intent, type ToolAnswer, type Turn } from '../../intent';
import { REPLIES } from '../../replies';
import { fold } from '../../../words';
import { readJson } from '../../text';
import { readBookingDialog, type BookingChoice, type BookingRequest } from './dialog';
import { BOOKING_REPLIES, bookingLines, dayName, inLanguage, MAX_TIMES_PER_DAY, serviceNameIn, slotLines } from './replies';
import type { ActionOnBooking } from './vocabulary';

/*
 * What the engine does about appointments: the intent that starts a booking action, then the
 * answer to each booking tool's result (the reply, or the next call), all from the dialog that
 * `readBookingDialog` pieces together.
 */

/**
 * Availability, booking, rescheduling, cancelling, confirming, listing: anything the customer
 * asks of their appointments, or an answer to what the engine asked about one.
 */
export const bookingDialog: Intent = {
  matches: (turn) => readBookingDialog(turn).movedByBurst,
  respond: (turn) => {
    const { request, declined } = readBookingDialog(turn);
    if (declined) return say(`${BOOKING_REPLIES[turn.language].notBooked} ${BOOKING_REPLIES[turn.language].askWhen}`);
    if (request.action === undefined || request.action === 'book') return nextBookingStep(request, turn);
    // The bookings' ids are in no message: every action on one starts from the list.
    return callTool(turn, 'list_my_bookings', {});
  },
};

/**
 * Asks for what is missing, offers free times, or books. A booking waits for the customer's yes
 * to its summary: checking the time first is what makes that summary.
 */
function nextBookingStep({ service, date, time, confirmed }: BookingRequest, turn: Turn): ModelOutput {
  if (!service) return say(BOOKING_REPLIES[turn.language].askService);
  if (!date) return callTool(turn, 'suggest_slots', { service });
  if (!time || !confirmed) return callTool(turn, 'check_availability', { service, date, ...(time ? { time } : {}) });
  return callTool(turn, 'create_booking', { service, date, time });
}

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

/**
 * Answers a booking tool's result. Its own reply is only for what the tool did; a booking link
 * (booking-link mode), a refusal, or anything unreadable are answered alike for every tool.
 */
export function bookingToolAnswer<Result>(
  schema: z.ZodType<Result>,
  answer: (result: Result, exchange: ToolExchange, turn: Turn) => ModelOutput,
): ToolAnswer {
  return (exchange, turn) => {
    const json = readJson(exchange.content);
    const link = BookingLinkResultSchema.safeParse(json);
    if (link.success) return say(BOOKING_REPLIES[turn.language].bookingLink(link.data.bookingUrl));
    const refusal = BookingErrorSchema.safeParse(json);
    if (refusal.success) return say(refusalReply(refusal.data, exchange, turn));
    const result = schema.safeParse(json);
    // An error the booking contract does not name (the tool is down, the call was invalid), or garbage.
    if (!result.success) return say(`${REPLIES[turn.language].somethingFailed} ${REPLIES[turn.language].offerHuman}`);
    return answer(result.data, exchange, turn);
  };
}

const CalledWithServiceSchema = z.object({ service: z.string() });
const CalledWithDateSchema = z.object({ date: z.string() });

function refusalReply(refusal: BookingError, exchange: ToolExchange, turn: Turn): string {
  const replies = REPLIES[turn.language];
  const bookingReplies = BOOKING_REPLIES[turn.language];
  if (refusal.error === 'unknown_service') {
    const call = CalledWithServiceSchema.safeParse(readJson(exchange.arguments));
    return `${bookingReplies.unknownService(call.success ? call.data.service : undefined)} ${replies.offerCatalogue}`;
  }
  const alternatives = refusal.alternatives ?? [];
  const called = CalledWithDateSchema.safeParse(readJson(exchange.arguments));
  const reason =
    refusal.error === 'closed' && called.success && openOn(called.data.date, alternatives)
      ? bookingReplies.outsideHours
      : bookingReplies.refusals[refusal.error];
  if (refusal.error === 'not_found' || refusal.error === 'no_schedule') return `${reason} ${replies.offerHuman}`;
  return withAlternatives(reason, alternatives, turn);
}

// Free times that same day: the day is open, the hour is not (a 10 p.m. request on a Friday).
const openOn = (date: string, alternatives: readonly SlotOffer[]) => alternatives.some((slot) => slot.date === date);

/** Why not, then the nearest free times to pick from, or a question for another day. */
function withAlternatives(reason: string, alternatives: readonly SlotOffer[], turn: Turn): string {
  const replies = BOOKING_REPLIES[turn.language];
  if (alternatives.length === 0) return `${reason} ${replies.askWhen}`;
  return `${reason} ${replies.nearestTimes}\n${slotLines(alternatives, turn.language)}\n${replies.pickSlot}`;
}

export const answerAvailability = bookingToolAnswer(AvailabilityResultSchema, (availability, exchange, turn) => {
  const replies = BOOKING_REPLIES[turn.language];
  const call = checkAvailabilityTool.args.safeParse(readJson(exchange.arguments));
  const askedTime = call.success ? call.data.time : undefined;
  const day = dayName(availability.date, turn.language);
  const service = availability.service === undefined ? undefined : serviceNameIn({ ...availability, service: availability.service }, turn.language);
  if (askedTime && availability.available) return say(`${replies.slotFree(day, askedTime, service)} ${replies.bookIt}`);
  if (!availability.available) return say(unavailableReply(availability, askedTime, turn));
  // "the latest you have", "the earliest": that one, offered to book.
  const { request } = readBookingDialog(turn);
  const slots = wantedSlots(availability.slots, request);
  const one = request.latest ? slots.at(-1) : request.earliest ? slots[0] : undefined;
  if (one) return say(`${replies.slotFree(dayName(one.date, turn.language), one.time, service)} ${replies.bookIt}`);
  return say(`${replies.freeTimes}\n${slotLines(slots, turn.language)}\n${replies.pickSlot}`);
});

/** Why the day or time asked is not to be had, and the nearest free times instead. */
function unavailableReply(availability: AvailabilityResult, askedTime: string | undefined, turn: Turn): string {
  const replies = BOOKING_REPLIES[turn.language];
  const { date, slots } = availability;
  const day = dayName(date, turn.language);
  let reason = askedTime ? replies.slotNotFree(day, askedTime) : replies.dayFull(day);
  if (availability.closed) reason = askedTime && openOn(date, slots) ? replies.outsideHours : replies.refusals.closed;
  return withAlternatives(reason, slots, turn);
}

/** The part of a day's free times asked for: the morning, or the latest ones. */
function wantedSlots(slots: readonly SlotOffer[], request: BookingRequest): readonly SlotOffer[] {
  const inPart = request.dayPart
    ? slots.filter((slot) => (request.dayPart === 'morning' ? slot.time < '13:00' : slot.time >= '12:00'))
    : slots;
  const shown = inPart.length > 0 ? inPart : slots;
  return request.later ? shown.slice(-MAX_TIMES_PER_DAY) : shown;
}

export const answerSuggestions = bookingToolAnswer(SlotSuggestionsSchema, (suggestions, _exchange, turn) => {
  const replies = BOOKING_REPLIES[turn.language];
  const { slots } = suggestions;
  const service = serviceNameIn(suggestions, turn.language);
  if (slots.length === 0) return say(`${replies.noneFree(service)} ${REPLIES[turn.language].offerHuman}`);
  return say(`${replies.nextFree(service)}\n${slotLines(slots, turn.language)}\n${replies.pickSlot} ${replies.anotherDay}`);
});

export const answerBooked = bookingToolAnswer(BookingResultSchema, ({ booking }, _exchange, turn) =>
  say(BOOKING_REPLIES[turn.language].booked(inLanguage(booking, turn.language))),
);

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
