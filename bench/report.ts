import type { ChartPoint } from './chart';
import type { GrowthRun } from './growth';
import type { IdleRun } from './idle';
import type { LevelRun } from './level';
import type { Machine, Versions } from './machine';
import type { BenchOptions } from './options';
import type { ScaleResult } from './scale';
import { scaleLines } from './scale-report';
import { ratio, sum } from './stats';
import type { WebhookRun } from './webhooks';

/** Both designs at one concurrency. */
export interface LevelPair {
  concierge: LevelRun;
  floor: LevelRun;
}

export interface RunInfo {
  startedAt: Date;
  finishedAt: Date;
  options: BenchOptions;
  machine: Machine;
  versions: Versions;
}

/**
 * bench/results/latest.json. Top-level figures are those of the highest concurrency level
 * (`summaryConcurrency`), lost/duplicated are summed over all levels; `levels` has them all.
 */
export function buildResults(
  info: RunInfo,
  pairs: readonly LevelPair[],
  growth: Record<string, GrowthRun>,
  idle: IdleRun | null,
  webhooks: WebhookRun | null = null,
  scale: ScaleResult | null = null,
) {
  const top = pairs[pairs.length - 1];
  const total = (pick: (pair: LevelPair) => number) => sum(pairs.map(pick));
  return {
    startedAt: info.startedAt.toISOString(),
    finishedAt: info.finishedAt.toISOString(),
    elapsedSec: Math.round((info.finishedAt.getTime() - info.startedAt.getTime()) / 1000),
    notes: {
      floorRatio: 'Concierge msgs/min ÷ floor msgs/min at the same concurrency (1 = as fast as the minimal design)',
      msgsPerMin: 'replies received (HTTP 200) per minute of load; processedPerMin also counts messages answered after a 504, over load and drain',
      latency: 'reply latency of answered messages only; 504s (the design gave up waiting after 30 s) are counted in timeouts',
      cpuMsPerMsg:
        'CPU ms per message of each process (utime+stime, with reaped children, from /proc) from the start of the load until the design is quiet again, per message answered in the end; the shared Temporal server counts for the design under load',
      historyPerTurn: 'events and protobuf bytes of a few conversations of the level, over all their runs, divided by the messages each got',
      summary: 'top-level figures are those of the highest concurrency level; lost/duplicated/errors/timeouts are summed over levels',
      scale:
        '`scale`: separate worker and API processes on one machine (two APIs; 1 worker, 2 workers, 2 workers with one killed -9 half-way and not replaced); per worker, the workflow and activity tasks of the run\'s conversations it completed, from their histories; CPU as average cores busy from the load\'s start until quiet',
      ack: 'ackP50/95/99Ms: WhatsApp webhook POST until its HTTP answer (200 once the message is durable in Temporal), every POST of the webhook phase; details in `webhooks`',
    },
    settings: {
      levels: info.options.levels,
      messagesPerCustomer: info.options.messages,
      idle: info.options.idle,
      full: info.options.full,
      growthTurns: info.options.growth,
      budgetMs: info.options.budgetMs,
      levelDeadlineMs: info.options.levelDeadlineMs,
      growthDeadlineMs: info.options.growthDeadlineMs,
      conciergeLogLevel: 'warn',
      llm: 'offline model',
    },
    machine: info.machine,
    versions: info.versions,
    summaryConcurrency: top.concierge.concurrency,
    msgsPerMin: top.concierge.msgsPerMin,
    floorMsgsPerMin: top.floor.msgsPerMin,
    floorRatio: ratio(top.concierge.msgsPerMin, top.floor.msgsPerMin),
    cpuMsPerMsg: top.concierge.cpuMsPerMsg.total,
    floorCpuMsPerMsg: top.floor.cpuMsPerMsg.total,
    cpuRatio: ratio(top.concierge.cpuMsPerMsg.total, top.floor.cpuMsPerMsg.total),
    replyP50Ms: top.concierge.replyP50Ms,
    replyP95Ms: top.concierge.replyP95Ms,
    replyP99Ms: top.concierge.replyP99Ms,
    floorReplyP50Ms: top.floor.replyP50Ms,
    floorReplyP99Ms: top.floor.replyP99Ms,
    historyEventsPerTurn: top.concierge.historyEventsPerTurn,
    historyBytesPerTurn: top.concierge.historyBytesPerTurn,
    floorHistoryEventsPerTurn: top.floor.historyEventsPerTurn,
    floorHistoryBytesPerTurn: top.floor.historyBytesPerTurn,
    lost: total((pair) => pair.concierge.lost),
    duplicated: total((pair) => pair.concierge.duplicated),
    errors: total((pair) => pair.concierge.errors),
    timeouts: total((pair) => pair.concierge.timeouts),
    floorLost: total((pair) => pair.floor.lost),
    floorDuplicated: total((pair) => pair.floor.duplicated),
    ackP50Ms: webhooks?.ackP50Ms ?? null,
    ackP95Ms: webhooks?.ackP95Ms ?? null,
    ackP99Ms: webhooks?.ackP99Ms ?? null,
    ackCustomerPriority: webhooks?.customerPriority ?? null,
    historyGrowthRatio: growth.concierge?.bytesRatio ?? null,
    floorHistoryGrowthRatio: growth.floor?.bytesRatio ?? null,
    workerRssMbAt10kOpen: idle?.workerRssMbAt10kOpen ?? null,
    workerRssAt10kMeasured: idle?.workerRssAt10kMeasured ?? false,
    workerRssAt10kBasis: idle?.workerRssAt10kBasis ?? 'no idle phase',
    levels: pairs.map(({ concierge, floor }) => ({
      concurrency: concierge.concurrency,
      msgsPerMin: concierge.msgsPerMin,
      floorMsgsPerMin: floor.msgsPerMin,
      floorRatio: ratio(concierge.msgsPerMin, floor.msgsPerMin),
      replyP50Ms: concierge.replyP50Ms,
      replyP95Ms: concierge.replyP95Ms,
      replyP99Ms: concierge.replyP99Ms,
      cpuMsPerMsg: concierge.cpuMsPerMsg.total,
      floorCpuMsPerMsg: floor.cpuMsPerMsg.total,
      historyEventsPerTurn: concierge.historyEventsPerTurn,
      historyBytesPerTurn: concierge.historyBytesPerTurn,
      lost: concierge.lost,
      duplicated: concierge.duplicated,
      concierge,
      floor,
    })),
    historyGrowth: growth,
    idle,
    webhooks,
    scale,
  };
}

