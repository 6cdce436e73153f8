import { ASSISTANT_STEP_MARGIN_MS, ASSISTANT_STEP_TIMEOUT_MS } from './activity-deadlines';

/**
 * Time for the provider chain. A model step has to fit every provider's chance inside one
 * activity attempt. Otherwise a primary that hangs uses up the attempt, Temporal retries the
 * step, and the chain starts again at the same primary without ever reaching the fallback.
 */

/** What one step leaves for its model requests: the whole chain's timeouts must fit in it. */
export const CHAIN_BUDGET_MS = ASSISTANT_STEP_TIMEOUT_MS - ASSISTANT_STEP_MARGIN_MS;
/** A provider's request timeout when none is given, if the chain leaves that much room. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 45_000;
/** A timeout derived from the chain's length below this is refused: no model answers that fast. */
export const MIN_DEFAULT_TIMEOUT_MS = 10_000;
/** With less time than this for a request (or than its provider's own timeout, if shorter), none is sent: it could only time out. */
export const MIN_REQUEST_MS = 1_000;

export type ChainTimeouts = { ok: true; timeouts: number[] } | { ok: false; reason: string };

/**
 * Every provider's request timeout, checked at start: given ones as they are, missing ones an
 * even share of what the given ones leave (at most DEFAULT_REQUEST_TIMEOUT_MS), so a chain
 * configured without timeouts fits whatever its length. Refused when the sum cannot fit.
 */
export function chainTimeouts(given: readonly (number | undefined)[], budgetMs = CHAIN_BUDGET_MS): ChainTimeouts {
  const explicit = given.reduce<number>((sum, timeout) => sum + (timeout ?? 0), 0);
  if (explicit > budgetMs) {
    return {
      ok: false,
      reason:
        `the providers' timeouts add up to ${explicit} ms, more than the ${budgetMs} ms a model step has for them; ` +
        'lower "timeout" so that every provider of the chain gets its chance',
    };
  }
  const missing = given.filter((timeout) => timeout === undefined).length;
  const derived = missing === 0 ? 0 : Math.min(DEFAULT_REQUEST_TIMEOUT_MS, Math.floor((budgetMs - explicit) / missing));
  if (missing > 0 && derived < MIN_DEFAULT_TIMEOUT_MS) {
    return {
      ok: false,
      reason:
        `${missing} provider(s) without a "timeout" would get ${derived} ms each to fit the ${budgetMs} ms a model step has; ` +
        'give them a "timeout", lower the others or shorten the chain',
    };
  }
  return { ok: true, timeouts: given.map((timeout) => timeout ?? derived) };
}

/**
 * The timeout of the next request, or undefined when no time is left for one. `timeouts` are the
 * configured timeouts of the providers still to try, the one about to be asked first. When they
 * do not all fit in `remainingMs`, the time is shared out fairly: a provider with a short timeout
 * keeps it, and the others split what is left evenly. Every provider still gets its turn, and
 * none gets more than its own timeout.
 */
export function requestTimeoutMs(remainingMs: number, timeouts: readonly number[]): number | undefined {
  const [current] = timeouts;
  if (current === undefined) return undefined;
  const share = Math.floor(Math.min(current, fairLevel(remainingMs, timeouts)));
  return share >= Math.min(current, MIN_REQUEST_MS) ? share : undefined;
}

/**
 * Whether a retry on the current provider (the first of `timeouts`) fits after waiting
 * `delayMs`: only if every provider still to try, this one included, can still have its whole
 * timeout. Retries spend spare time only, never the time of the providers after this one.
 */
export function retryFits(remainingMs: number, delayMs: number, timeouts: readonly number[]): boolean {
  return remainingMs - delayMs >= timeouts.reduce((sum, timeout) => sum + timeout, 0);
}

/** The largest level L such that the sum of min(timeout, L) over all timeouts fits in remainingMs (Infinity when all of them fit). */
function fairLevel(remainingMs: number, timeouts: readonly number[]): number {
  const ascending = [...timeouts].sort((a, b) => a - b);
  let left = remainingMs;
  for (const [index, timeout] of ascending.entries()) {
    const even = left / (ascending.length - index);
    if (timeout > even) return even;
    left -= timeout;
  }
  return Infinity;
}
