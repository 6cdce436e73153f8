import { loadAppointment, type Appointment } from '../db/appointments';
import type { ConversationRef } from '../domain/conversation';
import { reminderText } from '../domain/reminder-text';
import type { Pool } from '../db/pool';
import { reminderTimes, type Reminder } from '../domain/scheduling/reminders';
import type { AppointmentInput } from '../workflows/appointment-definitions';

/** The booking as it stands, and when its reminders are due if planned from `now`. */
export type PlannedAppointment = Appointment & { reminders: Reminder[] };

export interface ReminderDelivery {
  ref: ConversationRef;
  appointment: Appointment;
  /** The workflow's clock: "mañana" is relative to it. */
  sentAt: string;
  idempotencyKey: string;
}

type Send = (input: { ref: ConversationRef; text: string; idempotencyKey: string }) => Promise<{ sent: boolean }>;

export function createReminderActivities(deps: { pool: Pool; sendToContact: Send }) {
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
      return { ...appointment, reminders };
    },

    /** Writes the reminder in the tenant's language and clock, and sends it (once). */
    sendReminder({ ref, appointment, sentAt, idempotencyKey }: ReminderDelivery): Promise<{ sent: boolean }> {
      const text = reminderText({
        language: appointment.language,
        serviceName: appointment.serviceName,
        customerName: appointment.customerName,
        confirmed: appointment.status === 'confirmed',
        appointmentStart: appointment.start,
        sentAt,
        timeZone: appointment.timeZone,
      });
      return deps.sendToContact({ ref, text, idempotencyKey });
    },
  };
}
