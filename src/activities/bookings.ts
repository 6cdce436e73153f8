import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import {
  cancelBooking, confirmBooking, createBooking, findBookingByIdempotencyKey, findCustomerBooking, listUpcomingBookings, rescheduleBooking,
  type BookingRecord, type Buffers,
} from '../db/bookings';
import { findLead } from '../db/leads';
import type { BookingLinkResultSchema, BookingResultSchema, MyBookingsSchema } from '../domain/booking';
import type { ConversationRef } from '../domain/conversation';
import { leadSummary, type Lead } from '../domain/leads';
import type { ToolArgs } from '../domain/tools';
import { createAvailabilityActivities } from './availability';
import {
  bookingSummary, checkOpenTime, isRefusal, loadBookingContext, nearestFreeSlots, refusal, resolveService, withoutExternallyBusy,
  type BookingContext, type BookingRefusal, type OpenTime,
} from './booking-context';
import type { ExternalCalendars } from '../calendars/external-calendars';
import type { BookableService } from '../domain/scheduling/schedule';
import { updateLead, type LeadDeps } from './leads';
import { countedTool, type ToolAnswer, type ToolInput } from './tools';
import { USAGE_METRICS } from '../domain/usage-metrics';
import { eventCounter, recordUsage } from './usage';


type BookingResult = z.infer<typeof BookingResultSchema>;
type BookingLinkResult = z.infer<typeof BookingLinkResultSchema>;
type MyBookings = z.infer<typeof MyBookingsSchema>;

/** Bookings move the contact's lead (the pool, and Temporal to tell the lead's CRM sync) and heed external calendars. */
type BookingDeps = LeadDeps & { calendars?: ExternalCalendars };

const MINUTE_MS = 60_000;
/** Upcoming bookings one customer may hold: a chat cannot fill a calendar. */
const MAX_UPCOMING_PER_CUSTOMER = 3;

/** The booking tools, one activity each (the read-only two come from ./availability). */
export function createBookingActivities(deps: BookingDeps) {
  return {
    ...createAvailabilityActivities(deps),
    createBookingTool: countedTool(deps, 'create_booking', book),
    rescheduleBookingTool: countedTool(deps, 'reschedule_booking', reschedule),
    cancelBookingTool: countedTool(deps, 'cancel_booking', cancel),
    confirmBookingTool: countedTool(deps, 'confirm_booking', confirm),
    listMyBookingsTool: countedTool(deps, 'list_my_bookings', listMine),
  };
}

async function book(deps: BookingDeps, { ref, args }: ToolInput<ToolArgs<'create_booking'>>): Promise<ToolAnswer<BookingResult | BookingLinkResult>> {
  const context = await loadBookingContext(deps.pool, ref.tenantId, deps.calendars);
  if (isRefusal(context)) return context;
  const { policy } = context;
  // The schedules table allows link mode only with a URL.
  if (policy.bookingMode === 'link' && policy.bookingUrl) {
    return { outcome: 'ok', content: { bookingUrl: policy.bookingUrl }, effects: { appointmentConfirmed: true } };
  }
  const idempotencyKey = requestKey();
  // A retry after the booking was made: answer as the first attempt should have, whatever the calendar says now.
  const earlier = await findBookingByIdempotencyKey(deps.pool, ref, idempotencyKey);
  if (earlier) return afterBooking(deps, ref, args, earlier.serviceName, changed(context, earlier, { confirmsAppointment: true }));

  const service = await resolveService(context, args.service);
  if (isRefusal(service)) return service;
  const open = await freeOpenTime(context, service, args.date, args.time);
  if (isRefusal(open)) return open;
  const upcoming = await listUpcomingBookings(deps.pool, ref, context.now);
  // A model that repeats a call must not give one customer two appointments at once.
  const clash = upcoming.find((other) => other.start < open.end && open.start < other.end);
  if (clash) {
    return refusal('already_booked', 'This customer already has an appointment at that time.', undefined, bookingSummary(context, clash));
  }
  if (upcoming.length >= MAX_UPCOMING_PER_CUSTOMER) {
    return refusal('too_many_bookings', `This customer already has ${upcoming.length} upcoming appointments; a person can book more.`);
  }
  // Confirmed: the assistant has confirmed service, date and time with the customer before booking.
  // The name they gave in the conversation is the booking's, unless the model names another.
  const customerName = args.customer_name ?? (await findLead(deps.pool, ref))?.name ?? undefined;
  const booking = { customer: ref, serviceId: service.id, customerName, status: 'confirmed' as const, idempotencyKey };
  const result = await createBooking(deps.pool, { ...booking, start: open.start, end: open.end, buffers: buffersOf(context) }, open.resourceIds);
  if (result.taken) return refusal('slot_taken', `${args.date} ${args.time} was just taken.`, await nearestFreeSlots(context, [service], open.start, open));
  await countBooking(deps, ref, 'created');
  return afterBooking(deps, ref, args, service.name, changed(context, result.booking, { confirmsAppointment: true }));
}

