import type { ActivityOptions, LocalActivityOptions, RetryPolicy } from '@temporalio/workflow';
import { ASSISTANT_STEP_HEARTBEAT_MS, ASSISTANT_STEP_TIMEOUT_MS } from '../domain/activity-deadlines';

/**
 * How every activity of the workflows is scheduled, named once. Two rules shape them:
 * - An outage of our own infrastructure (PostgreSQL, Temporal, a channel's API) is waited out:
 *   no maximum of attempts. What a retry cannot fix fails at once as a non-retryable
 *   ApplicationFailure (the worker's activity interceptor classifies errors), and the workflow
 *   handles that failure; nothing ends a conversation because a database restarted.
 * - Short start-to-close timeouts for short work, heartbeats for long work: a worker that dies
 *   mid-activity has its work retried by another within seconds, not after a long timeout.
 */

/** Backs off to one attempt a minute, forever. */
const UNTIL_IT_WORKS: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' };

/** Reads and writes of PostgreSQL (memory, transcript, sessions, staff notifications). */
export const STORAGE: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: UNTIL_IT_WORKS,
};

/** One model step, or a tool-less model call (summary, transcription): provider chain inside. */
export const MODEL_CALL: ActivityOptions = {
  startToCloseTimeout: ASSISTANT_STEP_TIMEOUT_MS,
  heartbeatTimeout: ASSISTANT_STEP_HEARTBEAT_MS,
  // Provider failures are retried inside the activity; these attempts cover a dead worker or
  // the database, which are waited out like any outage.
  retry: UNTIL_IT_WORKS,
};

/** A tool that changes something (a booking): its own activity, retried until it answers. */
export const WRITING_TOOL: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: UNTIL_IT_WORKS,
};

/** A read-only tool (catalogue, availability, the contact's bookings): a local activity. */
export const READING_TOOL: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: UNTIL_IT_WORKS,
};

/** Starting or waking a booking's appointment workflow: reminders must follow every booking. */
export const FOLLOW_BOOKING: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: UNTIL_IT_WORKS,
};

/** A message to the customer through their channel's send API (once, through the outbox). */
export const DELIVERY: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: UNTIL_IT_WORKS,
};

/** A pass over every booking still ahead: long, so it heartbeats as it goes. */
export const RECONCILIATION: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: UNTIL_IT_WORKS,
};

/**
 * Pushing a lead to the tenant's CRM, beside the conversation: a CRM that is down is retried with
 * backoff for days; one that refuses the lead (CrmRefused: a bad field, a revoked token) is not.
 */
export const CRM_PUSH: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  // A worker that dies mid-push (the CRM may have the lead already) is replaced within seconds.
  heartbeatTimeout: '10 seconds',
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', nonRetryableErrorTypes: ['CrmRefused'] },
};

/**
 * A booking's event in an external calendar, after the booking: a calendar that is down is retried
 * for as long as the booking lasts, checked again at least once a minute; one that refuses
 * (CalendarRefused: a revoked grant, a calendar that is gone) is not.
 */
export const CALENDAR_SYNC: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['CalendarRefused'] },
};
