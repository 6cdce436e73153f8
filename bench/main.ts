import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { renderChart } from './chart';
import { killAllChildrenNow, stopAllChildren } from './children';
import { conciergeDesign, floorDesign, type Design } from './designs';
import { measureGrowth, type GrowthRun } from './growth';
import { HistoryMeter } from './history';
import { measureIdle } from './idle';
import { distinctRoles } from './meter';
import { runLevel, type LevelRun } from './level';
import { describeMachine, describeVersions } from './machine';
import { readOptions } from './options';
import { buildResults, chartPoints, markdownReport, type LevelPair } from './report';
import { measureScale, scalePhaseMs, type ScaleResult } from './scale';
import { startApiProcess, startConcierge, startFloor } from './stack';
import { measureWebhooks, startFakeGraph, type WebhookRun } from './webhooks';

/**
 * `npm run bench`: Concierge against the minimal design (the floor) on the same Temporal server,
 * through HTTP, at each load level; then history growth in one long conversation, and memory
 * with many idle conversations open. Writes bench/results/ and prints a Markdown table.
 */

const RESULTS_DIR = path.join(__dirname, 'results');
const STOP_RESERVE_MS = 45_000;
const startedAt = new Date();
const abort = new AbortController();

function log(message: string): void {
  const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  process.stdout.write(`[${String(seconds).padStart(4)} s] ${message}\n`);
}

/** What to undo, in reverse order; run once, by the normal end, a failure or a Ctrl-C. */
const cleanups: Array<() => Promise<void>> = [];
let shuttingDown: Promise<void> | undefined;
function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log(`while stopping: ${String(error)}`));
    }
    await stopAllChildren(); // any child still starting
  })();
  return shuttingDown;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      // A second Ctrl-C: no more waiting for orderly stops.
      killAllChildrenNow();
      process.exit(130);
    }
    interrupted = true;
    log(`${signal}: stopping everything the benchmark started…`);
    abort.abort();
    void shutdown().finally(() => process.exit(130));
  });
}
// Whatever happens, no child outlives the benchmark.
process.on('exit', killAllChildrenNow);

function checkNotInterrupted(): void {
  if (abort.signal.aborted) throw new Error('interrupted');
}

