import { checkDelivery } from './delivery';
import type { Design, DesignName } from './designs';
import type { HistoryMeter } from './history';
import { runLoad, type SessionLog } from './load';
import { cpuMsPerMessage, rssMb, sampleRoles, waitUntilQuiet, type ProcessRole } from './meter';
import type { BenchOptions } from './options';
import { percentile, round, sum } from './stats';

/** One design under one load level. */
export interface LevelRun {
  design: DesignName;
  concurrency: number;
  messagesPerCustomer: number;
  sent: number;
  answered: number;
  durationMs: number;
  /** Replies received (200) per minute of load. */
  msgsPerMin: number;
  /** Messages answered in the end (late ones included) per minute of load and drain: capacity. */
  processedPerMin: number;
  replyP50Ms: number | null;
  replyP95Ms: number | null;
  replyP99Ms: number | null;
  /** Count per outcome: HTTP status (with the answer's status for a 200), `timeout`, `network`. */
  outcomes: Record<string, number>;
  /** Answers other than a reply and other than a timeout. */
  errors: number;
  /** 504 from the design, or no answer at all within the request timeout. */
  timeouts: number;
  /** The level's deadline stopped customers before they sent all their messages. */
  cutShort: boolean;
  lost: number;
  /** Of the lost, never recorded by the conversation (not in the `state` transcript at all). */
  lostUnrecorded: number;
  /** The lost, by what their request got back: a 504 promises the message is kept. */
  lostByOutcome: Record<string, number>;
  duplicated: number;
  unverified: number;
  lostOrDuplicatedExamples: string[];
  /**
   * Per process role, and `total`: the CPU from the level's start until the design is quiet
   * again (its late answers included), per message it answered in the end (sent − lost).
   * The Temporal server's CPU counts for the design under load.
   */
  cpuMsPerMsg: Record<string, number>;
  /** How long the design took to go quiet after the load (its backlog). */
  drainMs: number;
  /** The load generator's own CPU per message (same machine: it competes for the same cores). */
  loadGeneratorCpuMsPerMsg: number;
  /** Resident memory per process role right after the load. */
  rssMb: Record<string, number>;
  historyEventsPerTurn: number | null;
  historyBytesPerTurn: number | null;
  historySampledConversations: number;
}

export interface LevelContext {
  options: BenchOptions;
  meter: HistoryMeter;
  /** Makes this run's session ids unique on a Temporal server that outlives it. */
  runTag: string;
  abort: AbortSignal;
  /** Every measured process of both designs: all must be quiet before a level starts. */
  allRoles: readonly ProcessRole[];
}

/** Bounds each wait for quiet (before a level, and for a design's backlog after it). */
const QUIET_MAX_MS = 60_000;
/** State queries and history reads at once. */
const QUERY_CONCURRENCY = 20;

export async function runLevel(design: Design, concurrency: number, context: LevelContext): Promise<LevelRun> {
  const { options } = context;
  design.process.assertRunning();
  const sessionIds = Array.from({ length: concurrency }, (_, index) => `${context.runTag}-c${concurrency}-${index}`);

  await waitUntilQuiet(context.allRoles, QUIET_MAX_MS);
  const before = sampleRoles(design.roles);
  const benchBefore = process.cpuUsage();
  const load = await runLoad({
    url: design.chatUrl,
    headers: design.chatHeaders,
    sessionIds,
    messagesPerSession: options.messages,
    concurrency,
    deadlineMs: options.levelDeadlineMs,
    requestTimeoutMs: options.requestTimeoutMs,
    abort: context.abort,
  });
  const benchCpu = process.cpuUsage(benchBefore);
  const drainMs = await waitUntilQuiet(design.roles, QUIET_MAX_MS);
  const after = sampleRoles(design.roles);
  design.process.assertRunning();

  const delivery = await checkDelivery(design.delivery, load.sessions, {
    workflowId: design.workflowId,
    settleMs: options.settleMs,
    concurrency: QUERY_CONCURRENCY,
  });
  const history = await historyPerTurn(context.meter, design, load.sessions, options.historySample);
  const timeouts = (load.outcomes['504'] ?? 0) + (load.outcomes.timeout ?? 0);
  const processed = load.sent - delivery.lost - delivery.unverified;
  const latency = (p: number) => {
    const value = percentile(load.latenciesMs, p);
    return value === undefined ? null : round(value);
  };

  return {
    design: design.name,
    concurrency,
    messagesPerCustomer: options.messages,
    sent: load.sent,
    answered: load.answered,
    durationMs: Math.round(load.durationMs),
    msgsPerMin: round((load.answered / load.durationMs) * 60_000),
    processedPerMin: round((processed / (load.durationMs + drainMs)) * 60_000),
    replyP50Ms: latency(50),
    replyP95Ms: latency(95),
    replyP99Ms: latency(99),
    outcomes: load.outcomes,
    errors: load.sent - load.answered - timeouts,
    timeouts,
    cutShort: load.cutShort,
    lost: delivery.lost,
    lostUnrecorded: delivery.lostUnrecorded,
    lostByOutcome: countOutcomes(load.sessions, new Set(delivery.lostIds)),
    duplicated: delivery.duplicated,
    unverified: delivery.unverified,
    lostOrDuplicatedExamples: delivery.examples,
    cpuMsPerMsg: cpuMsPerMessage(before, after, processed),
    drainMs,
    loadGeneratorCpuMsPerMsg: load.answered ? round((benchCpu.user + benchCpu.system) / 1000 / load.answered, 2) : 0,
    rssMb: rssMb(after),
    ...history,
  };
}

/** History events and bytes per message over a few of the level's conversations, spread across it. */
async function historyPerTurn(
  meter: HistoryMeter,
  design: Design,
  sessions: readonly SessionLog[],
  sampleSize: number,
): Promise<Pick<LevelRun, 'historyEventsPerTurn' | 'historyBytesPerTurn' | 'historySampledConversations'>> {
  const withMessages = sessions.filter((session) => session.messageIds.length > 0);
  const step = Math.max(1, Math.floor(withMessages.length / sampleSize));
  const sample = withMessages.filter((_, index) => index % step === 0).slice(0, sampleSize);
  const sizes = await Promise.all(sample.map((session) => meter.chain(design.workflowId(session.sessionId)).catch(() => undefined)));
  const read = sample.flatMap((session, index) => (sizes[index] ? [{ turns: session.messageIds.length, size: sizes[index] }] : []));
  const turns = sum(read.map(({ turns }) => turns));
  if (turns === 0) return { historyEventsPerTurn: null, historyBytesPerTurn: null, historySampledConversations: 0 };
  return {
    historyEventsPerTurn: round(sum(read.map(({ size }) => size.events)) / turns),
    historyBytesPerTurn: Math.round(sum(read.map(({ size }) => size.bytes)) / turns),
    historySampledConversations: read.length,
  };
}

function countOutcomes(sessions: readonly SessionLog[], messageIds: ReadonlySet<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const session of sessions) {
    session.messageIds.forEach((id, index) => {
      if (messageIds.has(id)) counts[session.outcomes[index]] = (counts[session.outcomes[index]] ?? 0) + 1;
    });
  }
  return counts;
}
