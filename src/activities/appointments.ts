import type { AppointmentInput } from '../workflows/appointment-definitions';
import { signalAppointment, type TemporalAccess } from '../temporal/appointments';

export function createAppointmentActivities(deps: { temporal: TemporalAccess }) {
  return {
    /** Starts the booking's appointment workflow, or tells it the booking changed. */
    followBooking: (appointment: AppointmentInput): Promise<void> => signalAppointment(deps.temporal, appointment),
  };
}
