import type { ConversationStarter } from './conversations';
import type { Client } from '@temporalio/client';
import { appointmentWorkflowId, bookingChangedSignal, type AppointmentInput } from '../workflows/appointment-definitions';
import { TenantIdKey } from './search-attributes';

/** Where activities reach Temporal from: booking changes start or wake the appointment's workflow. */
/** Where appointment workflows run. */
export interface WorkflowPlace {
  client: Client;
  taskQueue: string;
}

export interface TemporalAccess extends WorkflowPlace {
  /** How a conversation an activity starts behaves (a reminder to a contact with none running). */
  conversationDefaults: ConversationStarter['conversationDefaults'];
}

/**
 * Tells the booking's appointment workflow that the booking changed, starting it if it is not
 * running. Safe to repeat: the workflow re-reads the booking from PostgreSQL either way.
 */
export async function signalAppointment(temporal: WorkflowPlace, appointment: AppointmentInput): Promise<void> {
  await temporal.client.workflow.signalWithStart('appointmentWorkflow', {
    ...startOptions(temporal, appointment),
    signal: bookingChangedSignal,
    signalArgs: [],
  });
}

/** Starts the booking's appointment workflow; WorkflowExecutionAlreadyStartedError if it runs. */
export async function startAppointment(temporal: WorkflowPlace, appointment: AppointmentInput): Promise<void> {
  await temporal.client.workflow.start('appointmentWorkflow', startOptions(temporal, appointment));
}

function startOptions(temporal: WorkflowPlace, appointment: AppointmentInput) {
  return {
    workflowId: appointmentWorkflowId(appointment.bookingId),
    taskQueue: temporal.taskQueue,
    args: [appointment],
    typedSearchAttributes: [{ key: TenantIdKey, value: appointment.tenantId }],
  };
}
