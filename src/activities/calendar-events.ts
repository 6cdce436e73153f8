import { ApplicationFailure } from '@temporalio/activity';
import type { CalendarEventInput, ExternalCalendarProvider } from '../calendars/adapter';
import type { ExternalCalendars } from '../calendars/external-calendars';
import type { ChannelSetupLookup } from '../channels/setup';
import { loadBookingForEvent, loadCalendarSetup, recordBookingEvent, type BookingForEvent, type RecordedEvent } from '../db/calendars';
import type { Pool } from '../db/pool';
import { meetLinkText } from '../domain/meet-link-text';
import { reminderTemplateParameters } from '../domain/reminder-text';
import { formatSlot } from '../domain/scheduling/availability';
import type { TemporalAccess } from '../temporal/appointments';
import type { AppointmentInput } from '../workflows/appointment-definitions';
import { proactiveMessageSender } from './proactive-messages';

/** What the sync did, for the workflow's history. */
export type CalendarSyncResult = { event: 'none' | 'created' | 'updated' | 'deleted' | 'unchanged'; meetLinkSent?: boolean };

export function createCalendarEventActivities(deps: { pool: Pool; calendars: ExternalCalendars; temporal: TemporalAccess; channels: ChannelSetupLookup }) {
  const sendProactive = proactiveMessageSender(deps);

  /** The customer gets each video call link once: the conversation records a message id once. */
  async function sendMeetLink(booking: BookingForEvent, link: string): Promise<void> {
    const ref = { tenantId: booking.tenantId, channel: booking.channel, contactId: booking.contactId };
    const wording = { language: booking.language, serviceName: booking.serviceName, customerName: booking.customerName, appointmentStart: booking.start, timeZone: booking.timeZone };
    const text = meetLinkText(booking.language, booking.serviceName, formatSlot(booking.start, booking.timeZone, booking.language), link);
    // Where only a template may go, the reminder's says when; the link waits for the customer's next message.
    await sendProactive(ref, { id: `meet-link:${booking.bookingId}:${link}`, text, templateParameters: reminderTemplateParameters(wording) });
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
      if (!booking) return { event: 'none' };
      const { accounts } = await loadCalendarSetup(deps.pool, tenantId);
      const adapterFor = (provider: ExternalCalendarProvider) => {
        const adapter = deps.calendars.adapter(tenantId, provider, accounts);
        if (!adapter) throw ApplicationFailure.nonRetryable(`The tenant has no ${provider} calendar account any more`, 'CalendarRefused');
        return adapter;
      };
      const record = (event: RecordedEvent) => recordBookingEvent(deps.pool, tenantId, bookingId, event);
      // Where the event belongs now: nowhere once cancelled; the resource's calendar, which a move to another resource changes.
      const wanted = booking.status === 'cancelled' ? null : booking.calendar;
      let current = booking.event?.start ? booking.event : undefined;

      if (current && (current.provider !== wanted?.provider || current.calendarId !== wanted.calendarId)) {
        await adapterFor(current.provider).deleteEvent(current.calendarId, current.eventId);
        await record({ ...current, meetLink: current.meetLink ?? undefined, times: undefined });
        if (!wanted) return { event: 'deleted' };
        current = undefined;
      }
      if (!wanted) return { event: 'none' };

      const adapter = adapterFor(wanted.provider);
      const times = { start: booking.start, end: booking.end };
      const input = eventInput(booking, accounts.google?.meet === true && adapter.provider === 'google');
      if (!current) {
        const created = await adapter.createEvent(wanted.calendarId, input);
        await record({ provider: adapter.provider, calendarId: wanted.calendarId, ...created, times });
        if (created.meetLink) await sendMeetLink(booking, created.meetLink);
        return { event: 'created', ...(created.meetLink ? { meetLinkSent: true } : {}) };
      }
      if (Date.parse(current.start!) === Date.parse(times.start) && current.end && Date.parse(current.end) === Date.parse(times.end)) return { event: 'unchanged' };
      await adapter.updateEvent(wanted.calendarId, current.eventId, input);
      await record({ ...current, meetLink: current.meetLink ?? undefined, times });
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
