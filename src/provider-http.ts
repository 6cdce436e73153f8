import { ApplicationFailure } from '@temporalio/common';

/** One provider call may not hold an activity attempt (1 minute) for long. */
const CALL_TIMEOUT_MS = 15_000;

export interface ProviderCall {
  /** For errors and logs, e.g. "WhatsApp send": never the URL, which may hold a token. */
  what: string;
  /** Names the failure types: `ChannelRefused`, `CrmUnavailable`… (default `Channel`). */
  kind?: 'Channel' | 'Crm' | 'Calendar';
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  /** A JSON body; a string or URLSearchParams body is sent as it is. */
  body?: unknown;
}

/**
 * Calls a provider's API (a channel's, a CRM's) and classifies its refusals as the activity's
 * retry policy needs them: a 4xx (bad number, blocked bot, bad token, bad field) is
 * `<kind>Refused`, which no retry fixes; a 429 is retried after the provider's Retry-After; 5xx
 * and network errors are retried with backoff.
 */
export async function callProvider(call: ProviderCall): Promise<Response> {
  const { body } = call;
  const isRaw = typeof body === 'string' || body instanceof URLSearchParams;
  const response = await fetch(call.url, {
    method: call.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined || isRaw ? {} : { 'content-type': 'application/json' }), ...call.headers },
    body: body === undefined ? undefined : isRaw ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  if (response.ok) return response;
  const detail = (await response.text().catch(() => '')).slice(0, 500);
  const message = `${call.what} answered ${response.status}: ${detail || response.statusText}`;
  const kind = call.kind ?? 'Channel';
  if (response.status === 429) {
    throw ApplicationFailure.create({ message, type: `${kind}RateLimited`, nextRetryDelay: `${retryAfterSeconds(response, detail)}s` });
  }
  if (response.status >= 400 && response.status < 500) throw ApplicationFailure.nonRetryable(message, `${kind}Refused`);
  throw ApplicationFailure.retryable(message, `${kind}Unavailable`);
}

/** Calls a provider and reads its JSON answer. */
export async function callProviderJson<T = unknown>(call: ProviderCall): Promise<T> {
  return (await (await callProvider(call)).json()) as T;
}

/** The provider's wait: a Retry-After header, or (Telegram) `parameters.retry_after` in the body. */
function retryAfterSeconds(response: Response, detail: string): number {
  let seconds = Number(response.headers.get('retry-after'));
  if (!(seconds > 0)) {
    try {
      seconds = Number((JSON.parse(detail) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after);
    } catch {
      seconds = NaN;
    }
  }
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 300) : 1;
}
