import type { DateTime } from 'luxon';
import type { EarlierMessage } from '../../conversation';
import { readDateTimes, type DayPart } from '../../date-time';
import type { Turn } from '../../intent';
import { mentions, words as foldedWords } from '../../text';
import { yesOrNo } from '../offers';
import { SERVICE_CUES, serviceQuery, toldAboutServices } from '../services';
import { BOOKED_MARKS, BOOKING_REPLIES, BULLET, DONE_MARK, type BookingReplies } from './replies';
import {
  askedAction, asksEarliest, asksLater, asksLatest, isBookingWord, listPosition, saysConfirm, saysSameTime, saysWant, type BookingAction,
} from './vocabulary';

/** Which of their bookings the customer means, when they have several. */
export interface BookingChoice {
  /** In the list the engine showed; -1 is the last. */
  position?: number;
  date?: string;
  time?: string;
  service?: string;
}

/**
 * What the customer wants done about appointments, pieced together from what they said since the
 * last action done: the newest mention of each piece wins.
 */
export interface BookingRequest {
  action?: BookingAction;
  /** As they wrote it: the tools resolve names, misspellings included. */
  service?: string;
  /** The day and time they want: of a new booking, or to move one to. */
  date?: string;
  time?: string;
  /**
   * They said yes to the engine's summary of this very service, day and time ("¿Te lo reservo?"):
   * nothing is booked before that.
   */
  confirmed: boolean;
  choice: BookingChoice;
  /** "¿y más tarde?": the later free times of the day. */
  later?: boolean;
  /** "the latest you have": the day's last free time. */
  latest?: boolean;
  /** "the earliest you have": the day's first free time. */
  earliest?: boolean;
  /** "a la misma hora": the time of the booking they move. */
  sameTime?: boolean;
  /** "a la mañana": free times of that part of the day. */
  dayPart?: DayPart;
  /** The booking the last done action made or moved: the one a change of mind is about. */
  recent?: ListedSlot;
  /** The burst came right after that booking: "cancelalo", "mejor a las 5" are about it. */
  justBooked?: boolean;
  /** "mejor hacelo limpieza facial": the service of that booking is to change. */
  switchService?: boolean;
}

export interface BookingDialog {
  request: BookingRequest;
  /** The burst asks for a booking action, or answers what the engine asked about one. */
  movedByBurst: boolean;
  /** A plain "no" to "¿Te lo reservo?": nothing to book, and nothing else asked. */
  declined: boolean;
}

interface CustomerMessage {
  text: string;
  /** The engine's reply before it, which it may answer. */
  answering: string;
  /** Written just after a booking was made or moved (within two replies): a change of mind is about it. */
  afterBooking?: boolean;
}

/** Replies after a booking within which "mejor a las 5" or "never mind" still speak of it. */
const CHANGE_OF_MIND_REPLIES = 2;

/** What one customer message says about appointments. */
interface MessageReading {
  action?: BookingAction;
  answered?: BookingQuestion;
  service?: string;
  dates: string[];
  times: string[];
  position?: number;
  /** One of the free times the engine offered: "la primera", or "a las 10" when it offered 10:00. */
  pickedSlot?: ListedSlot;
  yes: boolean;
  no: boolean;
  later: boolean;
  latest: boolean;
  earliest: boolean;
  switchService: boolean;
  sameTime: boolean;
  dayPart?: DayPart;
  /** The day and time the engine just offered to book ("¿Te lo reservo?"): a yes takes them. */
  offered?: ListedSlot;
}

export function readBookingDialog(turn: Turn): BookingDialog {
  const request: BookingRequest = { confirmed: false, choice: {} };
  const { messages, burstAfterBooking } = messagesSinceLastDone(turn.earlier, turn.now);
  for (const message of messages) {
    const reading = readMessage(message, turn);
    // "mis turnos" was answered with the list: it is no action still to do.
    addTo(request, reading.action === 'list' ? { ...reading, action: undefined } : reading);
  }
  const burst = readMessage({ text: turn.burst.text, answering: turn.previousReply, afterBooking: burstAfterBooking }, turn);
  addTo(request, burst);
  request.confirmed = confirmsOffer(burst, request);
  const lastDone = turn.earlier.filter((message) => message.from === 'assistant' && reportsDone(message.text)).at(-1);
  const recent = lastDone && bookingInReply(lastDone.text, turn.now);
  if (recent) request.recent = recent;
  request.justBooked = burstAfterBooking;
  const declined = burst.answered === 'bookIt' && burst.no && burst.dates.length + burst.times.length === 0 && !burst.service;
  return { request, movedByBurst: burst.action !== undefined || answersQuestion(burst) || declined, declined };
}