async function reschedule(deps: BookingDeps, { ref, args }: ToolInput<ToolArgs<'reschedule_booking'>>): Promise<ToolAnswer<BookingResult>> {
  const found = await changeableBooking(deps, ref, args.booking_id);
  if (isRefusal(found)) return found;
  const { context, current } = found;
  if (current.status === 'cancelled') return alreadyCancelled();
  // The appointment keeps the length it was booked with, even if the service's has changed since.
  const service = { id: current.serviceId, durationMinutes: (current.end.getTime() - current.start.getTime()) / MINUTE_MS };
  const open = await freeOpenTime(context, service, args.date, args.time);
  if (isRefusal(open)) return open;
  const result = await rescheduleBooking(deps.pool, current, { start: open.start, end: open.end, buffers: buffersOf(context) }, open.resourceIds);
  if (result.outcome === 'not_found') return alreadyCancelled(); // between the read and the write
  if (result.outcome === 'taken') {
    return refusal('slot_taken', `${args.date} ${args.time} is taken.`, await nearestFreeSlots(context, [service], open.start, open));
  }
  await countBooking(deps, ref, 'rescheduled');
  return changed(context, result.booking, { confirmsAppointment: false });
}

async function cancel(deps: BookingDeps, { ref, args }: ToolInput<ToolArgs<'cancel_booking'>>): Promise<ToolAnswer<BookingResult>> {
  const found = await changeableBooking(deps, ref, args.booking_id);
  if (isRefusal(found)) return found;
  const booking = await cancelBooking(deps.pool, ref, args.booking_id);
  if (!booking) return notFound();
  await countBooking(deps, ref, 'cancelled');
  // Without an appointment left, the lead goes back to the stage its details earn.
  const { lead } = await updateLead(deps, ref, {}, 'booking');
  return withLead(changed(found.context, booking, { confirmsAppointment: false }), lead);
}

/** An open time with the resources whose external calendars are free then, or the refusal. */
async function freeOpenTime(context: BookingContext, service: BookableService, date: string, time: string): Promise<OpenTime | BookingRefusal> {
  const open = await checkOpenTime(context, service, date, time);
  if (isRefusal(open)) return open;
  const free = await withoutExternallyBusy(context, open);
  if (free.resourceIds.length > 0) return free;
  return refusal('slot_taken', `${date} ${time} is taken.`, await nearestFreeSlots(context, [service], open.start, open));
}

/**
 * The customer's booking with the tenant's booking context, or why it cannot change: not theirs,
 * or already begun (cancelling afterwards would rewrite a no-show as a cancellation). A cancelled
 * one is returned: cancelling it again is harmless, moving it is not.
 */
async function changeableBooking(deps: BookingDeps, ref: ConversationRef, bookingId: string) {
  const context = await loadBookingContext(deps.pool, ref.tenantId, deps.calendars);
  if (isRefusal(context)) return context;
  const current = await findCustomerBooking(deps.pool, ref, bookingId);
  if (!current) return notFound();
  if (current.status !== 'cancelled' && current.start <= context.now) return alreadyStarted();
  return { context, current };
}

