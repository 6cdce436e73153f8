import { AvailabilityResultSchema, BookingResultSchema, SlotSuggestionsSchema, type SlotOffer } from '../../../booking';
import { readBookingDialog, type BookingRequest } from './dialog';
import { checkAvailabilityTool } from '../../../tools';
import { say } from '../../intent';
import { REPLIES } from '../../replies';
import { readJson } from '../../text';
import { dayName, inLanguage, MAX_TIMES_PER_DAY, slotLines } from './format';
import { BOOKING_REPLIES } from './replies';
import { bookingToolAnswer } from './tool-results';

export const answerAvailability = bookingToolAnswer(AvailabilityResultSchema, (availability, exchange, turn) => {
  const replies = BOOKING_REPLIES[turn.language];
  const call = checkAvailabilityTool.args.safeParse(readJson(exchange.arguments));
  const askedTime = call.success ? call.data.time : undefined;
  const day = dayName(availability.date, turn.language);
  if (askedTime && availability.available) return say(`${replies.slotFree(day, askedTime)} ${replies.bookIt}`);
  if (availability.slots.length === 0) return say(`${replies.dayFull(day)} ${replies.askWhen}`);
  // Without a time asked, the slots are the day's; with one that is taken, the nearest to it.
  const intro = askedTime ? `${replies.slotNotFree(day, askedTime)} ${replies.nearestTimes}` : replies.freeTimes;
  const { request } = readBookingDialog(turn);
  const slots = askedTime ? availability.slots : wantedSlots(availability.slots, request);
  const thatDay = slots.filter((slot) => slot.date === availability.date);
  // "the latest you have", "the earliest": that one, offered to book.
  const one = request.latest ? thatDay.at(-1) : request.earliest ? thatDay[0] : undefined;
  if (!askedTime && one) return say(`${replies.slotFree(dayName(one.date, turn.language), one.time)} ${replies.bookIt}`);
  return say(`${intro}\n${slotLines(slots, turn.language)}\n${replies.pickSlot}`);
});

/** The part of a day's free times asked for: the morning, or the latest ones. */
function wantedSlots(slots: readonly SlotOffer[], request: BookingRequest): readonly SlotOffer[] {
  const inPart = request.dayPart
    ? slots.filter((slot) => (request.dayPart === 'morning' ? slot.time < '13:00' : slot.time >= '12:00'))
    : slots;
  const shown = inPart.length > 0 ? inPart : slots;
  return request.later ? shown.slice(-MAX_TIMES_PER_DAY) : shown;
}

export const answerSuggestions = bookingToolAnswer(SlotSuggestionsSchema, ({ service, slots }, _exchange, turn) => {
  const replies = BOOKING_REPLIES[turn.language];
  if (slots.length === 0) return say(`${replies.noneFree(service)} ${REPLIES[turn.language].offerHuman}`);
  return say(`${replies.nextFree(service)}\n${slotLines(slots, turn.language)}\n${replies.pickSlot} ${replies.anotherDay}`);
});

export const answerBooked = bookingToolAnswer(BookingResultSchema, ({ booking }, _exchange, turn) =>
  say(BOOKING_REPLIES[turn.language].booked(inLanguage(booking, turn.language))),
);
