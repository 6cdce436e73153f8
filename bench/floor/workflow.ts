import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type * as activities from './activities';
import { chatUpdate, FLOOR_IDLE_MS, handledQuery, type FloorInput } from './definitions';

const { cannedReply } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/**
 * One conversation, as lean as Temporal allows: each web message is an update (delivered with
 * update-with-start) whose handler runs one activity and returns its reply. No signal, no
 * queue, no main-loop turn: about 11 history events per message.
 */
export async function floorConversation(input: FloorInput): Promise<void> {
  const handled = new Map(Object.entries(input.handled ?? {}));
  let lastMessageAt = Date.now();

  setHandler(chatUpdate, async (message) => {
    lastMessageAt = Date.now();
    const reply = await cannedReply(message);
    handled.set(message.messageId, (handled.get(message.messageId) ?? 0) + 1);
    return reply;
  });
  setHandler(handledQuery, () => Object.fromEntries(handled));

  // Idle close without restarting a timer per message (which would add a cancel and a start
  // event to every message): sleep the whole idle period, and on waking sleep again for
  // whatever part of it the latest message has renewed.
  for (;;) {
    const idleLeftMs = lastMessageAt + FLOOR_IDLE_MS - Date.now();
    if (idleLeftMs <= 0) break;
    if (await condition(() => workflowInfo().continueAsNewSuggested, idleLeftMs)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof floorConversation>({ sessionId: input.sessionId, handled: Object.fromEntries(handled) });
    }
  }
  await condition(allHandlersFinished);
}
