import OpenAI from 'openai';
import type { LlmProvider } from '../config';
import type { AssistantReply } from '../domain/conversation';
import type { ChatMessage } from '../domain/prompt';

export interface ProviderClient {
  provider: LlmProvider;
  client: OpenAI;
}

export function createProviderClients(providers: readonly LlmProvider[]): ProviderClient[] {
  return providers.map((provider) => ({
    provider,
    // Retries belong to Temporal's activity retry policy, with its backoff and visibility in the
    // UI; the client retrying too would multiply attempts.
    client: new OpenAI({ apiKey: provider.apiKey, baseURL: provider.baseURL, maxRetries: 0, timeout: 60_000 }),
  }));
}

/**
 * Asks each provider in order and returns the first answer. The last provider's error is thrown
 * when every one fails, for the activity's retry policy to handle.
 */
export async function completeChat(clients: readonly ProviderClient[], messages: ChatMessage[]): Promise<AssistantReply> {
  let lastError: unknown = new Error('No LLM provider is configured');
  for (const { provider, client } of clients) {
    try {
      const completion = await client.chat.completions.create({ model: provider.model, messages });
      return {
        text: completion.choices[0]?.message?.content?.trim() ?? '',
        provider: provider.name,
        model: completion.model || provider.model,
        usage: {
          promptTokens: completion.usage?.prompt_tokens ?? 0,
          completionTokens: completion.usage?.completion_tokens ?? 0,
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
