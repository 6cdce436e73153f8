/**
 * Deadlines that both sides must agree on: the workflow schedules activities with them, and the
 * activities (and the config check at start) size their own work to fit inside them.
 */

/** One model step: every provider of the chain must get its chance within it. */
export const ASSISTANT_STEP_TIMEOUT_MS = 120_000;
/** A step's heartbeat: a dead worker's step is retried by another this soon. */
export const ASSISTANT_STEP_HEARTBEAT_MS = 10_000;
/** Kept back from the step's deadline for everything around the model calls (prompt, counters). */
export const ASSISTANT_STEP_MARGIN_MS = 5_000;
