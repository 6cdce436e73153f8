import type { DateTime } from 'luxon';
import type { Language, RunCalendar } from './calendar';

export type ServiceId = 'depilacion-laser' | 'limpieza-facial' | 'masaje-descontracturante' | 'peeling-quimico';

/** One booking as the judge reads it: the service and the clinic's wall clock. */
export interface ExpectedBooking {
  service: ServiceId;
  /** yyyy-MM-dd in the clinic's zone. */
  date: string;
  /** HH:mm in the clinic's zone. */
  time: string;
}

export const booking = (service: ServiceId, day: DateTime, time: string): ExpectedBooking => ({ service, date: day.toFormat('yyyy-MM-dd'), time });

/**
 * One booking on whichever of `days` the customer's words name: "pasalo al viernes" said of a
 * Wednesday appointment is the Friday after it, or the coming Friday when that comes first.
 */
export function bookingOnEither(service: ServiceId, days: DateTime[], time: string): DialogScript['expect'] {
  const distinct = [...new Map(days.map((day) => [day.toISODate(), day])).values()];
  return distinct.length === 1 ? [booking(service, distinct[0]!, time)] : { oneOf: distinct.map((day) => [booking(service, day, time)]) };
}

/**
 * What a customer's turn sends: one message, or a burst of several sent back to back, each with
 * its own message id, before any answer comes.
 */
export type Turn = string | readonly string[];

/** A booking in the calendar before the dialog starts. */
export interface Seed {
  service: ServiceId;
  day: DateTime;
  time: string;
  /**
   * `customer`: the customer's own booking, made earlier (to list, move or cancel). `others`: the
   * time is taken, by other customers, with every staff member who performs the service.
   */
  owner: 'customer' | 'others';
}

export interface DialogScript {
  turns: Turn[];
  /**
   * The customer's bookings (not cancelled) once the dialog is over, in any order: exactly these.
   * `oneOf` for a wording a receptionist could fairly read two ways ("next friday").
   */
  expect: ExpectedBooking[] | { oneOf: ExpectedBooking[][] };
  seed?: Seed[];
  /**
   * The index in `turns` of the customer's explicit yes to the bot's summary: before it, nothing
   * may be booked (the confirmation test sends the turns before it and checks).
   */
  confirmAt?: number;
}

export type Variety = 'AR' | 'CL' | 'MX' | 'EN';
/** The ability a dialog mainly exercises: how failures are grouped for whoever improves the model. */
export type Topic = 'dates' | 'offers' | 'changes' | 'greetings-regional' | 'wording' | 'confirmation' | 'facts';

export interface DialogCase {
  id: string;
  language: Language;
  variety: Variety;
  topic: Topic;
  /** Built for the day the suite runs. */
  script(calendar: RunCalendar): DialogScript;
}

export const alternativesOf = (expected: DialogScript['expect']): ExpectedBooking[][] => ('oneOf' in expected ? expected.oneOf : [expected]);
