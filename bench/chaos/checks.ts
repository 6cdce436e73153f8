import type { Client } from '@temporalio/client';
import { mapLimit } from '../concurrency';
import { conciergeDelivery } from '../delivery';
import { DateTime } from 'luxon';
import { loadAppointment } from '../../src/db/appointments';
import type { Pool } from '../../src/db/pool';
import { conversationWorkflowId, type Channel } from '../../src/domain/conversation';
import { reminderTimes } from '../../src/domain/scheduling/reminders';
import { appointmentWorkflowId, type AppointmentState } from '../../src/workflows/appointment-definitions';
import type { Delivered } from './channels';
import type { SentMessage } from './customers';
import { answeredTags } from './script';

/** One check's verdict and the line that says it. */
export interface Check {
  name: string;
  ok: boolean;
  line: string;
}

export interface Counts {
  messagesSent: number;
  messagesAccepted: number;
  redelivered: number;
  webhookRefusals: number;
  unaccepted: number;
  lost: number;
  duplicated: number;
  /** Messages the conversation recorded, or replied to, more than once (its transcript). */
  recordedTwice: number;
  /** Messages found in their conversation's transcript window (older ones are folded away). */
  inTranscripts: number;
  /** Conversations whose transcript could not be read. */
  unreadConversations: number;
  bookings: number;
  liveBookings: number;
  cancelledBookings: number;
  duplicateBookings: number;
  overlappingBookings: number;
  leads: number;
  duplicateLeads: number;
  remindersSent: number;
  remindersMissing: number;
  cancelledStillScheduled: number;
  remindersAfterCancel: number;
}

export interface CheckInput {
  sent: readonly SentMessage[];
  delivered: readonly Delivered[];
  /** Every booking id a create_booking result gave the model. */
  bookingsSeen: ReadonlySet<string>;
  /** The run's customers, as `channel:contact`. */
  contacts: readonly string[];
  pool: Pool;
  temporal: Client;
}

const TENANT = 'demo';
/** Reminders due within this long of the check may be on their way: not counted either way. */
const IN_FLIGHT_MS = 10_000;

export async function runChecks(input: CheckInput): Promise<{ checks: Check[]; counts: Counts }> {
  const messages = { ...messageCounts(input.sent, input.delivered), ...(await transcriptCounts(input)) };
  const bookings = await bookingCounts(input);
  const leads = await leadCounts(input);
  const reminders = await reminderCounts(input);
  const counts: Counts = { ...messages, ...bookings, ...leads, ...reminders };
  const checks: Check[] = [
    check('webhooks', counts.unaccepted === 0,
      `${counts.messagesSent} messages, ${counts.messagesAccepted} accepted (${counts.webhookRefusals} refusals retried, ${counts.redelivered} delivered twice), ${counts.unaccepted} never accepted`),
    check('messages', counts.lost === 0 && counts.duplicated === 0 && counts.recordedTwice === 0 && counts.unreadConversations === 0,
      `every accepted message answered exactly once: ${counts.lost} lost, ${counts.duplicated} duplicated at the phones, ` +
        `${counts.recordedTwice} recorded or answered twice in the transcripts (${counts.inTranscripts} found there, ${counts.unreadConversations} conversations unread)`),
    check('bookings', counts.duplicateBookings === 0 && counts.overlappingBookings === 0,
      `${counts.bookings} bookings (${counts.liveBookings} live, ${counts.cancelledBookings} cancelled): ${counts.duplicateBookings} duplicate, ${counts.overlappingBookings} overlapping`),
    check('leads', counts.duplicateLeads === 0, `${counts.leads} leads: ${counts.duplicateLeads} duplicate`),
    check('reminders', counts.remindersMissing === 0 && counts.cancelledStillScheduled === 0 && counts.remindersAfterCancel === 0,
      `live bookings: ${counts.remindersMissing} reminders not scheduled; cancelled: ${counts.cancelledStillScheduled} still scheduled, ` +
        `${counts.remindersAfterCancel} reminders sent after the cancel (${counts.remindersSent} reminders sent in all)`),
  ];
  return { checks, counts };
}

