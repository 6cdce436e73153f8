import { condition, sleep } from '@temporalio/workflow';

/**
 * The loop's one timer. Started when the loop first waits, for the deadline it has then (idle
 * close, or a handoff timing out); not cancelled and restarted for every message, which would
 * add two history events to every turn. A deadline only moves later while a conversation is
 * busy, so the timer fires early, finds the new deadline, and starts again for the rest. A
 * deadline that moves earlier (a handoff ends) gets a timer of its own.
 */
export class WakeUpTimer {
  /** When the pending timer fires, if one is pending. */
  private pendingAt?: number;
  private fired = 0;

  /**
   * Resolves once `hasWork` holds, or the deadline has passed with no work. `purpose` names the
   * deadline in the Temporal UI ("idle close").
   */
  async sleepUntil(deadline: () => number, hasWork: () => boolean, purpose: () => string): Promise<void> {
    while (!hasWork() && Date.now() < deadline()) {
      this.arm(deadline(), purpose());
      const firedBefore = this.fired;
      await condition(() => hasWork() || this.fired !== firedBefore);
    }
  }

  private arm(at: number, summary: string): void {
    if (this.pendingAt !== undefined && this.pendingAt <= at) return;
    this.pendingAt = at;
    void sleep(Math.max(1, at - Date.now()), { summary }).then(() => {
      if (this.pendingAt === at) this.pendingAt = undefined;
      this.fired++;
    });
  }
}
