import { z } from 'zod';
import type { TokenUsage } from './conversation';

/** US dollars per million tokens, as providers publish them. */
export const ModelPriceSchema = z.object({
  inputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
});
export const PriceTableSchema = z.record(z.string().min(1), ModelPriceSchema);
export type PriceTable = z.infer<typeof PriceTableSchema>;

/**
 * List prices of common models (November 2026) so that costs show without configuration;
 * `LLM_PRICES` adds to and overrides them. Estimates: providers bill cached input and batch
 * calls differently.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'deepseek-chat': { inputPerMillion: 0.27, outputPerMillion: 1.1 },
  'gemini-2.0-flash': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
};

/**
 * The estimated cost of one call in US dollars; 0 for a model the table does not know. APIs
 * answer with dated snapshots ("gpt-4o-mini-2024-07-18"), priced as the model they snapshot;
 * "gpt-4o-audio-preview" is another model, not gpt-4o.
 */
export function estimateCostUsd(prices: PriceTable, model: string, usage: Pick<TokenUsage, 'promptTokens' | 'completionTokens'>): number {
  const snapshotOf = /^(.+?)-\d{4}-\d{2}-\d{2}$/.exec(model)?.[1];
  const price = prices[model] ?? (snapshotOf === undefined ? undefined : prices[snapshotOf]);
  if (!price) return 0;
  return (usage.promptTokens * price.inputPerMillion + usage.completionTokens * price.outputPerMillion) / 1_000_000;
}
