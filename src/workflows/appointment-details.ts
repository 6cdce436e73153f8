import { setCurrentDetails } from '@temporalio/workflow';
import type { PlannedAppointment } from '../activities/reminders';
import type { AppointmentState, PlannedReminder } from './appointment-definitions';
import { workflowLink } from './details';
import { customerOrUnnamed, reminderSummary } from './summaries';

/**
 * The appointment's "Current Details" in the Temporal UI: the booking as last read, its next
 * reminder and its conversation. Local times come labelled from the activity that read the
 * booking (histories from before the labels show the instants as stored).
 */
export function showAppointmentDetails(state: AppointmentState, appointment: PlannedAppointment | undefined, next: PlannedReminder | 'done' | undefined): void {
  if (!appointment) {
    setCurrentDetails(`**Status** the booking is gone · **Booking** ${state.bookingId}`);
    return;
  }
  const when = appointment.startLabel ?? appointment.start;
  const status = next === 'done' ? (appointment.status === 'cancelled' ? 'cancelled' : 'over') : appointment.status;
  const reminder =
    next === 'done' ? '' : next ? `**Next reminder** ${reminderSummary(next.offsetMinutes)}: ${labelOf(appointment, next) ?? next.at}` : '**Next reminder** none left';
  setCurrentDetails(
    [
      `**${appointment.serviceName}** · ${customerOrUnnamed(appointment.customerName, appointment.language)} · ${when} (${appointment.timeZone})`,
      [`**Status** ${status}`, reminder].filter(Boolean).join(' · '),
      appointment.conversationId ? `**Conversation** ${workflowLink(appointment.conversationId)}` : `**Contact** ${appointment.contactKey ?? appointment.contactId} on ${appointment.channel}`,
    ].join('\n\n'),
  );
}


/** The reminder's local time, as the activity that read the booking labelled it. */
function labelOf(appointment: PlannedAppointment, reminder: PlannedReminder): string | undefined {
  return appointment.reminders.find((planned) => planned.at === reminder.at)?.label;
}
