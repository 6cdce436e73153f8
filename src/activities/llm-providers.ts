import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatCompletionContentPart, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { LlmProvider } from '../config';
import type { TokenUsage } from '../domain/conversation';
import type { ModelMessage, ModelOutput } from '../domain/model-turn';
import { estimateCostUsd, type PriceTable } from '../domain/pricing';
import { requestTimeoutMs, retryFits } from '../domain/provider-budget';
import { backoffMs, classifyProviderFailure, type ProviderFailure } from '../domain/provider-failures';

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

export interface ChatOptions {
  /** Told of every request, failed ones too (for metrics). */
  onCall?: (call: ProviderCall) => void;
  /**
   * When the whole chain must be done (ms since the epoch): each request's timeout is sized to
   * fit before it. None (outside an activity): each provider has its own timeout.
   */
  deadline?: number;
  /** Aborts the request in flight and stops the chain (an activity's cancellation). */
  signal?: AbortSignal;
}

/**
 * Asks the chain in order. This is the only place LLM calls are retried: per provider, with
 * backoff and the provider's Retry-After, then on to the next provider. The activity's own retry
 * policy is left for other failures (a worker that died, the database). With a deadline, each
 * request gets its fair share of the time left and a retry only happens in spare time, so every
 * provider gets its chance before the deadline (src/domain/provider-budget.ts).
 */
export async function completeChat(chain: ModelChain, request: ModelRequest, options: ChatOptions = {}): Promise<ModelCompletion> {
  const { onCall = () => undefined, deadline = Infinity, signal } = options;
  const failures: string[] = [];
  for (const [index, { provider, client }] of chain.clients.entries()) {
    const timeoutsLeft = chain.clients.slice(index).map((next) => next.provider.timeout);
    const body = {
      model: provider.model,
      messages: provider.vision ? request.messages : request.messages.map(describeImages),
      ...(request.tools.length > 0 ? { tools: request.tools, tool_choice: request.toolsAllowed ? ('auto' as const) : ('none' as const) } : {}),
    };
    for (let attempt = 1; attempt <= ATTEMPTS_PER_PROVIDER; attempt++) {
      const timeoutMs = requestTimeoutMs(deadline - Date.now(), timeoutsLeft);
      if (timeoutMs === undefined) {
        failures.push(`${provider.name}: no time left before the deadline`);
        throw new AllProvidersFailedError(failures);
      }
      const started = Date.now();
      try {
        const completion = await requestOnce(client, body, timeoutMs, signal);
        const output = readOutput(completion.choices[0]?.message);
        const model = completion.model || provider.model;
        const tokens = { promptTokens: completion.usage?.prompt_tokens ?? 0, completionTokens: completion.usage?.completion_tokens ?? 0 };
        const usage = { ...tokens, costUsd: estimateCostUsd(chain.prices, model, tokens) };
        onCall({ provider: provider.name, model, ok: true, latencyMs: Date.now() - started, usage });
        return { ...output, provider: provider.name, model, usage };
      } catch (error) {
        onCall({ provider: provider.name, model: provider.model, ok: false, latencyMs: Date.now() - started });
        // Cancelled: no provider is asked any more, and Temporal gets its own reason back.
        signal?.throwIfAborted();
        const verdict = verdictOn(error);
        failures.push(`${provider.name} attempt ${attempt}: ${describeFailure(error)}`);
        if (verdict.action === 'next-provider' || attempt === ATTEMPTS_PER_PROVIDER) break;
        const delayMs = verdict.delayMs ?? backoffMs(attempt);
        if (!retryFits(deadline - Date.now(), delayMs, timeoutsLeft)) break;
        await sleep(delayMs, undefined, { signal }).catch(() => signal?.throwIfAborted());
      }
    }
  }
  throw new AllProvidersFailedError(failures);
}

type ChatBody = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;

/**
 * One request, ended by its timeout or by the caller's signal; either way the HTTP request is
 * aborted, so an abandoned request stops (and stops spending tokens). Our own timer backs up the
 * client's `timeout`, which stops counting once the response's headers have arrived.
 */
async function requestOnce(client: OpenAI, body: ChatBody, timeoutMs: number, signal: AbortSignal | undefined) {
  const timer = AbortSignal.timeout(timeoutMs);
  try {
    return await client.chat.completions.create(body, { timeout: timeoutMs, signal: signal ? AbortSignal.any([signal, timer]) : timer });
  } catch (error) {
    if (!signal?.aborted && (timer.aborted || error instanceof APIConnectionTimeoutError)) throw new RequestTimeoutError(timeoutMs);
    throw error;
  }
}

/** What the chain does after a failed request; anything but a provider's failure is a bug, thrown. */
function verdictOn(error: unknown): ProviderFailure {
  if (error instanceof EmptyCompletionError) return { action: 'next-provider' };
  if (error instanceof RequestTimeoutError) return classifyProviderFailure('timeout', undefined, Date.now());
  if (error instanceof APIError) return classifyProviderFailure(error.status, error.headers?.get('retry-after'), Date.now());
  throw error;
}

function describeFailure(error: unknown): string {
  if (error instanceof RequestTimeoutError) return error.message;
  return String((error instanceof APIError ? error.status : undefined) ?? (error as Error).name);
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

class RequestTimeoutError extends Error {
  override name = 'Timeout';
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}
