import { Context } from '@temporalio/activity';

const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Heartbeats while a slow call runs, so that Temporal notices a dead worker within the
 * activity's heartbeatTimeout, not only after its whole startToCloseTimeout.
 */
export async function withHeartbeat<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
