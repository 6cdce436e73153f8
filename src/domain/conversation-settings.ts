import { z } from 'zod';
import type { Channel } from './conversation';
import { MIN_HISTORY_EVENT_CAP } from './history-limits';

/** How one conversation behaves; fixed when it starts and carried across continue-as-new. */
export const ConversationSettingsSchema = z.object({
  /** Nothing pending for this long closes the conversation (IDLE_TIMEOUT). */
  idleTimeoutMs: z.number().int().positive(),
  /** Wait this long after a message for the rest of a burst; 0 answers at once (web chat). */
  quietPeriodMs: z.number().int().nonnegative(),
  /** Messages sent verbatim to the model; older ones are folded into the summary. */
  maxMessages: z.number().int().min(4),
  foldBatch: z.number().int().min(1),
  /** Continue-as-new once a run's history reaches this many events (or Temporal suggests it). */
  historyEventCap: z.number().int().min(MIN_HISTORY_EVENT_CAP),
  /** A handoff with no word from staff for this long hands the conversation back to the bot. */
  handoffTimeoutMs: z.number().int().positive(),
});
export type ConversationSettings = z.infer<typeof ConversationSettingsSchema>;

/**
 * Defaults from the process's config. The quiet period: the tenant's setting for the channel,
 * else the tenant's own, else the channel's default; never on web chat.
 */
export function settingsFor(
  channel: Channel,
  quietPeriods: { channelSetting?: number; tenantSetting?: number | null; channelDefault: number },
  defaults: Omit<ConversationSettings, 'quietPeriodMs'>,
): ConversationSettings {
  // Web chat waits for the answer to each message: a quiet period would only add latency.
  if (channel === 'web') return { ...defaults, quietPeriodMs: 0 };
  return { ...defaults, quietPeriodMs: quietPeriods.channelSetting ?? quietPeriods.tenantSetting ?? quietPeriods.channelDefault };
}
