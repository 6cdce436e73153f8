import { circuitBreaker, ConsecutiveBreaker, handleAll, isBrokenCircuitError, timeout, TimeoutStrategy, wrap, type IPolicy } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { BusyInterval, CalendarAdapter } from './adapter';

export interface BusyReaderOptions {
  /** How long an answer is reused: availability asked twice in one conversation turn asks the calendar once. */
  ttlMs?: number;
  /** A calendar slower than this is treated as down, so it cannot stall a conversation. */
  callTimeoutMs?: number;
  /** Consecutive failures (timeouts included) that open a tenant's breaker for a provider. */
  failuresToOpen?: number;
  /** How long an open breaker answers at once before it lets one call through to test the calendar. */
  halfOpenAfterMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

export interface BusyReader {
  /**
   * Busy time of each calendar in [from, to), or undefined when the calendar failed, was too slow or
   * its breaker is open: the caller then answers from the built-in calendar alone.
   */
  read(tenantId: string, adapter: CalendarAdapter, calendarIds: readonly string[], from: Date, to: Date): Promise<Map<string, BusyInterval[]> | undefined>;
}

/**
 * External busy time for availability: cached briefly per tenant, provider, calendar and window, and
 * read through a circuit breaker per tenant and provider (cockatiel) with a short timeout inside it,
 * so that one tenant's failing calendar costs its conversations nothing but the external busy time.
 */
export function createBusyReader({ ttlMs = 30_000, callTimeoutMs = 2_500, failuresToOpen = 3, halfOpenAfterMs = 30_000, logger }: BusyReaderOptions = {}): BusyReader {
  const answers = new LRUCache<string, BusyInterval[]>({ max: 10_000, ttl: ttlMs });
  const policies = new LRUCache<string, IPolicy>({ max: 10_000 });

  function policyOf(tenantId: string, provider: string): IPolicy {
    const key = `${tenantId}\u0000${provider}`;
    let policy = policies.get(key);
    if (!policy) {
      const breaker = circuitBreaker(handleAll, { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(failuresToOpen) });
      breaker.onBreak(() => logger?.warn({ tenantId, provider }, 'external calendar failing: availability uses the built-in calendar alone'));
      breaker.onReset(() => logger?.info({ tenantId, provider }, 'external calendar answers again'));
      // Breaker outside, timeout inside: a call that times out counts as a failure.
      policy = wrap(breaker, timeout(callTimeoutMs, TimeoutStrategy.Aggressive));
      policies.set(key, policy);
    }
    return policy;
  }

  return {
    async read(tenantId, adapter, calendarIds, from, to) {
      const keyOf = (calendarId: string) => [tenantId, adapter.provider, calendarId, from.toISOString(), to.toISOString()].join('\u0000');
      const busy = new Map<string, BusyInterval[]>();
      for (const id of calendarIds) {
        const cached = answers.get(keyOf(id));
        if (cached) busy.set(id, cached);
      }
      const missing = calendarIds.filter((id) => !busy.has(id));
      if (missing.length === 0) return busy;
      try {
        const fresh = await policyOf(tenantId, adapter.provider).execute(() => adapter.busy(missing, from, to));
        for (const id of missing) {
          const intervals = fresh.get(id) ?? [];
          answers.set(keyOf(id), intervals);
          busy.set(id, intervals);
        }
        return busy;
      } catch (error) {
        // An open breaker was reported when it opened; each answer it refuses is not news.
        if (!isBrokenCircuitError(error)) logger?.warn({ tenantId, provider: adapter.provider, err: error }, 'external busy time unavailable');
        return undefined;
      }
    },
  };
}
