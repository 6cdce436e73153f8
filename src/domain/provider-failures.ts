/** What to do after an LLM provider failed a request. */
export type ProviderFailure = { action: 'next-provider' } | { action: 'retry'; delayMs?: number };

/** A longer Retry-After than this is not worth waiting for: the next provider is asked instead. */
export const MAX_RETRY_DELAY_MS = 20_000;

/**
 * Requests a retry cannot fix (bad key, bad request, unknown model: 400/401/403/404/422) move to
 * the next provider at once, and so does a request that ran out of its time (`'timeout'`): asking
 * again would spend a whole timeout more, time the providers after it need. Overload, rate
 * limits, server errors and lost connections (no status) are retried, after the provider's
 * Retry-After when it gives one.
 */
export function classifyProviderFailure(
  status: number | 'timeout' | undefined,
  retryAfter: string | null | undefined,
  now: number,
): ProviderFailure {
  if (status === 'timeout') return { action: 'next-provider' };
  const transient = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
  if (!transient) return { action: 'next-provider' };
  const delayMs = parseRetryAfter(retryAfter, now);
  if (delayMs !== undefined && delayMs > MAX_RETRY_DELAY_MS) return { action: 'next-provider' };
  return { action: 'retry', delayMs };
}

/** Retry-After as seconds ("2") or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff between attempts on one provider: 0.5 s, 1 s, 2 s… */
export function backoffMs(attempt: number): number {
  return Math.min(8_000, 500 * 2 ** (attempt - 1));
}
