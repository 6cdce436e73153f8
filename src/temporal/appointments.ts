import type { Client } from '@temporalio/client';
import { appointmentWorkflowId, bookingChangedSignal, type AppointmentInput } from '../workflows/appointment-definitions';
import { TenantIdKey } from './search-attributes';

/** Where activities reach Temporal from: booking changes start or wake the appointment's workflow. */
export interface TemporalAccess {
  client: Client;
  taskQueue: string;
}

/**
 * Tells the booking's appointment workflow that the booking changed, starting it if it is not
 * running. Safe to repeat: the workflow re-reads the booking from PostgreSQL either way.
 */
export async function signalAppointment(temporal: TemporalAccess, appointment: AppointmentInput): Promise<void> {
  await temporal.client.workflow.signalWithStart('appointmentWorkflow', {
    ...startOptions(temporal, appointment),
    signal: bookingChangedSignal,
    signalArgs: [],
  });
}

/** Starts the booking's appointment workflow; WorkflowExecutionAlreadyStartedError if it runs. */
export async function startAppointment(temporal: TemporalAccess, appointment: AppointmentInput): Promise<void> {
  await temporal.client.workflow.start('appointmentWorkflow', startOptions(temporal, appointment));
}

function startOptions(temporal: TemporalAccess, appointment: AppointmentInput) {
  return {
    workflowId: appointmentWorkflowId(appointment.bookingId),
    taskQueue: temporal.taskQueue,
    args: [appointment],
    typedSearchAttributes: [{ key: TenantIdKey, value: appointment.tenantId }],
  };
}
