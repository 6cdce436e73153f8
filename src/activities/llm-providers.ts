import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIError } from 'openai';
import type { ChatCompletionContentPart, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { LlmProvider } from '../config';
import type { TokenUsage } from '../domain/conversation';
import type { ModelMessage, ModelOutput } from '../domain/model-turn';
import { estimateCostUsd, type PriceTable } from '../domain/pricing';
import { backoffMs, classifyProviderFailure } from '../domain/provider-failures';

export interface ProviderClient {
  provider: LlmProvider;
  client: OpenAI;
}

/** The configured chain and what its calls cost. */
export interface ModelChain {
  clients: ProviderClient[];
  prices: PriceTable;
}

/** One request to one provider, for metrics: every attempt counts, failed ones too. */
export interface ProviderCall {
  provider: string;
  model: string;
  ok: boolean;
  latencyMs: number;
  usage?: TokenUsage;
}

export interface ModelRequest {
  messages: ModelMessage[];
  tools: ChatCompletionTool[];
  /** False: the model must answer in text (the tools stay declared: the history may use them). */
  toolsAllowed: boolean;
}

export interface ModelCompletion extends ModelOutput {
  provider: string;
  model: string;
  usage: TokenUsage;
}

/** Attempts on one provider before the chain moves on (for failures worth retrying). */
const ATTEMPTS_PER_PROVIDER = 3;

export function createModelChain(providers: readonly LlmProvider[], prices: PriceTable): ModelChain {
  const clients = providers.map((provider) => ({
    provider,
    // Retries are ours (completeChat): the client retrying too would multiply attempts.
    client: new OpenAI({ apiKey: provider.apiKey, baseURL: provider.baseURL, maxRetries: 0, timeout: provider.timeout }),
  }));
  return { clients, prices };
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
export async function completeChat(
  chain: ModelChain,
  request: ModelRequest,
  onCall: (call: ProviderCall) => void = () => undefined,
): Promise<ModelCompletion> {
  const failures: string[] = [];
  for (const { provider, client } of chain.clients) {
    const messages = provider.vision ? request.messages : request.messages.map(describeImages);
    for (let attempt = 1; attempt <= ATTEMPTS_PER_PROVIDER; attempt++) {
      const started = Date.now();
      try {
        const completion = await client.chat.completions.create({
          model: provider.model,
          messages,
          ...(request.tools.length > 0 ? { tools: request.tools, tool_choice: request.toolsAllowed ? 'auto' : 'none' } : {}),
        });
        const output = readOutput(completion.choices[0]?.message);
        const model = completion.model || provider.model;
        const tokens = { promptTokens: completion.usage?.prompt_tokens ?? 0, completionTokens: completion.usage?.completion_tokens ?? 0 };
        const usage = { ...tokens, costUsd: estimateCostUsd(chain.prices, model, tokens) };
        onCall({ provider: provider.name, model, ok: true, latencyMs: Date.now() - started, usage });
        return { ...output, provider: provider.name, model, usage };
      } catch (error) {
        const status = error instanceof APIError ? error.status : undefined;
        failures.push(`${provider.name} attempt ${attempt}: ${status ?? (error as Error).name}`);
        onCall({ provider: provider.name, model: provider.model, ok: false, latencyMs: Date.now() - started });
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

type CompletionMessage = OpenAI.Chat.Completions.ChatCompletionMessage | undefined;

function readOutput(message: CompletionMessage): ModelOutput {
  const text = message?.content?.trim() || undefined;
  const toolCalls = (message?.tool_calls ?? []).flatMap((call) =>
    call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
  );
  if (!text && toolCalls.length === 0) throw new EmptyCompletionError();
  return { text, toolCalls };
}

/** For a model without vision: an image becomes a note saying there was one. */
function describeImages(message: ModelMessage): ModelMessage {
  if (message.role !== 'user' || typeof message.content === 'string') return message;
  const text = message.content
    .map((part: ChatCompletionContentPart) => (part.type === 'text' ? part.text : `[the customer sent ${part.type === 'image_url' ? 'an image' : 'a file'}]`))
    .join('\n');
  return { ...message, content: text };
}

class EmptyCompletionError extends Error {
  override name = 'EmptyCompletion';
}
