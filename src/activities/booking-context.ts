import { DateTime } from 'luxon';
import type { BookingRecord } from '../db/bookings';
import { findActiveService, searchServices } from '../db/catalogue';
import type { Pool } from '../db/pool';
import { loadBookingPolicy, loadBusyTimes, loadResources, type BookingPolicy } from '../db/schedules';
import { findTenant } from '../db/tenants';
import type { BookingError, BookingSummary, SlotOffer } from '../domain/booking';
import { serviceNames, type Service } from '../domain/catalogue';
import { availableSlots, boundaryInstant, formatSlot, localDateTimeToInstant, nearestSlots } from '../domain/scheduling/availability';
import type { BookableService, Booking, Resource } from '../domain/scheduling/schedule';
import type { Tenant } from '../domain/tenant';
import type { ExternalCalendars } from '../calendars/external-calendars';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Alternatives offered with a refusal: a few to choose from, few enough for a chat message. */
const ALTERNATIVE_COUNT = 3;
/** Alternatives come from this many days either side of the wanted time; further away is not "instead". */
const ALTERNATIVE_WINDOW_DAYS = 14;
/** Bookings this far outside a search window still reach into it through their length and buffers. */
const BUSY_MARGIN_MS = DAY_MS;

/** What every booking tool reads before answering: the tenant, how it takes appointments, its staff. */
export interface BookingContext {
  pool: Pool;
  /** The tenant's external calendars' busy time counts as taken; absent, PostgreSQL's bookings alone. */
  calendars?: ExternalCalendars;
  tenant: Tenant;
  policy: BookingPolicy;
  resources: Resource[];
  now: Date;
}

/** A booking tool's error answer: what it could not do, why, and often what is free instead. */
export type BookingRefusal = { outcome: 'error'; content: BookingError };

export function isRefusal(value: object): value is BookingRefusal {
  return 'outcome' in value && value.outcome === 'error';
}

export function refusal(error: BookingError['error'], message: string, alternatives?: SlotOffer[], booking?: BookingSummary): BookingRefusal {
  return { outcome: 'error', content: { error, message, ...(alternatives ? { alternatives } : {}), ...(booking ? { booking } : {}) } };
}

/** The tenant's booking context, or the refusal for a tenant that takes no appointments. */
export async function loadBookingContext(pool: Pool, tenantId: string, calendars?: ExternalCalendars): Promise<BookingContext | BookingRefusal> {
  const [tenant, policy, resources] = await Promise.all([findTenant(pool, tenantId), loadBookingPolicy(pool, tenantId), loadResources(pool, tenantId)]);
  if (!tenant || !policy) return refusal('no_schedule', 'This business does not take appointments here. Offer a person instead.');
  return { pool, calendars, tenant, policy, resources, now: new Date() };
}

/** The service a customer means: its exact id, else the catalogue's best match for what they wrote. */
export async function resolveService(context: BookingContext, idOrName: string): Promise<Service | BookingRefusal> {
  const service =
    (await findActiveService(context.pool, context.tenant.id, idOrName)) ?? (await searchServices(context.pool, context.tenant.id, idOrName))[0];
  return service ?? refusal('unknown_service', `No service matches "${idOrName}". Use search_services to find the right one.`);
}

/** What wording a time for a customer takes: the tenant's language, in its zone. */
export type SlotWording = Pick<BookingContext, 'tenant' | 'policy'>;

