import { ActivityFailure, condition, log, patched, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PlannedAppointment } from '../activities/reminders';
import { ChannelKey, ContactIdKey } from '../temporal/search-attributes';
import { CALENDAR_SYNC, DELIVERY, STORAGE } from './activity-options';
import { reminderKey } from '../domain/reminder-key';
import { showAppointmentDetails } from './appointment-details';
import { reminderSummary, TIMER_SUMMARIES } from './summaries';
import {
  appointmentStateQuery,
  bookingChangedSignal,
  type AppointmentInput,
  type AppointmentState,
  type PlannedReminder,
} from './appointment-definitions';

export * from './appointment-definitions';

const { loadAppointment } = proxyActivities<Activities>(STORAGE);
const { sendToContact, sendReminder } = proxyActivities<Activities>(DELIVERY);
const { syncCalendarEvent } = proxyActivities<Activities>(CALENDAR_SYNC);

/**
 * The reminder's text is written by the activity that sends it: dates and times in the tenant's
 * words depend on time-zone and locale rules that change with library releases, and a workflow's
 * decisions must not. Runs from before this still write it themselves.
 */
const REMINDER_TEXT_IN_ACTIVITY_PATCH = 'reminder-text-in-activity';
/**
 * Appointments are found by contact and channel in the Temporal UI. New ones get the attributes
 * at start; one started without them (before this, or by a starter that did not read the
 * booking) sets them itself once it has read the booking.
 */
const APPOINTMENT_SEARCH_ATTRIBUTES_PATCH = 'appointment-search-attributes';
/** A booking of a resource with an external calendar keeps an event there (created, moved, deleted). */
const CALENDAR_EVENT_PATCH = 'calendar-event';

/**
 * One booking's reminders. PostgreSQL holds the booking; this workflow only keeps time. Every
 * wake-up (a change signalled, a reminder due) re-reads the booking first, so a reminder never
 * goes out for a time the booking no longer has, nor after it was cancelled, signalled or not.
 * A booking changes a handful of times: the history stays small without continue-as-new.
 */
export async function appointmentWorkflow(input: AppointmentInput): Promise<AppointmentState> {
  const state: AppointmentState = { ...input, phase: 'waiting', reminders: [] };
  let changed = false;
  setHandler(bookingChangedSignal, () => {
    changed = true;
  });
  setHandler(appointmentStateQuery, () => state);
  const calendar = new CalendarFollower(input);

  const send = async (appointment: PlannedAppointment, reminder: PlannedReminder) => {
    const { tenantId, bookingId } = input;
    const ref = { tenantId, channel: appointment.channel, contactId: appointment.contactId };
    const idempotencyKey = reminderKey(bookingId, appointment.start, reminder.offsetMinutes);
    try {
      if (patched(REMINDER_TEXT_IN_ACTIVITY_PATCH)) {
        await sendReminder.executeWithOptions({ summary: `${reminderSummary(reminder.offsetMinutes)} on ${ref.channel}` }, [
          { ref, appointment, sentAt: new Date().toISOString(), idempotencyKey },
        ]);
      } else {
        // Required here, not imported: only runs from before the patch write texts (with luxon),
        // and each workflow loads its own copy of every module it imports.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { reminderText } = require('../domain/reminder-text') as typeof import('../domain/reminder-text');
        await sendToContact({
          ref,
          text: reminderText({
            language: appointment.language,
            serviceName: appointment.serviceName,
            customerName: appointment.customerName,
            confirmed: appointment.status === 'confirmed',
            appointmentStart: appointment.start,
            sentAt: new Date().toISOString(),
            timeZone: appointment.timeZone,
          }),
          idempotencyKey,
        });
      }
      reminder.sent = true;
    } catch (error) {
      // A channel that refuses for good (contact blocked the bot…): the appointment still stands.
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('reminder could not be delivered', { offsetMinutes: reminder.offsetMinutes, error: error.cause?.message });
      state.reminders = state.reminders.filter((planned) => planned !== reminder);
    }
  };

  for (;;) {
    // Cleared before the read: a change signalled while it runs makes the loop read again.
    changed = false;
    const appointment = await loadAppointment.executeWithOptions({ summary: 'read the booking' }, [{ ...input, now: new Date().toISOString() }]);
    if (appointment) findableByContact(appointment);
    if (!appointment || appointment.status === 'cancelled' || Date.now() >= Date.parse(appointment.end)) {
      if (changed) continue; // the read may predate the change (a finished booking moved ahead)
      if (appointment?.status === 'cancelled') calendar.follow(appointment);
      showAppointmentDetails(state, appointment, 'done');
      break;
    }
    calendar.follow(appointment);
    if (appointment.start !== state.start) {
      // New or moved. The plan is made once per start time: a reminder due at this very instant
      // must still be due when a change wakes the loop together with its timer.
      state.start = appointment.start;
      state.reminders = appointment.reminders.map(({ offsetMinutes, at }) => ({ offsetMinutes, at, sent: false }));
    }
    const due = pickDueReminder(state, Date.parse(appointment.start));
    if (due) await send(appointment, due);
    const next = state.reminders.find((reminder) => !reminder.sent);
    showAppointmentDetails(state, appointment, next);
    // After the last reminder, wait for the end: until then a move brings reminders back.
    const summary = next ? reminderSummary(next.offsetMinutes) : TIMER_SUMMARIES.appointmentEnd;
    await condition(() => changed, Math.max(1, Date.parse(next?.at ?? appointment.end) - Date.now()), { summary });
  }
  // The cancelled booking's event is deleted before the workflow ends.
  await calendar.settled();
  state.phase = 'done';
  return state;
}

