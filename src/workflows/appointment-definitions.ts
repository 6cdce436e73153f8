import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Reminder } from '../domain/scheduling/reminders';

/** The appointment workflow's interface: one workflow per booking, for its reminders. */

export interface AppointmentInput {
  tenantId: string;
  bookingId: string;
}

/** A reminder as planned: when it goes out, and whether it went. */
export type PlannedReminder = Reminder & { sent: boolean };

export interface AppointmentState extends AppointmentInput {
  /** `waiting`: reminders to come; `done`: the appointment is over or was cancelled. */
  phase: 'waiting' | 'done';
  /** The appointment's start as last read from PostgreSQL. */
  start?: string;
  reminders: PlannedReminder[];
}

/** CONTRACT.md: `appointment:<bookingId>`. */
export function appointmentWorkflowId(bookingId: string): string {
  return `appointment:${bookingId}`;
}

/** The booking changed (created, moved, cancelled, confirmed): re-read it and re-plan. */
export const bookingChangedSignal = defineSignal<[]>('bookingChanged');
export const appointmentStateQuery = defineQuery<AppointmentState>('state');
