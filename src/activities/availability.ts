import { DateTime } from 'luxon';
import { searchServices } from '../db/catalogue';
import type { ExternalCalendars } from '../calendars/external-calendars';
import type { Pool } from '../db/pool';
import type { AvailabilityResult, SlotSuggestions } from '../domain/booking';
import { serviceNames } from '../domain/catalogue';
import { boundaryInstant, localDateTimeToInstant } from '../domain/scheduling/availability';
import type { ToolArgs } from '../domain/tools';
import { freeSlots, isOpen, isRefusal, loadBookingContext, nearestFreeSlots, resolveService } from './booking-context';
import { countedTool, type ToolAnswer, type ToolInput } from './tools';

const DAY_MS = 86_400_000;
/** How many times suggest_slots offers. */
const SUGGESTION_COUNT = 5;
/** suggest_slots looks this many days past its start; a fuller calendar than that needs a later date. */
const SUGGESTION_WINDOW_DAYS = 14;

interface AvailabilityDeps {
  pool: Pool;
  calendars?: ExternalCalendars;
}

/** The read-only booking tools: they answer in booking-link mode too. */
export function createAvailabilityActivities(deps: AvailabilityDeps) {
  return {
    checkAvailabilityTool: countedTool(deps, 'check_availability', checkAvailability),
    suggestSlotsTool: countedTool(deps, 'suggest_slots', suggestSlots),
  };
}

async function checkAvailability({ pool, calendars }: AvailabilityDeps, { ref, args }: ToolInput<ToolArgs<'check_availability'>>): Promise<ToolAnswer<AvailabilityResult>> {
  const context = await loadBookingContext(pool, ref.tenantId, calendars);
  if (isRefusal(context)) return context;
  const service = args.service === undefined ? undefined : await resolveService(context, args.service);
  if (service && isRefusal(service)) return service;
  // Without a service, a time is free when some service can be booked then.
  const services = service ? [service] : await searchServices(pool, ref.tenantId);

  const zone = context.policy.schedule.timeZone;
  const nextDate = DateTime.fromISO(args.date, { zone: 'utc' }).plus({ days: 1 }).toFormat('yyyy-MM-dd');
  const dayStart = new Date(boundaryInstant(args.date, '00:00', zone));
  const nextDayStart = new Date(boundaryInstant(nextDate, '00:00', zone));
  const daySlots = await freeSlots(context, services, dayStart, nextDayStart);
  // A time the clocks skip is never free; the nearest times are still worth offering.
  const wanted = args.time === undefined ? undefined : localDateTimeToInstant(args.date, args.time, zone);
  const available = args.time === undefined ? daySlots.length > 0 : daySlots.some((slot) => slot.start === wanted);
  const around = args.time === undefined ? dayStart : new Date(boundaryInstant(args.date, args.time, zone));
  const slots = available ? daySlots : await nearestFreeSlots(context, services, around);
  const asked = wanted === undefined ? undefined : new Date(wanted);
  const closed = !available && !isOpen(context, services, asked ?? dayStart, asked ? new Date(asked.getTime() + 1) : nextDayStart);
  const named = service ? { service: service.name, serviceNames: serviceNames(service.translations) } : {};
  return { outcome: 'ok', content: { date: args.date, ...named, available, ...(closed ? { closed } : {}), slots } };
}

async function suggestSlots({ pool, calendars }: AvailabilityDeps, { ref, args }: ToolInput<ToolArgs<'suggest_slots'>>): Promise<ToolAnswer<SlotSuggestions>> {
  const context = await loadBookingContext(pool, ref.tenantId, calendars);
  if (isRefusal(context)) return context;
  const service = await resolveService(context, args.service);
  if (isRefusal(service)) return service;
  const fromDay = args.from === undefined ? 0 : Date.parse(boundaryInstant(args.from, '00:00', context.policy.schedule.timeZone));
  const from = new Date(Math.max(fromDay, context.now.getTime()));
  const slots = await freeSlots(context, [service], from, new Date(from.getTime() + SUGGESTION_WINDOW_DAYS * DAY_MS));
  return { outcome: 'ok', content: { service: service.name, serviceNames: serviceNames(service.translations), slots: slots.slice(0, SUGGESTION_COUNT) } };
}