/**
 * Keeps the booking's external event in step beside the reminders: a calendar that is down for
 * hours must not hold back a reminder. A booking that has (or had) an external calendar asks for
 * a sync whenever its times, resource or status change; changes that come while one runs are
 * taken by the next.
 */
class CalendarFollower {
  private wanted = 0;
  private synced = 0;
  private running?: Promise<void>;
  /** The booking as last asked for; undefined until it first had an external calendar. */
  private followed?: string;

  constructor(private readonly input: AppointmentInput) {}

  follow(appointment: PlannedAppointment): void {
    if (this.followed === undefined && !appointment.externalCalendar) return;
    const key = [appointment.status === 'cancelled', appointment.resourceId, appointment.start, appointment.end].join('|');
    if (key === this.followed || !patched(CALENDAR_EVENT_PATCH)) return;
    this.followed = key;
    this.wanted++;
    this.running ??= this.run();
  }

  async settled(): Promise<void> {
    await this.running;
  }

  private async run(): Promise<void> {
    while (this.synced < this.wanted) {
      const target = this.wanted;
      try {
        await syncCalendarEvent.executeWithOptions({ summary: 'calendar event follows the booking' }, [this.input]);
      } catch (error) {
        // The calendar refused for good (a revoked grant): the booking stands without its event.
        if (!(error instanceof ActivityFailure)) throw error;
        log.warn('calendar event not kept in step', { error: error.cause?.message });
      }
      this.synced = target;
    }
    this.running = undefined;
  }
}

/** Sets the contact's search attributes where the start did not. */
function findableByContact(appointment: PlannedAppointment): void {
  if (workflowInfo().typedSearchAttributes.get(ContactIdKey) !== undefined) return;
  if (!patched(APPOINTMENT_SEARCH_ATTRIBUTES_PATCH)) return;
  upsertSearchAttributes([
    { key: ContactIdKey, value: appointment.contactKey ?? appointment.contactId },
    { key: ChannelKey, value: appointment.channel },
  ]);
}

/**
 * The reminder to send now, if any. Of several due at once (no worker ran for a while) only the
 * latest goes out, and none once the appointment has begun; the others are dropped from the plan.
 */
function pickDueReminder(state: AppointmentState, appointmentStart: number): PlannedReminder | undefined {
  const now = Date.now();
  const due = state.reminders.filter((reminder) => !reminder.sent && Date.parse(reminder.at) <= now);
  const latest = now < appointmentStart ? due.at(-1) : undefined;
  state.reminders = state.reminders.filter((reminder) => !due.includes(reminder) || reminder === latest);
  return latest;
}