export type Results = ReturnType<typeof buildResults>;

export function chartPoints(pairs: readonly LevelPair[]): ChartPoint[] {
  return pairs.map(({ concierge, floor }) => ({
    concurrency: concierge.concurrency,
    concierge: { msgsPerMin: concierge.msgsPerMin, p99Ms: concierge.replyP99Ms },
    floor: { msgsPerMin: floor.msgsPerMin, p99Ms: floor.replyP99Ms },
  }));
}

/** The Markdown the README shows: one row per level, then history growth and idle memory. */
export function markdownReport(results: Results): string {
  const ms = (value: number | null) => (value === null ? '–' : String(Math.round(value)));
  const pair = (a: number | string | null, b: number | string | null) => `${a ?? '–'} · ${b ?? '–'}`;
  const lines = [
    '| customers | Concierge msg/min | floor msg/min | ratio | Concierge p50 / p95 / p99 ms | floor p50 / p95 / p99 ms | errors · timeouts | lost · duplicated | CPU ms/msg (Concierge · floor) | events/turn (C · F) | bytes/turn (C · F) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.levels.map(({ concurrency, floorRatio, concierge: c, floor: f }) =>
      [
        concurrency,
        Math.round(c.msgsPerMin),
        Math.round(f.msgsPerMin),
        floorRatio ?? '–',
        `${ms(c.replyP50Ms)} / ${ms(c.replyP95Ms)} / ${ms(c.replyP99Ms)}`,
        `${ms(f.replyP50Ms)} / ${ms(f.replyP95Ms)} / ${ms(f.replyP99Ms)}`,
        `${c.errors} · ${c.timeouts} (floor ${f.errors} · ${f.timeouts})`,
        `${c.lost} · ${c.duplicated} (floor ${f.lost} · ${f.duplicated})`,
        pair(c.cpuMsPerMsg.total, f.cpuMsPerMsg.total),
        pair(c.historyEventsPerTurn, f.historyEventsPerTurn),
        pair(c.historyBytesPerTurn, f.historyBytesPerTurn),
      ].join(' | '),
    ).map((row) => `| ${row} |`),
    '',
    'CPU ms per message, by process:',
    '',
    ...results.levels.map(
      ({ concurrency, concierge, floor }) =>
        `- ${concurrency} customers — Concierge: ${describeCpu(concierge.cpuMsPerMsg)}; floor: ${describeCpu(floor.cpuMsPerMsg)}`,
    ),
  ];
  const losses = results.levels.flatMap(({ concurrency, concierge, floor }) =>
    [concierge, floor]
      .filter((run) => run.lost > 0)
      .map(
        (run) =>
          `- ${concurrency} customers, ${run.design}: ${run.lost} lost — by answer ${JSON.stringify(run.lostByOutcome)}, ` +
          `${run.lostUnrecorded} never recorded; e.g. ${run.lostOrDuplicatedExamples.slice(0, 3).join(', ')}`,
      ),
  );
  if (losses.length > 0) lines.push('', 'Lost messages:', '', ...losses);
  if (results.webhooks) lines.push('', ...webhookLines(results.webhooks));
  if (results.scale) lines.push('', ...scaleLines(results.scale));
  const growth = Object.values(results.historyGrowth);
  if (growth.length > 0) {
    lines.push('', `History bytes added by one turn, turn ${growth[0].earlyTurn} → turn ${growth[0].lateTurn} of one conversation (target ratio ≤ 1.2):`, '');
    for (const run of growth) {
      lines.push(
        `- ${run.design}: ${run.earlyTurnBytes ?? '–'} B (${run.earlyTurnEvents ?? '–'} events) → ` +
          `${run.lateTurnBytes ?? '–'} B (${run.lateTurnEvents ?? '–'} events), ratio ${run.bytesRatio ?? '–'}` +
          (run.turns < run.lateTurn ? ` (only ${run.turns} turns within the time limit)` : '') +
          (run.runs > 1 ? `, ${run.runs} runs` : '') +
          (run.unanswered ? `, ${run.unanswered} turns unanswered` : ''),
      );
    }
  }
  if (results.idle && results.idle.points.length > 0) {
    const idle = results.idle;
    lines.push('', `Idle conversations held open (Concierge process RSS, baseline ${idle.baselineRssMb} MB):`, '');
    for (const point of idle.points) {
      lines.push(
        `- ${point.open} open: ${point.rssMb[idle.role]} MB, ${point.rssKbPerConversation ?? '–'} KB per conversation` +
          (point.reachedTarget ? '' : ` (time budget ran out on the way to ${point.target})`) +
          (point.openingErrors ? ` (${point.openingErrors} failed to open)` : ''),
      );
    }
    lines.push(`- 10,000 open: ${idle.workerRssMbAt10kOpen ?? '–'} MB (${idle.workerRssAt10kBasis})`);
  }
  const { machine, versions } = results;
  lines.push(
    '',
    `${machine.cpus} × ${machine.model}, ${Math.round(machine.memoryMb / 1024)} GB · Node ${versions.node} · Temporal SDK ${versions.temporalSdk} · ` +
      `server ${versions.temporalServer ?? '?'} · ${results.settings.messagesPerCustomer} messages per customer · ${results.elapsedSec} s`,
  );
  return lines.join('\n');
}