function messagesSinceLastDone(earlier: readonly EarlierMessage[], now: DateTime): { messages: CustomerMessage[]; burstAfterBooking: boolean } {
  let messages: CustomerMessage[] = [];
  let answering = '';
  let repliesSinceBooking = Infinity;
  let lastWasReply = true;
  for (const message of earlier) {
    if (message.from === 'customer') {
      const last = messages.at(-1);
      // Messages with no reply between them were one burst: read together, as the engine answered them.
      if (last && !lastWasReply) {
        last.text = `${last.text}\n${message.text}`;
      } else {
        messages.push({ text: message.text, answering, afterBooking: repliesSinceBooking <= CHANGE_OF_MIND_REPLIES });
      }
      lastWasReply = false;
    } else {
      lastWasReply = true;
      answering = message.text;
      repliesSinceBooking++;
      if (reportsDone(message.text)) {
        messages = [];
        repliesSinceBooking = bookingInReply(message.text, now) ? 1 : Infinity;
      }
    }
  }
  return { messages, burstAfterBooking: repliesSinceBooking <= CHANGE_OF_MIND_REPLIES };
}

function readMessage({ text, answering, afterBooking = false }: CustomerMessage, { now, openingHours }: Turn): MessageReading {
  const words = foldedWords(text);
  const { dates, times, dayPart, unread } = readDateTimes(text, now, openingHours);
  const answered = questionIn(answering);
  const position = listPosition(words);
  const yes = yesOrNo(words) === 'yes' || saysConfirm(words);
  const no = yesOrNo(words) === 'no';
  const sameTime = saysSameTime(words);
  let action = actionOf(words, dates.length + times.length > 0 || dayPart !== undefined, answered, yes, afterBooking);
  // A day and an hour together speak of an appointment: "is 2:30 tomorrow ok for laser?".
  if (action === undefined && answered === undefined && dates.length > 0 && times.length > 0) action = 'book';
  // "quiero un masaje": a service wanted, with no question of price, starts a booking.
  const asksAboutServices = mentions(words, SERVICE_CUES.filter((cue) => !['tienen', 'hacen', 'ofrecen'].includes(cue)));
  const wanted = action === undefined && answered === undefined && saysWant(words) && !asksAboutServices;
  // "uy no, mejor hacelo limpieza facial": after a booking, another service for the same time.
  const switching = afterBooking && action === undefined && mentions(words, SERVICE_SWITCH);
  // Outside talk of bookings and services, what is left of "hola, soy Juan" is no service.
  const speaksOfServices =
    wanted || switching || action !== undefined || answered !== undefined || mentions(words, SERVICE_CUES) || toldAboutServices(answering);
  const service = speaksOfServices ? serviceQuery(text, isBookingWord) : undefined;
  // Answering a question, leftover words name a service only when said as one: "para peeling", "a facial".
  const marked =
    service !== undefined && (answered === undefined || answered === 'service' || answered === 'whichBooking' || namedAsService(words, service));
  if (wanted && service !== undefined) action = 'book';
  if (switching && service !== undefined) action = 'reschedule';
  // A day said but not understood ("el 40") never falls back on an offered one.
  const pickedSlot = dates.length > 0 || unread ? undefined : pickSlot(slotsListedIn(answering, now), times.at(-1), position);
  return {
    action,
    answered,
    service: marked ? service : undefined,
    dates,
    times,
    position,
    pickedSlot,
    yes,
    no,
    later: asksLater(words),
    latest: asksLatest(words),
    earliest: asksEarliest(words),
    switchService: switching && service !== undefined,
    sameTime,
    dayPart,
    offered: answered === 'bookIt' ? offeredIn(answering, now) : undefined,
  };
}

const SERVICE_MARKERS = new Set([
  'para', 'de', 'del', 'el', 'la', 'un', 'una', 'a', 'an', 'the', 'for', 'sea', 'hacelo', 'hazlo', 'mejor', 'y', 'con', 'es',
  'and', 'about', 'cambia', 'cambie', 'cambialo', 'cambiamelo', 'quiero', 'want', 'book', 'like', 'need', 'reservar',
  'reservame', 'agendar', 'agendame', 'agendeme', 'get', 'pa', 'turno', 'cita', 'hora', 'reserva', 'reservo',
]);

/** Whether the word before the service's first one marks it as a service. */
function namedAsService(words: readonly string[], service: string): boolean {
  const first = foldedWords(service)[0];
  const at = words.indexOf(first);
  return at === 0 ? words.length <= 3 : at > 0 && SERVICE_MARKERS.has(words[at - 1]);
}

