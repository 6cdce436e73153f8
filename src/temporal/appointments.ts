import type { ConversationStarter } from './conversations';
import type { Client } from '@temporalio/client';
import type { Appointment } from '../db/appointments';
import { temporalContactId } from '../domain/contact-key';
import { formatSlot } from '../domain/scheduling/availability';
import { appointmentWorkflowId, bookingChangedSignal, type AppointmentInput } from '../workflows/appointment-definitions';
import { customerOrUnnamed } from '../workflows/summaries';
import { ChannelKey, ContactIdKey, TenantIdKey } from './search-attributes';

/** Where activities reach Temporal from: booking changes start or wake the appointment's workflow. */
/** Where appointment workflows run. */
export interface WorkflowPlace {
  client: Client;
  taskQueue: string;
  /** CONTACT_KEY_SECRET: names the contact in search attributes for tenants with opaque contact keys. */
  contactKeySecret?: ConversationStarter['contactKeySecret'];
}

export interface TemporalAccess extends WorkflowPlace {
  /** How a conversation an activity starts behaves (a reminder to a contact with none running). */
  conversationDefaults: ConversationStarter['conversationDefaults'];
}

/**
 * Tells the booking's appointment workflow that the booking changed, starting it if it is not
 * running. Safe to repeat: the workflow re-reads the booking from PostgreSQL either way. The
 * booking as it stands, when given, makes a new workflow findable by contact in the Temporal UI
 * and gives it its summary; without it the workflow sets its search attributes itself.
 */
export async function signalAppointment(temporal: WorkflowPlace, appointment: AppointmentInput, booking?: Appointment): Promise<void> {
  await temporal.client.workflow.signalWithStart('appointmentWorkflow', {
    ...startOptions(temporal, appointment, booking),
    signal: bookingChangedSignal,
    signalArgs: [],
  });
}

/** Starts the booking's appointment workflow; WorkflowExecutionAlreadyStartedError if it runs. */
export async function startAppointment(temporal: WorkflowPlace, appointment: AppointmentInput, booking?: Appointment): Promise<void> {
  await temporal.client.workflow.start('appointmentWorkflow', startOptions(temporal, appointment, booking));
}

function startOptions(temporal: WorkflowPlace, appointment: AppointmentInput, booking: Appointment | undefined) {
  return {
    workflowId: appointmentWorkflowId(appointment.bookingId),
    taskQueue: temporal.taskQueue,
    args: [appointment],
    typedSearchAttributes: [
      { key: TenantIdKey, value: appointment.tenantId },
      ...(booking
        ? [
            { key: ContactIdKey, value: temporalContactId({ tenantId: appointment.tenantId, ...booking }, booking, temporal.contactKeySecret) },
            { key: ChannelKey, value: booking.channel },
          ]
        : []),
    ],
    ...(booking ? { staticSummary: appointmentSummary(booking) } : {}),
  };
}

/**
 * "Limpieza facial profunda · Ana García · jueves 3 de diciembre, 10:00": what was booked, as
 * booked (the workflow's current details follow a move). Made here, not in the workflow: the
 * local time needs time-zone rules, which a workflow must not depend on.
 */
export function appointmentSummary(booking: Appointment): string {
  const customer = customerOrUnnamed(booking.customerName, booking.language);
  return `${booking.serviceName} · ${customer} · ${formatSlot(booking.start, booking.timeZone, booking.language)}`;
}