async function main(): Promise<void> {
  const options = readOptions();
  const runTag = `bench-${startedAt.getTime().toString(36)}`;
  log(
    `levels ${options.levels.join(', ')} × ${options.messages} messages; idle ${options.idle.join(', ') || 'none'}; ` +
      `Concierge from ${options.conciergeDir}`,
  );

  // Before Concierge: its demo tenant's WhatsApp channel is configured from env at start.
  const graph = options.webhookCustomers > 0 ? await startFakeGraph() : undefined;
  if (graph) cleanups.push(() => graph.fake.stop());
  log('starting Concierge (API, worker, Temporal dev server, PostgreSQL)…');
  const stack = await startConcierge(options.conciergeDir, graph?.env);
  cleanups.push(() => stack.process.stop());
  log(`Concierge ready (pid ${stack.process.pid}); starting the floor on ${stack.temporalAddress}…`);
  const floor = await startFloor(stack.temporalAddress);
  cleanups.push(() => floor.process.stop());
  checkNotInterrupted();

  const connection = await Connection.connect({ address: stack.temporalAddress });
  cleanups.push(() => connection.close());
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default' });
  const meter = new HistoryMeter(client);
  const designs = { concierge: conciergeDesign(stack, client), floor: floorDesign(floor, stack, client) };
  const allRoles = distinctRoles([...designs.concierge.roles, ...designs.floor.roles]);
  const context = { options, meter, runTag, abort: abort.signal, allRoles };

  // First, on a machine with nothing else to do: the levels that follow overload it on purpose, and
  // the floor's backlog of the largest one takes minutes to drain, which an acknowledgement
  // measured after them would be measuring instead.
  let webhooks: WebhookRun | null = null;
  if (graph) {
    checkNotInterrupted();
    log(`Concierge: ${options.webhookCustomers} WhatsApp customers through the webhook of an API process of its own…`);
    const api = await startApiProcess(options.conciergeDir, stack);
    cleanups.push(() => api.process.stop());
    webhooks = await measureWebhooks({ options, api, concierge: designs.concierge, graph, allRoles, runTag, abort: abort.signal });
    log(`Concierge: ${describeWebhooks(webhooks)}`);
  }

  const pairs: LevelPair[] = [];
  for (const concurrency of options.levels) {
    const run = async (design: Design) => {
      checkNotInterrupted();
      log(`${design.name}: ${concurrency} customers × ${options.messages} messages…`);
      const result = await runLevel(design, concurrency, context);
      log(`${design.name}: ${describeLevel(result)}`);
      return result;
    };
    pairs.push({ concierge: await run(designs.concierge), floor: await run(designs.floor) });
  }

  const growth: Record<string, GrowthRun> = {};
  for (const design of [designs.concierge, designs.floor]) {
    checkNotInterrupted();
    log(`${design.name}: one conversation of ${options.growth.turns} turns…`);
    growth[design.name] = await measureGrowth(design, meter, options, `${runTag}-long`, abort.signal);
    const run = growth[design.name];
    log(`${design.name}: turn ${run.earlyTurn} added ${run.earlyTurnBytes} B, turn ${run.lateTurn} ${run.lateTurnBytes} B (ratio ${run.bytesRatio})`);
  }

  let idle = null;
  if (options.idle.length > 0) {
    checkNotInterrupted();
    log(`Concierge: opening idle conversations up to ${options.idle.join(', ')}…`);
    // The rest of the time budget, less what stopping everything takes.
    const deadline = startedAt.getTime() + options.budgetMs - STOP_RESERVE_MS - scalePhaseMs(options);
    idle = await measureIdle(designs.concierge, options, runTag, deadline, abort.signal);
    const { role, points } = idle;
    log(`Concierge: ${points.map((point) => `${point.open} open → ${point.rssMb[role]} MB`).join(', ') || 'no time left to open any'}`);
  }

  const versions = await describeVersions(connection, options.conciergeDir);
  let scale: ScaleResult | null = null;
  if (options.scaleCustomers > 0) {
    checkNotInterrupted();
    // The scale phase starts processes of its own: the single-process stack and the floor would compete for the cores.
    log('stopping the floor and Concierge for the scale phase…');
    await floor.process.stop();
    await stack.process.stop();
    scale = await measureScale({ options, runTag, abort: abort.signal, log });
    log(`scale: ${scale.limits}`);
  }
  log('stopping the floor and Concierge…');
  await shutdown();

  const finishedAt = new Date();
  const results = buildResults({ startedAt, finishedAt, options, machine: describeMachine(), versions }, pairs, growth, idle, webhooks, scale);
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  await writeFile(path.join(RESULTS_DIR, 'latest.json'), json);
  await writeFile(path.join(RESULTS_DIR, `${stamp}.json`), json);
  const subtitle = `${results.machine.cpus} CPUs · ${options.messages} messages per customer · offline model · ${stamp}`;
  await writeFile(path.join(RESULTS_DIR, 'latest.svg'), renderChart(chartPoints(pairs), subtitle));

  process.stdout.write(`\n${markdownReport(results)}\n\n`);
  log(`wrote ${path.relative(process.cwd(), RESULTS_DIR)}/latest.json, ${stamp}.json and latest.svg; elapsed ${results.elapsedSec} s`);
}

function describeWebhooks(run: WebhookRun): string {
  return (
    `${run.messages} messages (${run.posts} POSTs) in ${(run.durationMs / 1000).toFixed(1)} s: ack p50 ${run.ackP50Ms} ms, ` +
    `p95 ${run.ackP95Ms} ms, p99 ${run.ackP99Ms} ms (customers' priority: ${run.customerPriority}), non-200 ${run.non200}; reply p50 ${run.replyP50Ms} ms, p99 ${run.replyP99Ms} ms; ` +
    `replies lost ${run.repliesLost}, duplicated ${run.repliesDuplicated}; transcript lost ${run.transcriptLost}, duplicated ${run.transcriptDuplicated}`
  );
}

function describeLevel(run: LevelRun): string {
  return (
    `${run.answered}/${run.sent} answered in ${(run.durationMs / 1000).toFixed(1)} s → ${run.msgsPerMin} msg/min, ` +
    `p50 ${run.replyP50Ms} ms, p99 ${run.replyP99Ms} ms, CPU ${run.cpuMsPerMsg.total} ms/msg, ` +
    `timeouts ${run.timeouts}, errors ${run.errors}, lost ${run.lost}${run.lost ? ` (by answer: ${JSON.stringify(run.lostByOutcome)}; never recorded: ${run.lostUnrecorded})` : ''}, ` +
    `duplicated ${run.duplicated}` +
    (run.cutShort ? ' (cut short by the level deadline)' : '')
  );
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    if (interrupted) return; // the signal handler is stopping everything and exits
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await shutdown();
    process.exit(1);
  },
);
