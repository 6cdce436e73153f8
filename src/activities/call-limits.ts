import { Context } from '@temporalio/activity';
import { ASSISTANT_STEP_MARGIN_MS } from '../domain/activity-deadlines';
import type { ChatOptions } from './llm-providers';

/** When each running attempt started, as its first call here saw it (one Context per attempt). */
const attemptStarts = new WeakMap<Context, number>();

/**
 * The running activity attempt's limits for its model calls: done `marginMs` before the attempt's
 * start-to-close deadline, and aborted when the activity is cancelled. The worker also fires the
 * cancellation signal when the deadline has passed or the server has dropped the attempt.
 *
 * Call it first thing in the activity: the first call of an attempt takes the attempt's start to
 * be now, and an activity that runs another's code (a wrapper around `assistantStep`) must not
 * restart the clock. The attempt's scheduled time (`currentAttemptScheduledTimestampMs`) is not
 * used: it includes the time the task waited for a worker, so after a backlog the chain would
 * start with no time left.
 */
export function activityCallLimits(marginMs = ASSISTANT_STEP_MARGIN_MS): Pick<ChatOptions, 'deadline' | 'signal'> {
  const context = Context.current();
  const started = attemptStarts.get(context) ?? Date.now();
  attemptStarts.set(context, started);
  const { startToCloseTimeoutMs } = context.info;
  return { deadline: startToCloseTimeoutMs > 0 ? started + startToCloseTimeoutMs - marginMs : undefined, signal: context.cancellationSignal };
}
