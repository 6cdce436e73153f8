import { Context, log } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { listBookingsToFollow, loadAppointment } from '../db/appointments';
import type { Pool } from '../db/pool';
import { signalAppointment, startAppointment, type TemporalAccess } from '../temporal/appointments';
import type { AppointmentInput } from '../workflows/appointment-definitions';

export function createAppointmentActivities(deps: { pool: Pool; temporal: TemporalAccess }) {
  return {
    /** Starts the booking's appointment workflow, or tells it the booking changed. */
    followBooking: async (appointment: AppointmentInput): Promise<void> =>
      signalAppointment(deps.temporal, appointment, await loadAppointment(deps.pool, appointment.tenantId, appointment.bookingId)),

    /**
     * Gives every booking still ahead an appointment workflow if it has none running (one was
     * terminated, or a start was lost): reminders follow every booking, whatever happened. A
     * running workflow is left alone (no signal: its history stays small); a new one re-reads the
     * booking, and the outbox keeps a reminder already sent from going out twice.
     */
    async reconcileAppointments(): Promise<{ checked: number; started: number }> {
      const bookings = await listBookingsToFollow(deps.pool, new Date());
      let started = 0;
      for (const booking of bookings) {
        Context.current().heartbeat();
        try {
          await startAppointment(deps.temporal, booking, await loadAppointment(deps.pool, booking.tenantId, booking.bookingId));
          started++;
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }
      }
      if (started > 0) log.warn('appointment workflows were missing and have been started', { started });
      return { checked: bookings.length, started };
    },
  };
}
