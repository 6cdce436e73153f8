import type { ScaleResult } from './scale';

/** The scale phase in Markdown: one row per run, then what limits the throughput. */
export function scaleLines(scale: ScaleResult): string[] {
  const ms = (value: number | null) => (value === null ? '–' : String(Math.round(value)));
  const cores = (cpu: Record<string, number>, prefix: string) =>
    Object.entries(cpu)
      .filter(([role]) => role.startsWith(prefix))
      .map(([, value]) => value)
      .join(' + ');
  return [
    `Scale-out: ${scale.concurrency} web customers over ${scale.apis} API processes, ${scale.runSec} s per run, separate worker processes ` +
      `(a killed worker is ${scale.replacementStarted ? '' : 'not '}replaced); two workers ÷ one: ${scale.twoWorkerSpeedup ?? '–'}×`,
    '',
    '| run | msg/min (with late answers) | cluster CPU ms/msg | p50 / p99 ms | timeouts | lost · duplicated | per worker: workflow · activity tasks | redone: sticky · workflow task · activity | CPU cores: Temporal · workers · APIs · PostgreSQL · machine |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|',
    ...scale.runs.map((run) =>
      [
        run.label + (run.killed ? ` (${run.killed.worker} at ${run.killed.atSec} s)` : ''),
        `${Math.round(run.msgsPerMin)} (${Math.round(run.processedPerMin)})`,
        run.clusterCpuMsPerMsg ?? '–',
        `${ms(run.replyP50Ms)} / ${ms(run.replyP99Ms)}`,
        run.timeouts,
        `${run.lost} · ${run.duplicated}` + (run.unverified ? ` (${run.unverified} unverified)` : ''),
        run.perWorker.map((worker) => `${worker.name}${worker.killed ? ' †' : ''} ${worker.workflowTasks} · ${worker.activityTasks}`).join(', ') +
          (run.otherWorkers.workflowTasks + run.otherWorkers.activityTasks > 0
            ? `, others ${run.otherWorkers.workflowTasks} · ${run.otherWorkers.activityTasks}`
            : ''),
        `${run.redone.stickyTimeouts} · ${run.redone.workflowTaskTimeouts} · ${run.redone.activityRetries}`,
        [run.cpuCores.temporal ?? '–', cores(run.cpuCores, 'worker-'), cores(run.cpuCores, 'api-'), run.cpuCores.postgres ?? '–', run.cpuCores.machine].join(' · '),
      ].join(' | '),
    ).map((row) => `| ${row} |`),
    '',
    '† killed -9 during the run. Redone: workflow tasks that waited too long on a busy or dead worker\'s sticky queue and went to the shared one; ' +
      'workflow tasks a worker took and never completed; activities that needed another attempt.',
    '',
    scale.limits,
  ];
}
