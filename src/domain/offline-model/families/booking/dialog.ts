import type { DateTime } from 'luxon';
import type { EarlierMessage } from '../../conversation';
import { readDateTimes } from '../../date-time';
import type { Turn } from '../../intent';
import { mentions, words as foldedWords } from '../../text';
import { yesOrNo } from '../offers';
import { SERVICE_CUES, serviceQuery, toldAboutServices } from '../services';
import { questionIn, reportsDone, slotsListedIn, type BookingQuestion, type ListedSlot } from './own-replies';
import { askedAction, asksAvailability, isBookingWord, listPosition, saysConfirm, type BookingAction } from './vocabulary';

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
  /** They asked what is free rather than to book it. */
  checkFirst: boolean;
  choice: BookingChoice;
}

export interface BookingDialog {
  request: BookingRequest;
  /** The burst asks for a booking action, or answers what the engine asked about one. */
  movedByBurst: boolean;
}

interface CustomerMessage {
  text: string;
  /** The engine's reply before it, which it may answer. */
  answering: string;
}

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
  asksAvailability: boolean;
}

export function readBookingDialog(turn: Turn): BookingDialog {
  const request: BookingRequest = { checkFirst: false, choice: {} };
  for (const message of messagesSinceLastDone(turn.earlier)) {
    const reading = readMessage(message, turn.now);
    // "mis turnos" was answered with the list: it is no action still to do.
    addTo(request, reading.action === 'list' ? { ...reading, action: undefined } : reading);
  }
  const burst = readMessage({ text: turn.burst.text, answering: turn.previousReply }, turn.now);
  addTo(request, burst);
  return { request, movedByBurst: burst.action !== undefined || answersQuestion(burst) };
}

function messagesSinceLastDone(earlier: readonly EarlierMessage[]): CustomerMessage[] {
  let messages: CustomerMessage[] = [];
  let answering = '';
  for (const message of earlier) {
    if (message.from === 'customer') {
      messages.push({ text: message.text, answering });
    } else {
      answering = message.text;
      if (reportsDone(message.text)) messages = [];
    }
  }
  return messages;
}

function readMessage({ text, answering }: CustomerMessage, now: DateTime): MessageReading {
  const words = foldedWords(text);
  const { dates, times } = readDateTimes(text, now);
  const answered = questionIn(answering);
  const position = listPosition(words);
  const yes = yesOrNo(words) === 'yes' || saysConfirm(words);
  const action = actionOf(words, dates.length + times.length > 0, answered, yes);
  // Outside talk of bookings and services, what is left of "hola, soy Juan" is no service.
  const speaksOfServices =
    action !== undefined || answered !== undefined || mentions(words, SERVICE_CUES) || toldAboutServices(answering);
  return {
    action,
    answered,
    service: speaksOfServices ? serviceQuery(text, isBookingWord) : undefined,
    dates,
    times,
    position,
    pickedSlot: dates.length > 0 ? undefined : pickSlot(slotsListedIn(answering, now), times.at(-1), position),
    yes,
    asksAvailability: asksAvailability(text, words),
  };
}

function actionOf(
  words: readonly string[],
  mentionsDateOrTime: boolean,
  answered: BookingQuestion | undefined,
  yes: boolean,
): BookingAction | undefined {
  const action = askedAction(words, mentionsDateOrTime);
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
  // "del martes a las 10 al jueves a las 16": the first day and time are the booking's, the last the new ones.
  if (request.action === 'reschedule' && dates.length > 1) request.choice.date = dates[0];
  if (request.action === 'reschedule' && times.length > 1) request.choice.time = times[0];
  // Whatever last spoke of the booking settles it; a "sí?" asks nothing.
  if (action || pickedSlot || dates.length > 0 || times.length > 0) request.checkFirst = reading.asksAvailability && !reading.yes;
}

function answersQuestion(reading: MessageReading): boolean {
  const { answered } = reading;
  if (answered === undefined || answered === 'yourBookings') return false;
  if (reading.dates.length > 0 || reading.times.length > 0 || reading.position !== undefined) return true;
  // Only asked for, words left over are a service: "lo pienso" to a list of times is none.
  if (answered === 'service' || answered === 'whichBooking') return reading.service !== undefined;
  return answered === 'bookIt' && reading.yes;
}
