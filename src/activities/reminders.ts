import { loadAppointment, type Appointment } from '../db/appointments';
import type { Pool } from '../db/pool';
import type { AppointmentInput } from '../workflows/appointment-definitions';

export function createReminderActivities(deps: { pool: Pool }) {
  return {
    /** The booking as it stands now (PostgreSQL is its truth), or undefined when it is gone. */
    loadAppointment: ({ tenantId, bookingId }: AppointmentInput): Promise<Appointment | undefined> =>
      loadAppointment(deps.pool, tenantId, bookingId),
  };
}

export type ReminderActivities = ReturnType<typeof createReminderActivities>;