export function slotOffer(context: SlotWording, start: string): SlotOffer {
  const zone = context.policy.schedule.timeZone;
  const local = DateTime.fromISO(start, { zone });
  return { start, date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm'), label: formatSlot(start, zone, context.tenant.language) };
}

export function bookingSummary(context: SlotWording, booking: BookingRecord): BookingSummary {
  const { id, serviceId, serviceName: service, status } = booking;
  return { id, serviceId, service, serviceNames: serviceNames(booking.serviceTranslations), status, ...slotOffer(context, booking.start.toISOString()) };
}

/** A time the schedule offers for a service, and who could take it. */
export interface OpenTime {
  start: Date;
  end: Date;
  resourceIds: string[];
}

/**
 * Whether the schedule offers a service at a local date and time. Bookings are left to the database,
 * which decides collisions as it writes; a refusal names the reason and comes with the nearest free times.
 */
export async function checkOpenTime(context: BookingContext, service: BookableService, date: string, time: string): Promise<OpenTime | BookingRefusal> {
  const { schedule } = context.policy;
  const { now } = context;
  const refuse = async (error: BookingError['error'], message: string, around: Date) =>
    refusal(error, message, await nearestFreeSlots(context, [service], around));

  const wanted = localDateTimeToInstant(date, time, schedule.timeZone);
  if (!wanted) return refuse('closed', `${time} does not exist on ${date}: the clocks change then.`, new Date(boundaryInstant(date, time, schedule.timeZone)));
  const start = new Date(wanted);
  if (start <= now) return refuse('past', `${date} ${time} has already passed.`, now);
  const lastDate = DateTime.fromJSDate(now, { zone: schedule.timeZone }).plus({ days: schedule.maxDaysAhead }).toFormat('yyyy-MM-dd');
  if (date > lastDate) {
    return refuse('too_far_ahead', `Appointments can be booked up to ${schedule.maxDaysAhead} days ahead, until ${lastDate}.`, new Date(now.getTime() + schedule.maxDaysAhead * DAY_MS));
  }
  if (start.getTime() < now.getTime() + schedule.minNoticeMinutes * MINUTE_MS) {
    return refuse('closed', `Appointments need at least ${schedule.minNoticeMinutes} minutes' notice.`, start);
  }
  const [slot] = availableSlots({ ...schedulingOf(context, service), bookings: [], from: start, to: new Date(start.getTime() + 1), now });
  if (!slot) return refuse('closed', `${date} ${time} is not a bookable time for this service.`, start);
  return { start, end: new Date(slot.end), resourceIds: slot.resourceIds };
}

/**
 * Whether the business's hours offer any of `services` in [from, to), booked or not, however soon:
 * a closed day or hour does not; a time too near or past does (it is not "closed").
 */
export function isOpen(context: BookingContext, services: readonly BookableService[], from: Date, to: Date): boolean {
  const now = new Date(from.getTime() - context.policy.schedule.minNoticeMinutes * MINUTE_MS);
  return services.some((service) => availableSlots({ ...schedulingOf(context, service), bookings: [], from, to, now }).length > 0);
}

/** Free times in [from, to) for any of `services`, once per start time, in time order. */
export async function freeSlots(context: BookingContext, services: readonly BookableService[], from: Date, to: Date): Promise<SlotOffer[]> {
  const bookings = await busyAround(context, from, to);
  const starts = services.flatMap((service) => availableSlots({ ...schedulingOf(context, service), bookings, from, to, now: context.now }).map((slot) => slot.start));
  return [...new Set(starts)].sort().map((start) => slotOffer(context, start));
}

/**
 * The free times nearest to `around` for any of `services`, in time order. `refused` is a time the
 * database has just found taken: it is not offered back, whatever an earlier read of bookings says.
 */
export async function nearestFreeSlots(
  context: BookingContext,
  services: readonly BookableService[],
  around: Date,
  refused?: { start: Date; end: Date },
): Promise<SlotOffer[]> {
  const window = ALTERNATIVE_WINDOW_DAYS * DAY_MS;
  const [from, to] = [new Date(around.getTime() - window), new Date(around.getTime() + window)];
  const refusedEverywhere: Booking[] = refused
    ? context.resources.map((resource) => ({ resourceId: resource.id, start: refused.start.toISOString(), end: refused.end.toISOString() }))
    : [];
  const bookings = [...(await busyAround(context, from, to)), ...refusedEverywhere];
  const distance = (start: string) => Math.abs(Date.parse(start) - around.getTime());
  const starts = services.flatMap((service) =>
    nearestSlots({ ...schedulingOf(context, service), bookings, from, to, now: context.now, around, count: ALTERNATIVE_COUNT }).map((slot) => slot.start),
  );
  // Ties go to the earlier time, as nearestSlots has it: the sort is stable and the starts come in time order.
  const nearest = [...new Set(starts)].sort().sort((a, b) => distance(a) - distance(b)).slice(0, ALTERNATIVE_COUNT);
  return nearest.sort().map((start) => slotOffer(context, start));
}

function schedulingOf(context: BookingContext, service: BookableService) {
  return { schedule: context.policy.schedule, service, resources: context.resources };
}

/**
 * The resources of an open time that are free in their external calendars too (buffers included).
 * The database guards against double booking among our own bookings; an event the business put in
 * its Google or Bitrix24 calendar only the calendar knows.
 */
export async function withoutExternallyBusy(context: BookingContext, open: OpenTime): Promise<OpenTime> {
  if (!context.calendars) return open;
  const { bufferBeforeMinutes, bufferAfterMinutes } = context.policy.schedule;
  const from = open.start.getTime() - bufferBeforeMinutes * MINUTE_MS;
  const to = open.end.getTime() + bufferAfterMinutes * MINUTE_MS;
  const busy = await context.calendars.busyTimes(context.tenant.id, new Date(from - BUSY_MARGIN_MS), new Date(to + BUSY_MARGIN_MS));
  const taken = new Set(busy.filter((block) => Date.parse(block.start) < to && from < Date.parse(block.end)).map((block) => block.resourceId));
  return { ...open, resourceIds: open.resourceIds.filter((id) => !taken.has(id)) };
}

async function busyAround(context: BookingContext, from: Date, to: Date): Promise<Booking[]> {
  const [wideFrom, wideTo] = [new Date(from.getTime() - BUSY_MARGIN_MS), new Date(to.getTime() + BUSY_MARGIN_MS)];
  const [booked, external] = await Promise.all([
    loadBusyTimes(context.pool, context.tenant.id, wideFrom, wideTo),
    context.calendars?.busyTimes(context.tenant.id, wideFrom, wideTo) ?? [],
  ]);
  return [...booked, ...external];
}
