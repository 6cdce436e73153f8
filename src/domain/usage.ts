import type { TokenUsage } from './conversation';

/** Token counts and cost added up; kept free of runtime imports because workflows use it. */
export function sumUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costUsd: (a.costUsd ?? 0) + (b.costUsd ?? 0),
  };
}
