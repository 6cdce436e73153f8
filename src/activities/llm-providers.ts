import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIError } from 'openai';
import type { LlmProvider } from '../config';
import type { AssistantReply } from '../domain/conversation';
import type { ChatMessage } from '../domain/prompt';
import { backoffMs, classifyProviderFailure } from '../domain/provider-failures';

export interface ProviderClient {
  provider: LlmProvider;
  client: OpenAI;
}

/** Attempts on one provider before the chain moves on (for failures worth retrying). */
const ATTEMPTS_PER_PROVIDER = 3;

export function createProviderClients(providers: readonly LlmProvider[]): ProviderClient[] {
  return providers.map((provider) => ({
    provider,
    // Retries are ours (completeChat): the client retrying too would multiply attempts.
    client: new OpenAI({ apiKey: provider.apiKey, baseURL: provider.baseURL, maxRetries: 0, timeout: 45_000 }),
  }));
}

/** Every provider of the chain failed; `failures` says how, one line each (no secrets). */
export class AllProvidersFailedError extends Error {
  override name = 'AllProvidersFailedError';
  constructor(readonly failures: string[]) {
    super(`Every LLM provider failed: ${failures.join('; ')}`);
  }
}

/**
 * Asks the chain in order. This is the only place LLM calls are retried: per provider, with
 * backoff and the provider's Retry-After, then on to the next provider. The activity's own retry
 * policy is left for other failures (a worker that died, the database).
 */
export async function completeChat(clients: readonly ProviderClient[], messages: ChatMessage[]): Promise<AssistantReply> {
  const failures: string[] = [];
  for (const { provider, client } of clients) {
    for (let attempt = 1; attempt <= ATTEMPTS_PER_PROVIDER; attempt++) {
      try {
        const completion = await client.chat.completions.create({ model: provider.model, messages });
        const text = completion.choices[0]?.message?.content?.trim();
        if (!text) throw new EmptyCompletionError();
        return {
          text,
          provider: provider.name,
          model: completion.model || provider.model,
          usage: {
            promptTokens: completion.usage?.prompt_tokens ?? 0,
            completionTokens: completion.usage?.completion_tokens ?? 0,
          },
        };
      } catch (error) {
        const status = error instanceof APIError ? error.status : undefined;
        failures.push(`${provider.name} attempt ${attempt}: ${status ?? (error as Error).name}`);
        if (!(error instanceof APIError) && !(error instanceof EmptyCompletionError)) throw error; // a bug, not the provider
        const verdict =
          error instanceof EmptyCompletionError
            ? ({ action: 'next-provider' } as const)
            : classifyProviderFailure(status, error.headers?.get('retry-after'), Date.now());
        if (verdict.action === 'next-provider' || attempt === ATTEMPTS_PER_PROVIDER) break;
        await sleep(verdict.delayMs ?? backoffMs(attempt));
      }
    }
  }
  throw new AllProvidersFailedError(failures);
}

class EmptyCompletionError extends Error {
  override name = 'EmptyCompletion';
}
