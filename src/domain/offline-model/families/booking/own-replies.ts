import type { DateTime } from 'luxon';
import { readDateTimes } from '../../date-time';
import { BULLET } from './format';
import { BOOKED_MARKS, BOOKING_REPLIES, DONE_MARK, type BookingReplies } from './replies';

/** What a reply of the engine asked; the customer's next message answers it. */
export type BookingQuestion = 'service' | 'slot' | 'bookIt' | 'whichBooking' | 'yourBookings';

/** A free time the engine offered. */
export interface ListedSlot {
  date: string;
  time: string;
}

// The customer may have switched language since: a reply is read in both.
function replyHas(reply: string, pick: (replies: BookingReplies) => string[]): boolean {
  return Object.values(BOOKING_REPLIES).some((replies) => pick(replies).some((phrase) => reply.includes(phrase)));
}

export function questionIn(reply: string): BookingQuestion | undefined {
  if (replyHas(reply, (replies) => [replies.bookIt])) return 'bookIt';
  if (replyHas(reply, (replies) => [replies.pickSlot, replies.askWhen])) return 'slot';
  if (replyHas(reply, (replies) => [replies.askService])) return 'service';
  if (replyHas(reply, (replies) => Object.values(replies.whichBooking))) return 'whichBooking';
  if (replyHas(reply, (replies) => [replies.yourBookings])) return 'yourBookings';
  return undefined;
}

/** Whether the reply reported a booking action done: what was asked before it is settled. */
export function reportsDone(reply: string): boolean {
  return reply.startsWith(DONE_MARK);
}

/** The free times a reply offered, in the order shown: "la primera" is the first of them. */
export function slotsListedIn(reply: string, now: DateTime): ListedSlot[] {
  if (questionIn(reply) !== 'slot') return [];
  return reply
    .split('\n')
    .filter((line) => line.startsWith(BULLET))
    .flatMap((line) => {
      const { dates, times } = readDateTimes(line, now);
      return dates.length > 0 ? times.map((time) => ({ date: dates[0], time })) : [];
    });
}

/** The day and time of the booking a reply reported made or moved: a change of mind is about it. */
export function bookingInReply(reply: string, now: DateTime): ListedSlot | undefined {
  if (!reportsDone(reply) || !BOOKED_MARKS.some((mark) => reply.includes(mark))) return undefined;
  const { dates, times } = readDateTimes(reply, now);
  return dates.length > 0 && times.length > 0 ? { date: dates.at(-1)!, time: times.at(-1)! } : undefined;
}
