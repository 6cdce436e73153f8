import { AvailabilityResultSchema, BookingResultSchema, SlotSuggestionsSchema } from '../../../booking';
import { checkAvailabilityTool } from '../../../tools';
import { say } from '../../intent';
import { REPLIES } from '../../replies';
import { readJson } from '../../text';
import { dayName, slotLines } from './format';
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
  return say(`${intro}\n${slotLines(availability.slots, turn.language)}\n${replies.pickSlot}`);
});

export const answerSuggestions = bookingToolAnswer(SlotSuggestionsSchema, ({ service, slots }, _exchange, turn) => {
  const replies = BOOKING_REPLIES[turn.language];
  if (slots.length === 0) return say(`${replies.noneFree(service)} ${REPLIES[turn.language].offerHuman}`);
  return say(`${replies.nextFree(service)}\n${slotLines(slots, turn.language)}\n${replies.pickSlot} ${replies.anotherDay}`);
});

export const answerBooked = bookingToolAnswer(BookingResultSchema, ({ booking }, _exchange, turn) =>
  say(BOOKING_REPLIES[turn.language].booked(booking)),
);
