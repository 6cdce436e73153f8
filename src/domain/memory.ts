import type { TranscriptEntry } from './conversation';

/** How much of a conversation stays verbatim in the workflow and the prompt. */
export interface MemoryLimits {
  /** The last N messages go to the model as they are (PRODUCT.md: 50). */
  maxMessages: number;
  /** Fold in batches of at least this many, so that summarising is not a per-turn cost. */
  foldBatch: number;
}

/**
 * How many of the oldest entries to fold into the running summary now: none until the
 * transcript exceeds N + batch, then enough to leave the last N.
 */
export function entriesToFold(transcript: readonly TranscriptEntry[], limits: MemoryLimits): number {
  return transcript.length > limits.maxMessages + limits.foldBatch ? transcript.length - limits.maxMessages : 0;
}

/** The longest summary kept; a longer one is cut at the start (the oldest facts go first). */
export const MAX_SUMMARY_CHARS = 2_000;

const ROLE_LABEL = { customer: 'Customer', assistant: 'Assistant', staff: 'Staff' } as const;

export function formatForSummary(entries: readonly TranscriptEntry[]): string {
  return entries.map((entry) => `${ROLE_LABEL[entry.role]}: ${entry.text}`).join('\n');
}

/**
 * Summary without a model (no provider configured, or the summariser failed): the previous
 * summary followed by the folded lines, cut to the most recent MAX_SUMMARY_CHARS.
 */
export function appendToSummary(previous: string, entries: readonly TranscriptEntry[]): string {
  const combined = [previous, formatForSummary(entries)].filter(Boolean).join('\n');
  return combined.length <= MAX_SUMMARY_CHARS ? combined : `…${combined.slice(-(MAX_SUMMARY_CHARS - 1))}`;
}

/** Remembers an id among the last `max`, oldest forgotten first. Returns the list to keep. */
export function rememberId(ids: readonly string[], id: string, max: number): string[] {
  const kept = ids.length >= max ? ids.slice(ids.length - max + 1) : [...ids];
  kept.push(id);
  return kept;
}
