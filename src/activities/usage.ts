import { log } from '@temporalio/activity';
import type { Pool } from '../db/pool';
import { addToCounters, type CounterIncrement } from '../db/usage-counters';
import type { ToolOutcome } from '../domain/tools';
import { USAGE_METRICS } from '../domain/usage-metrics';
import type { ProviderCall } from './llm-providers';

/** The counters one provider call moves. */
export function providerCallCounters(tenantId: string, call: ProviderCall): CounterIncrement[] {
  const labels = { provider: call.provider, model: call.model };
  return [
    { metric: USAGE_METRICS.llmRequests.name, tenantId, labels: { ...labels, outcome: call.ok ? 'ok' : 'error' }, value: 1 },
    { metric: USAGE_METRICS.llmSeconds.name, tenantId, labels, value: call.latencyMs / 1000 },
    { metric: USAGE_METRICS.llmTokens.name, tenantId, labels: { ...labels, kind: 'prompt' }, value: call.usage?.promptTokens ?? 0 },
    { metric: USAGE_METRICS.llmTokens.name, tenantId, labels: { ...labels, kind: 'completion' }, value: call.usage?.completionTokens ?? 0 },
    { metric: USAGE_METRICS.llmCost.name, tenantId, labels, value: call.usage?.costUsd ?? 0 },
  ];
}

export function toolCounter(tenantId: string, tool: string, outcome: ToolOutcome): CounterIncrement {
  return { metric: USAGE_METRICS.toolCalls.name, tenantId, labels: { tool, outcome }, value: 1 };
}

/** Metrics are worth less than the customer's reply: a database hiccup here is logged, not thrown. */
export async function recordUsage(pool: Pool, increments: readonly CounterIncrement[]): Promise<void> {
  try {
    await addToCounters(pool, increments);
  } catch (error) {
    log.warn('usage counters not updated', { error: (error as Error).message });
  }
}