function check(name: string, ok: boolean, line: string): Check {
  return { name, ok, line: `${ok ? 'ok  ' : 'FAIL'} ${name}: ${line}` };
}

/** Replies per accepted message, from what reached the customers' phones. */
function messageCounts(sent: readonly SentMessage[], delivered: readonly Delivered[]) {
  const replies = new Map<string, number>();
  for (const message of delivered) {
    for (const tag of answeredTags(message.text)) replies.set(tag, (replies.get(tag) ?? 0) + 1);
  }
  const accepted = sent.filter((message) => message.accepted);
  return {
    messagesSent: sent.length,
    messagesAccepted: accepted.length,
    redelivered: sent.filter((message) => message.redelivered).length,
    webhookRefusals: sent.reduce((sum, message) => sum + message.refusals.length, 0),
    unaccepted: sent.length - accepted.length,
    lost: accepted.filter((message) => !replies.has(message.tag)).length,
    duplicated: accepted.filter((message) => (replies.get(message.tag) ?? 0) > 1).length,
  };
}

/**
 * The conversations' own record (their `state` query, as bench/delivery.ts reads it): a message
 * recorded twice, or named by two replies, is a duplicate even if the outbox sent one. Lost
 * messages are counted at the phones only: older entries are folded out of the transcript.
 */
async function transcriptCounts({ sent, temporal }: CheckInput) {
  const byContact = new Map<string, SentMessage[]>();
  for (const message of sent) {
    if (message.accepted) byContact.set(message.contact, [...(byContact.get(message.contact) ?? []), message]);
  }
  const check = conciergeDelivery(temporal);
  let unreadConversations = 0;
  const found = await mapLimit([...byContact], 8, async ([contact, messages]) => {
    const [channel, contactId] = contact.split(':') as [Channel, string];
    const workflowId = conversationWorkflowId({ tenantId: TENANT, channel, contactId });
    try {
      const delivery = await check(workflowId, messages.map((message) => message.messageId));
      return { duplicated: delivery.duplicated.length, recorded: messages.length - delivery.unrecorded.length };
    } catch {
      unreadConversations++;
      return { duplicated: 0, recorded: 0 };
    }
  });
  return {
    recordedTwice: found.reduce((total, one) => total + one.duplicated, 0),
    inTranscripts: found.reduce((total, one) => total + one.recorded, 0),
    unreadConversations,
  };
}

interface BookingRow {
  id: string;
  channel: string;
  contactId: string;
  serviceName: string;
  status: string;
  start: Date;
  updatedAt: Date;
}

async function customerBookings({ pool, contacts }: CheckInput): Promise<BookingRow[]> {
  const { rows } = await pool.query<BookingRow>(
    `SELECT b.id, b.channel, b.contact_id AS "contactId", s.name AS "serviceName", b.status, b.starts_at AS start, b.updated_at AS "updatedAt"
     FROM bookings b JOIN services s ON s.tenant_id = b.tenant_id AND s.id = b.service_id
     WHERE b.tenant_id = $1 AND b.channel || ':' || b.contact_id = ANY($2)`,
    [TENANT, contacts],
  );
  return rows;
}

/**
 * A duplicate is a booking no create_booking result told the model of (a retry that booked again
 * instead of finding its first booking); an overlap, two live bookings of one resource whose
 * times (with buffers) meet.
 */
async function bookingCounts(input: CheckInput) {
  const rows = await customerBookings(input);
  const { rows: overlaps } = await input.pool.query<{ count: string }>(
    `SELECT count(*) FROM bookings a JOIN bookings b
       ON a.tenant_id = b.tenant_id AND a.resource_id = b.resource_id AND a.id < b.id AND a.blocked && b.blocked
     WHERE a.tenant_id = $1 AND a.status <> 'cancelled' AND b.status <> 'cancelled'`,
    [TENANT],
  );
  return {
    bookings: rows.length,
    liveBookings: rows.filter((row) => row.status !== 'cancelled').length,
    cancelledBookings: rows.filter((row) => row.status === 'cancelled').length,
    duplicateBookings: rows.filter((row) => !input.bookingsSeen.has(row.id)).length,
    overlappingBookings: Number(overlaps[0]!.count),
  };
}

