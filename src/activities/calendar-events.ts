import { ApplicationFailure } from '@temporalio/activity';
import type { CalendarEventInput } from '../calendars/adapter';
import type { ExternalCalendars } from '../calendars/external-calendars';
import type { ChannelSetupLookup } from '../channels/setup';
import { loadBookingForEvent, loadCalendarSetup, recordBookingEvent, type BookingForEvent } from '../db/calendars';
import type { Pool } from '../db/pool';
import { cachedTenantLookup } from '../db/tenants';
import { meetLinkText } from '../domain/meet-link-text';
import { reminderTemplateParameters } from '../domain/reminder-text';
import { formatSlot } from '../domain/scheduling/availability';
import type { TemporalAccess } from '../temporal/appointments';
import { deliverProactiveMessage } from '../temporal/conversations';
import type { AppointmentInput } from '../workflows/appointment-definitions';

/** What the sync did, for the workflow's history. */
export type CalendarSyncResult = { event: 'none' | 'created' | 'updated' | 'deleted' | 'unchanged'; meetLinkSent?: boolean };

export function createCalendarEventActivities(deps: { pool: Pool; calendars: ExternalCalendars; temporal: TemporalAccess; channels: ChannelSetupLookup }) {
  const findTenant = cachedTenantLookup(deps.pool);

  /** The customer gets the video call's link once: the conversation records a message id once. */
  async function sendMeetLink(booking: BookingForEvent, link: string): Promise<void> {
    const tenant = await findTenant(booking.tenantId);
    if (!tenant) return;
    const ref = { tenantId: booking.tenantId, channel: booking.channel, contactId: booking.contactId };
    const wording = { language: booking.language, serviceName: booking.serviceName, customerName: booking.customerName, appointmentStart: booking.start, timeZone: booking.timeZone };
    const setup = ref.channel === 'web' ? undefined : await deps.channels(ref.tenantId, ref.channel);
    const text = meetLinkText(booking.language, booking.serviceName, formatSlot(booking.start, booking.timeZone, booking.language), link);
    // Where only a template may go, the reminder's says when; the link waits for the customer's next message.
    await deliverProactiveMessage(deps.temporal, tenant, ref, { id: `meet-link:${booking.bookingId}`, text, templateParameters: reminderTemplateParameters(wording) }, setup?.quietPeriodMs);
  }

  return {
    /**
     * Makes the booking's event in its resource's external calendar match the booking: created
     * after the booking (PostgreSQL decided it), moved with it, deleted when it is cancelled. Safe
     * to retry at any point: a create finds the event an earlier attempt made, a delete of a gone
     * event is done. While the calendar is down the activity is retried; the booking stands.
     */
    async syncCalendarEvent({ tenantId, bookingId }: AppointmentInput): Promise<CalendarSyncResult> {
      const booking = await loadBookingForEvent(deps.pool, tenantId, bookingId);
      // An event made before is kept where it is, even if the resource's calendar changed since.
      const target = booking?.event ?? booking?.calendar;
      if (!booking || !target) return { event: 'none' };
      const { provider, calendarId } = target;
      const setup = await loadCalendarSetup(deps.pool, tenantId);
      const adapter = deps.calendars.adapter(tenantId, provider, setup.accounts);
      if (!adapter) throw ApplicationFailure.nonRetryable(`The tenant has no ${provider} calendar account any more`, 'CalendarRefused');

      const live = booking.status !== 'cancelled';
      const { event } = booking;
      if (!live) {
        if (!event?.start) return { event: event ? 'unchanged' : 'none' };
        await adapter.deleteEvent(calendarId, event.eventId);
        await recordBookingEvent(deps.pool, tenantId, bookingId, { ...event, meetLink: event.meetLink ?? undefined, times: undefined });
        return { event: 'deleted' };
      }
      const times = { start: booking.start, end: booking.end };
      const input = eventInput(booking, setup.accounts.google?.meet === true && adapter.provider === 'google');
      if (!event) {
        const created = await adapter.createEvent(calendarId, input);
        await recordBookingEvent(deps.pool, tenantId, bookingId, { provider: adapter.provider, calendarId, ...created, times });
        if (created.meetLink) await sendMeetLink(booking, created.meetLink);
        return { event: 'created', ...(created.meetLink ? { meetLinkSent: true } : {}) };
      }
      if (event.start && Date.parse(event.start) === Date.parse(times.start) && event.end && Date.parse(event.end) === Date.parse(times.end)) return { event: 'unchanged' };
      await adapter.updateEvent(calendarId, event.eventId, input);
      await recordBookingEvent(deps.pool, tenantId, bookingId, { ...event, meetLink: event.meetLink ?? undefined, times });
      return { event: 'updated' };
    },
  };
}

/** The event as the business sees it in its calendar: no phone number, the customer's name and service. */
function eventInput(booking: BookingForEvent, meet: boolean): CalendarEventInput {
  const who = booking.customerName ?? (booking.language === 'es' ? 'cliente' : 'customer');
  return {
    idempotencyKey: `concierge-booking-${booking.bookingId}`,
    title: `${booking.serviceName} — ${who}`,
    description: `${booking.businessName}: booked by Concierge with ${booking.resourceName} (booking ${booking.bookingId}).`,
    start: booking.start,
    end: booking.end,
    timeZone: booking.timeZone,
    attendees: booking.customerEmail ? [{ email: booking.customerEmail, ...(booking.customerName ? { name: booking.customerName } : {}) }] : [],
    meet,
  };
}
