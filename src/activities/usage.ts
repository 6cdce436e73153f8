import { log } from '@temporalio/activity';
import type { Pool } from '../db/pool';
import { addToCounters, type CounterIncrement } from '../db/usage-counters';
import type { ConversationRef, TranscriptEntry } from '../domain/conversation';
import type { ToolOutcome } from '../domain/tools';
import { bucketLabel, USAGE_METRICS, type UsageMetric } from '../domain/usage-metrics';
import type { ProviderCall } from './llm-providers';

/** The counters one provider call moves. */
export function providerCallCounters(tenantId: string, call: ProviderCall): CounterIncrement[] {
  const labels = { provider: call.provider, model: call.model };
  return [
    { metric: USAGE_METRICS.llmRequests.name, tenantId, labels: { ...labels, outcome: call.ok ? 'ok' : 'error' }, value: 1 },
    ...observation(USAGE_METRICS.llmDuration, tenantId, labels, call.latencyMs / 1000),
    { metric: USAGE_METRICS.llmTokens.name, tenantId, labels: { ...labels, kind: 'prompt' }, value: call.usage?.promptTokens ?? 0 },
    { metric: USAGE_METRICS.llmTokens.name, tenantId, labels: { ...labels, kind: 'completion' }, value: call.usage?.completionTokens ?? 0 },
    { metric: USAGE_METRICS.llmCost.name, tenantId, labels, value: call.usage?.costUsd ?? 0 },
    ...(call.ok ? [] : [eventCounter(USAGE_METRICS.errors, tenantId, { kind: 'llm_provider' })]),
  ];
}

export function toolCounter(tenantId: string, tool: string, outcome: ToolOutcome): CounterIncrement {
  return eventCounter(USAGE_METRICS.toolCalls, tenantId, { tool, outcome });
}

/** One more of something that happened. */
export function eventCounter(metric: UsageMetric, tenantId: string, labels: Record<string, string>): CounterIncrement {
  return { metric: metric.name, tenantId, labels, value: 1 };
}

/** One observation of a histogram: every bucket it falls in, the sum and the count. */
export function observation(metric: Extract<UsageMetric, { kind: 'histogram' }>, tenantId: string, labels: Record<string, string>, value: number): CounterIncrement[] {
  const bounds = [...metric.buckets.filter((bound) => value <= bound), Infinity];
  return [
    ...bounds.map((bound) => ({ metric: `${metric.name}_bucket`, tenantId, labels: { ...labels, le: bucketLabel(bound) }, value: 1 })),
    { metric: `${metric.name}_sum`, tenantId, labels, value },
    { metric: `${metric.name}_count`, tenantId, labels, value: 1 },
  ];
}

/**
 * How long the customer waited for a reply to the entries' last messages: from the oldest of
 * them (as its channel stamped it) to now. None when the entries end with no customer message.
 */
export function replyLatency(ref: ConversationRef, entries: readonly TranscriptEntry[], now = Date.now()): CounterIncrement[] {
  let oldest: string | undefined;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (entry.role !== 'customer') break;
    if (!entry.silenced) oldest = entry.at;
  }
  if (oldest === undefined) return [];
  return observation(USAGE_METRICS.replyLatency, ref.tenantId, { channel: ref.channel }, Math.max(0, now - Date.parse(oldest)) / 1000);
}

/**
 * Metrics are worth less than the customer's reply: a database hiccup here is logged, not thrown.
 * An activity retried after it counted counts again: the totals may run over by such a retry.
 */
export async function recordUsage(pool: Pool, increments: readonly CounterIncrement[]): Promise<void> {
  try {
    await addToCounters(pool, increments);
  } catch (error) {
    log.warn('usage counters not updated', { error: (error as Error).message });
  }
}