async function confirm(deps: BookingDeps, { ref, args }: ToolInput<ToolArgs<'confirm_booking'>>): Promise<ToolAnswer<BookingResult>> {
  const context = await loadBookingContext(deps.pool, ref.tenantId, deps.calendars);
  if (isRefusal(context)) return context;
  const booking = await confirmBooking(deps.pool, ref, args.booking_id);
  if (!booking) return notFound();
  if (booking.status === 'cancelled') return alreadyCancelled();
  await countBooking(deps, ref, 'confirmed');
  return changed(context, booking, { confirmsAppointment: true });
}

async function listMine(deps: BookingDeps, { ref }: ToolInput<ToolArgs<'list_my_bookings'>>): Promise<ToolAnswer<MyBookings>> {
  const context = await loadBookingContext(deps.pool, ref.tenantId, deps.calendars);
  if (isRefusal(context)) return context;
  const bookings = await listUpcomingBookings(deps.pool, ref, context.now);
  return { outcome: 'ok', content: { bookings: bookings.map((booking) => bookingSummary(context, booking)) } };
}

/**
 * The answer to a booking that changed. `effects.booking` tells the workflow, which then wakes the
 * booking's appointment workflow in an activity of its own: a Temporal hiccup there must not turn
 * a booking that was made into a failed tool call the model would retry.
 */
function changed(context: BookingContext, booking: BookingRecord, { confirmsAppointment }: { confirmsAppointment: boolean }): ToolAnswer<BookingResult> {
  const summary = bookingSummary(context, booking);
  return { outcome: 'ok', content: { booking: summary }, effects: { booking: summary, ...(confirmsAppointment ? { appointmentConfirmed: true } : {}) } };
}

/** A booking moves the contact's lead (made if they had none); a retry after a crash moves it too. */
async function afterBooking(deps: BookingDeps, ref: ConversationRef, args: ToolArgs<'create_booking'>, serviceName: string, answer: ToolAnswer<BookingResult>) {
  const { lead } = await updateLead(deps, ref, { interests: [serviceName], ...(args.customer_name ? { name: args.customer_name } : {}) }, 'booking');
  return withLead(answer, lead);
}

/** The answer, with the lead the change moved: the conversation's state shows it. */
function withLead(answer: ToolAnswer<BookingResult>, lead: Lead): ToolAnswer<BookingResult> {
  return { ...answer, effects: { ...answer.effects, lead: leadSummary(lead) } };
}

function countBooking(deps: BookingDeps, ref: ConversationRef, action: 'created' | 'rescheduled' | 'cancelled' | 'confirmed'): Promise<void> {
  return recordUsage(deps.pool, [eventCounter(USAGE_METRICS.bookings, ref.tenantId, { action })]);
}

/** Another customer's booking, or no booking at all: the customer cannot tell which. */
function notFound() {
  return refusal('not_found', 'This customer has no booking with that id. Use list_my_bookings to find it.');
}

function alreadyStarted() {
  return refusal('past', 'That appointment has already started or taken place; it cannot be changed now.');
}

/** Moving or confirming a cancelled booking could take back a time someone else now has. */
function alreadyCancelled() {
  return refusal('not_found', 'That booking was cancelled, so it cannot be changed. Offer to book a new appointment.');
}

/**
 * One key per booking request: every attempt of an activity shares its workflow run and activity id,
 * so a retry after a crash finds the booking the first attempt made.
 */
function requestKey(): string {
  const { workflowExecution, activityId } = Context.current().info;
  if (!workflowExecution) throw ApplicationFailure.nonRetryable('create_booking must run as a workflow activity: its retries are told apart by workflow');
  return `${workflowExecution.workflowId}:${workflowExecution.runId}:${activityId}`;
}

function buffersOf(context: BookingContext): Buffers {
  const { bufferBeforeMinutes, bufferAfterMinutes } = context.policy.schedule;
  return { beforeMinutes: bufferBeforeMinutes, afterMinutes: bufferAfterMinutes };
}
