import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startLocalCluster, type ClusterProcess, type LocalCluster } from './cluster';
import { sleep } from './concurrency';
import { checkDelivery, conciergeDelivery } from './delivery';
import { runLoad, type LoadResult } from './load';
import { waitUntilQuiet } from './meter';
import type { BenchOptions } from './options';
import { clusterRoles, CpuWindow } from './scale-cpu';
import { attributeTasks, type Redone, type TaskCounts } from './scale-tasks';
import { UNSET_FOR_THE_BENCHMARK } from './stack';
import { percentile, ratio, round, sum } from './stats';

/**
 * The scale phase: Concierge as separate processes (bench/cluster.ts: two API processes, one or
 * two workers, one Temporal dev server and one PostgreSQL), the web load spread over both APIs.
 * Three runs of the same closed loop: one worker; two workers; two workers with one killed -9
 * half-way (no replacement: the survivor must take over its conversations, nothing lost).
 */

export interface WorkerShare extends TaskCounts {
  name: string;
  identity: string;
  killed: boolean;
}

export interface ScaleRun {
  label: string;
  workers: number;
  /** The worker killed -9 during the run, and when (seconds into the load). */
  killed: { worker: string; atSec: number } | null;
  sent: number;
  answered: number;
  durationMs: number;
  /** Replies received (200) per minute of load. */
  msgsPerMin: number;
  /** Messages answered in the end (late ones included) per minute of load and drain: capacity. */
  processedPerMin: number;
  /**
   * The cluster's CPU (all its processes) per message answered in the end: unlike throughput,
   * hardly moved by what other processes on a shared machine take.
   */
  clusterCpuMsPerMsg: number | null;
  replyP50Ms: number | null;
  replyP95Ms: number | null;
  replyP99Ms: number | null;
  outcomes: Record<string, number>;
  timeouts: number;
  lost: number;
  duplicated: number;
  unverified: number;
  lostOrDuplicatedExamples: string[];
  /** Per worker of the run: the tasks of this run's conversations it completed (from their histories). */
  perWorker: WorkerShare[];
  /** Tasks by an identity of no worker of this run (none expected). */
  otherWorkers: TaskCounts;
  /** Work the server took back from one worker and gave out again. */
  redone: Redone;
  /** Average cores busy from the start of the load until the cluster is quiet again, per process and in all. */
  cpuCores: Record<string, number>;
  drainMs: number;
}

export interface ScaleResult {
  concurrency: number;
  apis: number;
  messagesPerCustomer: number;
  runSec: number;
  /** A killed worker is not replaced: the one left must do all the work. */
  replacementStarted: boolean;
  runs: ScaleRun[];
  /** Two workers' throughput over one worker's (the run without a kill). */
  twoWorkerSpeedup: number | null;
  /** What limits the throughput, in words, from the 2-worker run's CPU figures. */
  limits: string;
}

export interface ScaleContext {
  options: BenchOptions;
  runTag: string;
  abort: AbortSignal;
  log(message: string): void;
}

const APIS = 2;
const QUIET_MAX_MS = 60_000;
/** State queries and history reads at once. */
const QUERY_CONCURRENCY = 20;
/** Enough customers that the run's deadline, not the list, ends the load. */
const SESSIONS_PER_SLOT = 40;
const WARM_UP = { customers: 10, messages: 2 };

/** What the phase takes, about (starting the cluster and a second worker; each run's drain and checks): kept from the idle phase's budget. */
export function scalePhaseMs(options: BenchOptions): number {
  return options.scaleCustomers > 0 ? 90_000 + 3 * (options.scaleRunMs + 20_000) : 0;
}

