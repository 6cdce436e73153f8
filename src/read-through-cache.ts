import { LRUCache } from 'lru-cache';

export interface ReadThroughCacheOptions {
  /** A value this old is read again, in the background: the caller still gets the one it has. */
  refreshAfterMs: number;
  max?: number;
  /** Milliseconds from some fixed point; tests pass a clock of their own. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  loadedAt: number;
}

/**
 * `load(key)` as answered lately: settings every request needs (a tenant, its channels, its calendars)
 * and that change rarely. A value older than `refreshAfterMs` is answered at once while it is read
 * again behind it, so no request waits on the database for a refresh; one older than twice that
 * (the key went unasked for a while) is waited for, so a change reaches every process within
 * 2 × `refreshAfterMs` at worst. While the database cannot be read, the last value read answers.
 * Absent values (undefined) are remembered too, so a flood of made-up keys does not reach the
 * database; concurrent reads of one key make one query.
 */
export function readThroughCache<V>(load: (key: string) => Promise<V>, { refreshAfterMs, max = 10_000, now = () => performance.now() }: ReadThroughCacheOptions): (key: string) => Promise<V> {
  const cache = new LRUCache<string, Entry<V>>({
    max,
    ttl: refreshAfterMs,
    allowStale: true,
    noDeleteOnFetchRejection: true,
    perf: { now },
    ttlResolution: 0,
    fetchMethod: async (key) => ({ value: await load(key), loadedAt: now() }),
  });
  return async (key) => {
    const entry = (await cache.fetch(key))!;
    if (now() - entry.loadedAt <= 2 * refreshAfterMs) return entry.value;
    try {
      return (await cache.fetch(key, { allowStale: false }))!.value;
    } catch {
      // With the database down nobody can change a setting either: the last one read still holds.
      return entry.value;
    }
  };
}