function webhookLines(run: WebhookRun): string[] {
  const kinds = Object.entries(run.ackByKind)
    .filter(([, kind]) => kind.count > 0)
    .map(([name, kind]) => `${name} ${kind.p50Ms ?? '–'} / ${kind.p99Ms ?? '–'} ms (${kind.count})`);
  return [
    `WhatsApp webhooks, ${run.customers} customers, closed loop (${run.quietPeriodMs / 1000} s quiet period before each reply), ${Math.round(run.durationMs / 1000)} s:`,
    '',
    `- ack (POST → HTTP answer) p50 / p95 / p99: ${run.ackP50Ms ?? '–'} / ${run.ackP95Ms ?? '–'} / ${run.ackP99Ms ?? '–'} ms, max ${run.ackMaxMs ?? '–'} ms ` +
      `over ${run.posts} POSTs (${run.messages} messages, ${run.redeliveries} redelivered); by kind p50 / p99: ${kinds.join(', ')}; ` +
      (run.customerPriority === 'ahead'
        ? "the customers' process went ahead of Concierge's for a core"
        : "the customers' process shared the cores at Concierge's priority (no privilege to raise it): their own waits are in the acks"),
    `- host steal while the customers wrote: ${run.hostStealPercent} % of the CPU time`,
    `- answers ${JSON.stringify(run.acks)}: ${run.non200} non-200, ${run.refused} messages never acknowledged`,
    `- reply (POST → reply at the fake Graph API) p50 / p95 / p99: ${run.replyP50Ms ?? '–'} / ${run.replyP95Ms ?? '–'} / ${run.replyP99Ms ?? '–'} ms`,
    `- replies lost · duplicated: ${run.repliesLost} · ${run.repliesDuplicated} at the fake; ${run.transcriptLost} · ${run.transcriptDuplicated} in the transcripts` +
      (run.transcriptUnverified ? ` (${run.transcriptUnverified} unverified)` : ''),
    `- CPU ms per message: ${describeCpu(run.cpuMsPerMsg)}`,
  ];
}

function describeCpu(cpu: Record<string, number>): string {
  return Object.entries(cpu)
    .filter(([role]) => role !== 'total')
    .map(([role, value]) => `${role} ${value}`)
    .join(', ');
}
