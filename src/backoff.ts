export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** The wait before retry number `attempt` (1, 2, …): doubling from `initialMs`, capped at `maxMs`. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: Backoff): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}