export async function measureScale(context: ScaleContext): Promise<ScaleResult> {
  const { options, log } = context;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'concierge-bench-scale-'));
  const adminToken = randomBytes(24).toString('base64url');
  let cluster: LocalCluster | undefined;
  let connection: Connection | undefined;
  try {
    log(`scale: starting ${APIS} API processes, 1 worker, a Temporal dev server and PostgreSQL…`);
    cluster = await startLocalCluster({
      workers: 1,
      apis: APIS,
      // As the single-process stack is measured: offline model, default tuning, no request logs.
      env: { LOG_LEVEL: 'warn', ADMIN_TOKEN: adminToken },
      unset: UNSET_FOR_THE_BENCHMARK,
      dataDir,
    });
    connection = await Connection.connect({ address: cluster.temporalAddress });
    const client = new Client({ connection, namespace: cluster.namespace });
    const run = (label: string, runIndex: number, kill: boolean) => measureRun(label, { cluster: cluster!, client, context, adminToken, runIndex, kill });

    await warmUp(cluster, adminToken, context, 'w1');
    const runs = [await run('1 worker', 1, false)];
    log(`scale: ${describeRun(runs[0])}`);
    await cluster.startWorker();
    await warmUp(cluster, adminToken, context, 'w2');
    runs.push(await run('2 workers', 2, false));
    log(`scale: ${describeRun(runs[1])}`);
    runs.push(await run('2 workers, one killed -9 half-way', 3, true));
    log(`scale: ${describeRun(runs[2])}`);

    return {
      concurrency: options.scaleCustomers,
      apis: APIS,
      messagesPerCustomer: options.messages,
      runSec: options.scaleRunMs / 1000,
      replacementStarted: false,
      runs,
      twoWorkerSpeedup: ratio(runs[1].msgsPerMin, runs[0].msgsPerMin),
      limits: whatLimits(runs[0], runs[1]),
    };
  } finally {
    await connection?.close();
    await cluster?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface RunPlan {
  cluster: LocalCluster;
  client: Client;
  context: ScaleContext;
  adminToken: string;
  runIndex: number;
  kill: boolean;
}

async function measureRun(label: string, plan: RunPlan): Promise<ScaleRun> {
  const { cluster, client, context } = plan;
  const { options } = context;
  if (context.abort.aborted) throw new Error('interrupted');
  context.log(`scale: ${label}: ${options.scaleCustomers} customers over ${cluster.apiUrls.length} APIs for ${options.scaleRunMs / 1000} s…`);
  const roles = clusterRoles(cluster);
  await waitUntilQuiet(roles, QUIET_MAX_MS);
  const workers = [...cluster.workers];
  const victim = plan.kill ? workers[0] : undefined;
  const sessionIds = Array.from({ length: options.scaleCustomers * SESSIONS_PER_SLOT }, (_, index) => `${context.runTag}-scale${plan.runIndex}-${index}`);

  const cpu = new CpuWindow(roles);
  const loadStarted = performance.now();
  let killed: ScaleRun['killed'] = null;
  const killing = victim
    ? sleep(options.scaleRunMs / 2).then(async () => {
        cpu.remember();
        killed = { worker: victim.name, atSec: round((performance.now() - loadStarted) / 1000) };
        await cluster.killWorker(victim);
        context.log(`scale: killed ${victim.name} (-9) at ${killed.atSec} s; no replacement`);
      })
    : Promise.resolve();
  const load = await loadAcrossApis(cluster.apiUrls, plan.adminToken, sessionIds, options.scaleCustomers, options.messages, options, context.abort);
  await killing;
  const drainMs = await waitUntilQuiet(roles, QUIET_MAX_MS);
  const { cores: cpuCores, elapsedMs: cpuWindowMs } = cpu.finish();

  const workflowId = (sessionId: string) => `conversation:demo:web:${sessionId}`;
  const sessions = load.sessions.filter((session) => session.messageIds.length > 0);
  const delivery = await checkDelivery(conciergeDelivery(client), sessions, { workflowId, settleMs: options.settleMs, concurrency: QUERY_CONCURRENCY });
  const tasks = await attributeTasks(
    client,
    sessions.map((session) => workflowId(session.sessionId)),
    QUERY_CONCURRENCY,
  );
  const none = (): TaskCounts => ({ workflowTasks: 0, activityTasks: 0 });
  const perWorker = workers.map((worker) => share(worker, tasks.byIdentity[worker.identity!] ?? none(), worker === victim));
  const others = Object.entries(tasks.byIdentity).filter(([identity]) => !workers.some((worker) => worker.identity === identity));
  const processed = load.sent - delivery.lost - delivery.unverified;
  const latency = (p: number) => {
    const value = percentile(load.latenciesMs, p);
    return value === undefined ? null : round(value);
  };
  return {
    label,
    workers: workers.length,
    killed,
    sent: load.sent,
    answered: load.answered,
    durationMs: Math.round(load.durationMs),
    msgsPerMin: round((load.answered / load.durationMs) * 60_000),
    processedPerMin: round((processed / (load.durationMs + drainMs)) * 60_000),
    clusterCpuMsPerMsg: processed > 0 ? round((cpuCores.cluster * cpuWindowMs) / processed) : null,
    replyP50Ms: latency(50),
    replyP95Ms: latency(95),
    replyP99Ms: latency(99),
    outcomes: load.outcomes,
    timeouts: (load.outcomes['504'] ?? 0) + (load.outcomes.timeout ?? 0),
    lost: delivery.lost,
    duplicated: delivery.duplicated,
    unverified: delivery.unverified,
    lostOrDuplicatedExamples: delivery.examples,
    perWorker,
    otherWorkers: {
      workflowTasks: sum(others.map(([, counts]) => counts.workflowTasks)),
      activityTasks: sum(others.map(([, counts]) => counts.activityTasks)),
    },
    redone: tasks.redone,
    cpuCores,
    drainMs,
  };
}

function share(worker: ClusterProcess, counts: TaskCounts, killed: boolean): WorkerShare {
  return { name: worker.name, identity: worker.identity!, killed, ...counts };
}

/** The closed-loop web load, its customers dealt out over the API processes in turn; one result. */
async function loadAcrossApis(
  apiUrls: readonly string[],
  adminToken: string,
  sessionIds: readonly string[],
  concurrency: number,
  messagesPerSession: number,
  options: BenchOptions,
  abort: AbortSignal,
): Promise<LoadResult> {
  const parts = await Promise.all(
    apiUrls.map((url, api) =>
      runLoad({
        url: `${url}/api/chat`,
        headers: { authorization: `Bearer ${adminToken}` },
        sessionIds: sessionIds.filter((_, index) => index % apiUrls.length === api),
        messagesPerSession,
        concurrency: Math.floor(concurrency / apiUrls.length) + (api < concurrency % apiUrls.length ? 1 : 0),
        deadlineMs: options.scaleRunMs,
        requestTimeoutMs: options.requestTimeoutMs,
        abort,
      }),
    ),
  );
  const outcomes: Record<string, number> = {};
  for (const part of parts) for (const [outcome, count] of Object.entries(part.outcomes)) outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
  return {
    durationMs: Math.max(...parts.map((part) => part.durationMs)),
    sent: sum(parts.map((part) => part.sent)),
    answered: sum(parts.map((part) => part.answered)),
    outcomes,
    latenciesMs: parts.flatMap((part) => part.latenciesMs),
    sessions: parts.flatMap((part) => part.sessions),
    cutShort: parts.some((part) => part.cutShort),
  };
}

/** A few messages through every API before measuring: a new worker's first conversations pay for its JIT. */
async function warmUp(cluster: LocalCluster, adminToken: string, context: ScaleContext, tag: string): Promise<void> {
  const sessionIds = Array.from({ length: WARM_UP.customers }, (_, index) => `${context.runTag}-scale-${tag}-${index}`);
  await loadAcrossApis(cluster.apiUrls, adminToken, sessionIds, WARM_UP.customers, WARM_UP.messages, context.options, context.abort);
}

/** What the CPU figures of the 1- and 2-worker runs say limits the throughput. */
function whatLimits(one: ScaleRun, two: ScaleRun): string {
  const cores = os.cpus().length;
  const cpu = two.cpuCores;
  const roleSum = (prefix: string) => round(sum(Object.entries(cpu).filter(([role]) => role.startsWith(prefix)).map(([, value]) => value)), 2);
  const others = round(Math.max(0, cpu.machine - cpu.cluster - cpu.loadGenerator), 2);
  const noise =
    others > 0.25 * cores
      ? ` Other processes took ${others} of the ${cores} cores: throughputs of different runs are not comparable here, ` +
        `the cluster's CPU per message is (${one.clusterCpuMsPerMsg ?? '–'} ms with one worker, ${two.clusterCpuMsPerMsg ?? '–'} ms with two).`
      : '';
  const machineBusy = cpu.machine / cores;
  const temporalShare = `the Temporal server uses ${Math.round(((cpu.temporal ?? 0) / cpu.cluster) * 100)} % of the cluster's CPU`;
  const verdict =
    machineBusy >= 0.9
      ? `the CPU is the limit: a second worker shares the same cores rather than adding any, and ${temporalShare}`
      : `the CPU is not saturated: the closed loop bounds the throughput (each customer waits for its reply, ` +
        `median ${two.replyP50Ms ?? '–'} ms; ${one.replyP50Ms ?? '–'} ms with one worker); ${temporalShare}`;
  return (
    `With 2 workers on ${cores} cores the machine was ${Math.round(machineBusy * 100)} % busy (${cpu.machine} cores: the cluster ${cpu.cluster} — ` +
    `Temporal server ${cpu.temporal ?? 0}, workers ${roleSum('worker-')}, APIs ${roleSum('api-')}, PostgreSQL ${cpu.postgres ?? 0} —, ` +
    `the load generator ${cpu.loadGenerator}, other processes ${others}); ${verdict}. Throughput ${one.msgsPerMin} → ${two.msgsPerMin} msg/min.${noise}`
  );
}

function describeRun(run: ScaleRun): string {
  const workers = run.perWorker
    .map((worker) => `${worker.name}${worker.killed ? ' (killed)' : ''} ${worker.workflowTasks} workflow / ${worker.activityTasks} activity tasks`)
    .join(', ');
  return (
    `${run.label}: ${run.answered}/${run.sent} answered in ${(run.durationMs / 1000).toFixed(1)} s → ${run.msgsPerMin} msg/min ` +
    `(${run.processedPerMin} with late answers), cluster CPU ${run.clusterCpuMsPerMsg} ms/msg, ` +
    `p50 ${run.replyP50Ms} ms, p99 ${run.replyP99Ms} ms, timeouts ${run.timeouts}, lost ${run.lost}, duplicated ${run.duplicated}` +
    (run.unverified ? `, unverified ${run.unverified}` : '') +
    `; ${workers}; redone ${JSON.stringify(run.redone)}; CPU cores ${JSON.stringify(run.cpuCores)}`
  );
}
