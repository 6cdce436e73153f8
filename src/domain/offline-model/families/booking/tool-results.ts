import { z } from 'zod';
import { BookingErrorSchema, BookingLinkResultSchema, type BookingError } from '../../../booking';
import type { ModelOutput } from '../../../model-turn';
import type { ToolExchange } from '../../conversation';
import { say, type ToolAnswer, type Turn } from '../../intent';
import { REPLIES } from '../../replies';
import { readJson } from '../../text';
import { slotLines } from './format';
import { BOOKING_REPLIES } from './replies';

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
  // Free times that same day: the day is open, the hour is not (a 10 p.m. request on a Friday).
  const openThatDay = called.success && alternatives.some((slot) => slot.date === called.data.date);
  const reason = refusal.error === 'closed' && openThatDay ? bookingReplies.outsideHours : bookingReplies.refusals[refusal.error];
  if (refusal.error === 'not_found' || refusal.error === 'no_schedule') return `${reason} ${replies.offerHuman}`;
  if (alternatives.length === 0) return `${reason} ${bookingReplies.askWhen}`;
  return `${reason} ${bookingReplies.nearestTimes}\n${slotLines(alternatives, turn.language)}\n${bookingReplies.pickSlot}`;
}
