import os from 'node:os';
import type { LocalCluster } from './cluster';
import { sampleRoles, singleProcess, type ProcessRole, type Sample } from './meter';
import { descendants, readMachineTicks, readStat, ticksToMs, type ProcStat } from './proc';
import { roundValues, sum } from './stats';

/** The cluster's processes, one role each: the Temporal server, PostgreSQL (postmaster and backends), every worker and API. */
export function clusterRoles(cluster: LocalCluster): ProcessRole[] {
  const { temporal, postgres } = cluster.serverPids();
  return [
    ...(temporal ? [singleProcess('temporal', temporal)] : []),
    ...(postgres ? [{ name: 'postgres', find: () => [readStat(postgres), ...descendants(postgres)].filter((stat): stat is ProcStat => stat !== undefined) }] : []),
    ...cluster.workers.map((worker) => singleProcess(worker.name, worker.pid)),
    ...cluster.apis.map((api) => singleProcess(api.name, api.pid)),
  ];
}

/**
 * CPU over one window, as average cores busy: per role, `cluster` (their sum), `loadGenerator`
 * (this process: it competes for the same cores) and `machine` (every process on the machine,
 * from /proc/stat: others' work on a shared machine shows there and nowhere else).
 */
export class CpuWindow {
  private readonly startedAt = performance.now();
  private readonly before: Sample;
  /** Each role's last sample while it still had processes: a worker killed mid-window keeps its CPU. */
  private readonly lastSeen: Sample = {};
  private readonly machineBefore = readMachineTicks();
  private readonly benchBefore = process.cpuUsage();

  constructor(private readonly roles: readonly ProcessRole[]) {
    this.before = sampleRoles(roles);
  }

  /** Call just before killing one of the roles' processes. */
  remember(): void {
    for (const [name, sample] of Object.entries(sampleRoles(this.roles))) if (sample.processes > 0) this.lastSeen[name] = sample;
  }

  finish(): { cores: Record<string, number>; elapsedMs: number } {
    const elapsedMs = performance.now() - this.startedAt;
    const cores = (ms: number) => ms / elapsedMs;
    const after = sampleRoles(this.roles);
    const perRole = Object.keys(this.before).map((name) => {
      const end = after[name].processes > 0 ? after[name] : (this.lastSeen[name] ?? after[name]);
      return [name, cores(ticksToMs(Math.max(0, end.cpuTicks - this.before[name].cpuTicks)))] as const;
    });
    const bench = process.cpuUsage(this.benchBefore);
    const machine = readMachineTicks();
    const busyShare = (machine.busy - this.machineBefore.busy) / Math.max(1, machine.total - this.machineBefore.total);
    const figures = {
      ...Object.fromEntries(perRole),
      cluster: sum(perRole.map(([, value]) => value)),
      loadGenerator: cores((bench.user + bench.system) / 1000),
      machine: busyShare * os.cpus().length,
    };
    return { cores: roundValues(figures, 2), elapsedMs };
  }
}
