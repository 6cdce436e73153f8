import type { Design } from './designs';
import { ANSWERED } from './http';
import { runLoad } from './load';
import { rssMb, sampleRoles, waitUntilQuiet } from './meter';
import { FULL_IDLE_TARGET, type BenchOptions } from './options';
import { round } from './stats';

export interface IdlePoint {
  /** Conversations opened so far (their one message answered, or kept after a 504), all still open: the idle close is 30 min away. */
  open: number;
  target: number;
  /** False: the time budget ran out first; `open` says how far it got. */
  reachedTarget: boolean;
  openingErrors: number;
  openingMs: number;
  /** Per process role, after opening. */
  rssMb: Record<string, number>;
  /** The Concierge process's growth over the baseline, per open conversation. */
  rssKbPerConversation: number | null;
}

export interface IdleRun {
  role: string;
  baselineRssMb: number;
  points: IdlePoint[];
  workerRssMbAt10kOpen: number | null;
  /** False: extrapolated along the slope between the last two measured points. */
  workerRssAt10kMeasured: boolean;
  /** How the 10,000 figure was obtained, in words. */
  workerRssAt10kBasis: string;
}

/** Memory is read once the design has gone quiet (in-flight turns done), waiting at most this long. */
const SETTLE_MAX_MS = 60_000;

/**
 * Opens conversations (one message each, through the API, a bounded number at a time) up to
 * each target in turn, until `deadline` (epoch ms), and reads the memory of the process that
 * holds them: Concierge's worker lives in the process `npm start` runs.
 */
export async function measureIdle(design: Design, options: BenchOptions, runTag: string, deadline: number, abort: AbortSignal): Promise<IdleRun> {
  const role = design.name; // the role of the design's own process (API and worker)
  await waitUntilQuiet(design.roles, SETTLE_MAX_MS);
  const baselineKb = sampleRoles(design.roles)[role].rssKb;
  const points: IdlePoint[] = [];
  let open = 0;
  let sessions = 0;
  for (const target of options.idle) {
    if (abort.aborted || Date.now() >= deadline) break;
    design.process.assertRunning();
    const sessionIds = Array.from({ length: target - sessions }, (_, index) => `${runTag}-idle-${sessions + index}`);
    sessions = target;
    const load = await runLoad({
      url: design.chatUrl,
      headers: design.chatHeaders,
      sessionIds,
      messagesPerSession: 1,
      concurrency: options.idleConcurrency,
      deadlineMs: deadline - Date.now(),
      requestTimeoutMs: options.requestTimeoutMs,
      abort,
    });
    // A 504 still opened its conversation (the message is kept and answered later).
    open += (load.outcomes[ANSWERED] ?? 0) + (load.outcomes['504'] ?? 0);
    await waitUntilQuiet(design.roles, SETTLE_MAX_MS);
    const sample = sampleRoles(design.roles);
    points.push({
      open,
      target,
      reachedTarget: !load.cutShort,
      openingErrors: load.sent - load.answered - (load.outcomes['504'] ?? 0),
      openingMs: Math.round(load.durationMs),
      rssMb: rssMb(sample),
      rssKbPerConversation: open ? round((sample[role].rssKb - baselineKb) / open) : null,
    });
    if (load.cutShort) break;
  }
  return { role, baselineRssMb: round(baselineKb / 1024), points, ...at10k(baselineKb, points, role) };
}

type At10k = Pick<IdleRun, 'workerRssMbAt10kOpen' | 'workerRssAt10kMeasured' | 'workerRssAt10kBasis'>;

function at10k(baselineKb: number, points: readonly IdlePoint[], role: string): At10k {
  const measured = points.find((point) => point.target === FULL_IDLE_TARGET && point.reachedTarget);
  if (measured) return { workerRssMbAt10kOpen: measured.rssMb[role], workerRssAt10kMeasured: true, workerRssAt10kBasis: 'measured' };
  // The 1k→5k slope by default; with one point, the slope from the baseline.
  const [from, to] = [{ open: 0, mb: baselineKb / 1024 }, ...points.map((point) => ({ open: point.open, mb: point.rssMb[role] }))].slice(-2);
  if (!to || to.open === from.open) return { workerRssMbAt10kOpen: null, workerRssAt10kMeasured: false, workerRssAt10kBasis: 'not enough points' };
  const slope = (to.mb - from.mb) / (to.open - from.open);
  const basis = `extrapolated along the ${from.open}→${to.open} slope`;
  // Memory that fell as conversations were added (a collection, or the worker's cache evicting)
  // says nothing about 10,000: keep the last figure rather than extrapolate a fall.
  if (slope < 0) return { workerRssMbAt10kOpen: to.mb, workerRssAt10kMeasured: false, workerRssAt10kBasis: `${basis} (negative: kept flat)` };
  return { workerRssMbAt10kOpen: round(to.mb + slope * (FULL_IDLE_TARGET - to.open)), workerRssAt10kMeasured: false, workerRssAt10kBasis: basis };
}
