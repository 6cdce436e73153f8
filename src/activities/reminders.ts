import { log } from '@temporalio/activity';
import type { ChannelSetupLookup } from '../channels/setup';
import { loadAppointment, type Appointment } from '../db/appointments';
import { isOptedOut } from '../db/contacts';
import type { Pool } from '../db/pool';
import { conversationIdFor, temporalContactId } from '../domain/contact-key';
import type { ConversationRef } from '../domain/conversation';
import { reminderChoices, reminderTemplateParameters, reminderText } from '../domain/reminder-text';
import { formatSlot } from '../domain/scheduling/availability';
import { reminderTimes, type Reminder } from '../domain/scheduling/reminders';
import type { TemporalAccess } from '../temporal/appointments';
import type { AppointmentInput } from '../workflows/appointment-definitions';
import { USAGE_METRICS } from '../domain/usage-metrics';
import { proactiveMessageSender } from './proactive-messages';
import { eventCounter, recordUsage } from './usage';

/**
 * The booking as it stands, and when its reminders are due if planned from `now`. The labels and
 * the conversation's id are for the Temporal UI (absent in histories from before them).
 */
export type PlannedAppointment = Appointment & {
  reminders: Array<Reminder & { label?: string }>;
  /** "jueves 3 de diciembre, 10:00", on the tenant's clock and in its language. */
  startLabel?: string;
  conversationId?: string;
  /** The contact's key, for a tenant with opaque contact keys: Temporal shows it, never the contact. */
  contactKey?: string;
};

/** `to-conversation`: handed to the contact's conversation, which writes it down and sends it. */
export type ReminderResult = { delivery: 'to-conversation' } | { delivery: 'not-sent'; reason: 'opted-out' };

export interface ReminderDelivery {
  ref: ConversationRef;
  appointment: Appointment;
  /** The workflow's clock: "mañana" is relative to it. */
  sentAt: string;
  idempotencyKey: string;
}

export function createReminderActivities(deps: { pool: Pool; temporal: TemporalAccess; channels: ChannelSetupLookup }) {
  const sendProactive = proactiveMessageSender(deps);
  return {
    /**
     * The booking as it stands now (PostgreSQL is its truth), or undefined when it is gone. The
     * reminder times are worked out here, not in the workflow: they depend on time-zone rules,
     * which change with Node.js releases, and a replayed workflow must reach the same decisions.
     * `now` is the workflow's clock, so that past reminders are those it considers past.
     */
    async loadAppointment({ tenantId, bookingId, now }: AppointmentInput & { now: string }): Promise<PlannedAppointment | undefined> {
      const appointment = await loadAppointment(deps.pool, tenantId, bookingId);
      if (!appointment) return undefined;
      const reminders = reminderTimes({
        appointmentStart: appointment.start,
        offsetsMinutes: appointment.reminderOffsetsMinutes,
        quietHours: appointment.quietHours,
        timeZone: appointment.timeZone,
        now,
      });
      const label = (instant: string) => formatSlot(instant, appointment.timeZone, appointment.language);
      const ref = { tenantId, channel: appointment.channel, contactId: appointment.contactId };
      return {
        ...appointment,
        reminders: reminders.map((reminder) => ({ ...reminder, label: label(reminder.at) })),
        startLabel: label(appointment.start),
        conversationId: conversationIdFor(ref, appointment, deps.temporal.contactKeySecret),
        // Only where it differs: what the workflow shows and searches by in place of the contact.
        ...(appointment.opaqueContactKeys ? { contactKey: temporalContactId(ref, appointment, deps.temporal.contactKeySecret) } : {}),
      };
    },

    /**
     * Writes the reminder in the tenant's language and clock and hands it to the contact's
     * conversation, which writes it into the transcript (so that "cancelar" or a button press
     * answering it acts on this booking) and sends it through the channel, once. A contact who
     * opted out gets none; the conversation's send checks that again.
     */
    async sendReminder({ ref, appointment, sentAt, idempotencyKey }: ReminderDelivery): Promise<ReminderResult> {
      if (await isOptedOut(deps.pool, ref)) {
        log.info('reminder not sent: the contact opted out', { channel: ref.channel });
        return { delivery: 'not-sent', reason: 'opted-out' };
      }
      const wording = {
        language: appointment.language,
        serviceName: appointment.serviceName,
        customerName: appointment.customerName,
        appointmentStart: appointment.start,
        timeZone: appointment.timeZone,
      };
      const confirmed = appointment.status === 'confirmed';
      const message = {
        id: idempotencyKey,
        text: reminderText({ ...wording, confirmed, sentAt }),
        templateParameters: reminderTemplateParameters(wording),
        choices: reminderChoices(appointment.language, confirmed),
      };
      await sendProactive(ref, message);
      await recordUsage(deps.pool, [eventCounter(USAGE_METRICS.remindersSent, ref.tenantId, { channel: ref.channel })]);
      return { delivery: 'to-conversation' };
    },
  };
}
