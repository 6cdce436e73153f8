/**
 * A reminder's idempotency key, `reminder:<booking id>:<appointment start>:<offset minutes>`
 * (`:template` is added for a resend as the channel's template).
 * The booking and start it names let the send check, at the last moment, that the reminder is
 * still true: a cancel or reschedule can land while the reminder waits behind the customer's turn.
 */
const REMINDER_KEY = /^reminder:([^:]+):(.+):-?\d+(?::template)?$/;

export function reminderKey(bookingId: string, appointmentStart: string, offsetMinutes: number): string {
  return `reminder:${bookingId}:${appointmentStart}:${offsetMinutes}`;
}

export function reminderBookingOf(idempotencyKey: string): { bookingId: string; start: string } | undefined {
  const match = REMINDER_KEY.exec(idempotencyKey);
  if (!match || Number.isNaN(Date.parse(match[2]!))) return undefined;
  return { bookingId: match[1]!, start: match[2]! };
}