/** More than one live lead for a contact, or a lead created more than once. */
async function leadCounts({ pool, contacts }: CheckInput) {
  const { rows } = await pool.query<{ leads: string; contacts: string; created: string }>(
    `WITH ours AS (SELECT id, channel, contact_id FROM leads WHERE tenant_id = $1 AND deleted_at IS NULL AND channel || ':' || contact_id = ANY($2))
     SELECT (SELECT count(*) FROM ours) AS leads,
            (SELECT count(DISTINCT (channel, contact_id)) FROM ours) AS contacts,
            (SELECT count(*) FROM lead_events e JOIN ours ON ours.id = e.lead_id WHERE e.kind = 'created') AS created`,
    [TENANT, contacts],
  );
  const { leads, contacts: distinct, created } = rows[0]!;
  return { leads: Number(leads), duplicateLeads: Number(leads) - Number(distinct) + Math.max(0, Number(created) - Number(leads)) };
}

/**
 * Live bookings: their appointment workflow runs and has every reminder still ahead planned, at
 * the times the booking's policy gives. Cancelled ones: their workflow plans nothing, and no
 * reminder naming their time reached the customer after the cancel.
 */
async function reminderCounts(input: CheckInput) {
  const rows = await customerBookings(input);
  const reminders = input.delivered.filter((message) => message.text.includes('Recordatorio') || message.text.includes('Reminder'));
  const now = Date.now();
  let remindersMissing = 0;
  let cancelledStillScheduled = 0;
  let remindersAfterCancel = 0;
  for (const row of rows) {
    const appointment = await loadAppointment(input.pool, TENANT, row.id);
    if (!appointment) continue;
    const state = await appointmentState(input.temporal, row.id);
    // A finished workflow keeps its last plan in its state: only a waiting one will still send.
    const planned = state?.phase === 'waiting' ? state.reminders.filter((reminder) => !reminder.sent && Date.parse(reminder.at) > now + IN_FLIGHT_MS) : [];
    if (row.status === 'cancelled') {
      if (planned.length > 0) cancelledStillScheduled++;
      const live = rows.some((other) => other.status !== 'cancelled' && other.contactId === row.contactId && other.start.getTime() === row.start.getTime());
      if (!live) remindersAfterCancel += reminders.filter((message) => message.at > row.updatedAt.getTime() && names(message, row, appointment.timeZone)).length;
      continue;
    }
    if (Date.parse(appointment.end) <= now) continue;
    const expected = reminderTimes({
      appointmentStart: appointment.start,
      offsetsMinutes: appointment.reminderOffsetsMinutes,
      quietHours: appointment.quietHours,
      timeZone: appointment.timeZone,
      now: new Date(now + IN_FLIGHT_MS).toISOString(),
    });
    remindersMissing += expected.filter((reminder) => !planned.some((plan) => plan.offsetMinutes === reminder.offsetMinutes && plan.at === reminder.at)).length;
  }
  return { remindersSent: reminders.length, remindersMissing, cancelledStillScheduled, remindersAfterCancel };
}

/** The workflow's state, or undefined when it has none (never started, or its history is gone). */
async function appointmentState(temporal: Client, bookingId: string): Promise<AppointmentState | undefined> {
  try {
    return await temporal.workflow.getHandle(appointmentWorkflowId(bookingId)).query<AppointmentState>('state');
  } catch {
    return undefined;
  }
}

/** Whether a reminder is about this booking: its contact, service and local time. */
function names(message: Delivered, booking: BookingRow, timeZone: string): boolean {
  const time = DateTime.fromJSDate(booking.start, { zone: timeZone }).toFormat('H:mm');
  return message.contact === `${booking.channel}:${booking.contactId}` && message.text.includes(booking.serviceName) && message.text.includes(`${time}.`);
}