const SERVICE_SWITCH = ['mejor', 'instead', 'actually', 'make it', 'hacelo', 'hazlo', 'cambia', 'cambie', 'cambialo', 'cambiamelo', 'rather'];

/** The day and time a "¿Te lo reservo?" reply offered. */
function offeredIn(reply: string, now: DateTime): ListedSlot | undefined {
  const { dates, times } = readDateTimes(reply, now);
  return dates.length === 1 && times.length === 1 ? { date: dates[0], time: times[0] } : undefined;
}

function actionOf(
  words: readonly string[],
  mentionsDateOrTime: boolean,
  answered: BookingQuestion | undefined,
  yes: boolean,
  afterBooking: boolean,
): BookingAction | undefined {
  const action = askedAction(words, mentionsDateOrTime, afterBooking);
  // To "¿Te lo reservo?" or to a list of free times, "sí" and "confirmo" book; they confirm no reminder.
  const answersBookingOffer = answered === 'bookIt' || (answered === 'slot' && action === 'confirm');
  return answersBookingOffer && yes ? 'book' : action;
}

function pickSlot(listed: readonly ListedSlot[], time: string | undefined, position: number | undefined): ListedSlot | undefined {
  if (time !== undefined) return listed.find((slot) => slot.time === time);
  return position === undefined ? undefined : listed.at(position);
}

function addTo(request: BookingRequest, reading: MessageReading): void {
  const { action, answered, dates, times, position, pickedSlot } = reading;
  if (action) request.action = action;
  if (answered === 'whichBooking') {
    request.choice = { position, date: dates.at(-1), time: times.at(-1), service: reading.service };
    return;
  }
  if (answered === 'yourBookings' && position !== undefined) request.choice = { position };
  request.service = reading.service ?? request.service;
  request.date = pickedSlot?.date ?? dates.at(-1) ?? request.date;
  request.time = pickedSlot?.time ?? times.at(-1) ?? request.time;
  if (reading.later && times.length === 0) {
    request.time = undefined;
    request.later = true;
    request.latest = reading.latest;
  }
  // A yes to "¿Te lo reservo?" books what that reply offered.
  if (answered === 'bookIt' && reading.offered && (reading.yes || action === 'book') && dates.length + times.length === 0) {
    request.date = reading.offered.date;
    request.time = reading.offered.time;
  }
  if (reading.sameTime) request.sameTime = true;
  if (reading.switchService) request.switchService = true;
  // "cancelame el del jueves, el del viernes lo mantengo": the first day said is the one to cancel.
  if (action === 'cancel' && dates.length > 1) request.choice.date = dates[0];
  if (reading.earliest && times.length === 0) request.earliest = true;
  if (reading.dayPart && times.length === 0) {
    request.dayPart = reading.dayPart;
    // "el jueves a la tarde" asks for the afternoon's times, not an hour said before.
    if (dates.length > 0 || action) request.time = undefined;
  }
  // "del martes a las 10 al jueves a las 16": the first day and time are the booking's, the last the new ones.
  if (request.action === 'reschedule' && dates.length > 1) request.choice.date = dates[0];
  if (request.action === 'reschedule' && times.length > 1) request.choice.time = times[0];
}

/** A yes to "¿Te lo reservo?" that changes nothing of what it offered: "sí", "dale, reservalo", "sí, a las 10". */
function confirmsOffer(reading: MessageReading, request: BookingRequest): boolean {
  const { offered } = reading;
  if (reading.answered !== 'bookIt' || !offered || !(reading.yes || reading.action === 'book')) return false;
  return reading.service === undefined && request.date === offered.date && request.time === offered.time;
}

function answersQuestion(reading: MessageReading): boolean {
  const { answered } = reading;
  if (answered === undefined || answered === 'yourBookings') return false;
  if (reading.dates.length > 0 || reading.times.length > 0 || reading.position !== undefined) return true;
  if (answered !== 'service' && (reading.later || reading.sameTime || reading.dayPart !== undefined)) return true;
  // "es para peeling" to "¿Te lo reservo?": the same time, for that service.
  if ((answered === 'bookIt' || answered === 'slot') && reading.service !== undefined) return true;
  // Only asked for, words left over are a service: "lo pienso" to a list of times is none.
  if (answered === 'service' || answered === 'whichBooking') return reading.service !== undefined;
  return answered === 'bookIt' && reading.yes;
}

// Its own replies, read back: what they asked, offered or reported done.

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
