import { ApplicationFailure } from '@temporalio/common';

/** One call may not hold an activity attempt (1 minute) for long. */
const CALL_TIMEOUT_MS = 15_000;

/** Bitrix24's answers to a load it will take again shortly: wait and retry. */
const TRANSIENT_ERRORS = new Set(['QUERY_LIMIT_EXCEEDED', 'OPERATION_TIME_LIMIT', 'INTERNAL_SERVER_ERROR', 'ERROR_INTERNAL', 'PORTAL_DELETED_TEMPORARILY']);

/**
 * Calls a REST method. Bitrix24 reports errors as `{error, error_description}`, with HTTP 200
 * or 400 as often as with a fitting status, so the body decides: a refusal (bad bot, bad dialog,
 * bad token) is `ChannelRefused`, which no retry fixes; the rate limit and server trouble are
 * retried.
 */
export async function callBitrix24(what: string, url: string, body: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const text = await response.text();
  const answer = parseJson(text);
  const error = typeof answer?.error === 'string' ? answer.error : undefined;
  if (response.ok && !error) return answer;
  const message = `${what} answered ${response.status}: ${error ? `${error} ${String(answer?.error_description ?? '')}`.trim() : text.slice(0, 300) || response.statusText}`;
  if (error === 'QUERY_LIMIT_EXCEEDED' || response.status === 429) {
    // Bitrix24's leaky bucket drains two requests a second.
    throw ApplicationFailure.create({ message, type: 'ChannelRateLimited', nextRetryDelay: '2s' });
  }
  if ((error && TRANSIENT_ERRORS.has(error)) || response.status >= 500) throw ApplicationFailure.retryable(message, 'ChannelUnavailable');
  throw ApplicationFailure.nonRetryable(message, 'ChannelRefused');
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
