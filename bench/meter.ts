import { descendants, readRssKb, readStat, ticksToMs, type ProcStat } from './proc';
import { sleep } from './concurrency';
import { roundValues, sum } from './stats';

/** A part of a design whose CPU and memory are measured: one process, or a group (PostgreSQL). */
export interface ProcessRole {
  name: string;
  /** Its processes as they are now (a group's members come and go). */
  find(): ProcStat[];
}

export function singleProcess(name: string, pid: number): ProcessRole {
  return { name, find: () => [readStat(pid)].filter((stat): stat is ProcStat => stat !== undefined) };
}

/** The processes named `comm` below `rootPid`: the servers a Concierge process embeds. */
export function descendantsNamed(name: string, rootPid: number, comm: string): ProcessRole {
  return { name, find: () => descendants(rootPid).filter((stat) => stat.comm === comm) };
}

/** The roles of several designs, each once (they share the Temporal server). */
export function distinctRoles(roles: readonly ProcessRole[]): ProcessRole[] {
  return [...new Map(roles.map((role) => [role.name, role])).values()];
}

export interface RoleSample {
  cpuTicks: number;
  rssKb: number;
  processes: number;
}

export type Sample = Record<string, RoleSample>;

export function sampleRoles(roles: readonly ProcessRole[]): Sample {
  return Object.fromEntries(
    roles.map((role) => {
      const stats = role.find();
      return [
        role.name,
        {
          cpuTicks: sum(stats.map((stat) => stat.cpuTicks)),
          rssKb: sum(stats.map((stat) => readRssKb(stat.pid) ?? 0)),
          processes: stats.length,
        },
      ];
    }),
  );
}

/** CPU milliseconds per message of each role between two samples, and their `total`. */
export function cpuMsPerMessage(before: Sample, after: Sample, messages: number): Record<string, number> {
  const perRole = Object.keys(after).map((name) => {
    const ms = ticksToMs(after[name].cpuTicks - (before[name]?.cpuTicks ?? 0));
    return [name, messages > 0 ? ms / messages : 0] as const;
  });
  const total = sum(perRole.map(([, value]) => value));
  return roundValues(Object.fromEntries([...perRole, ['total', total]]), 2);
}

/** Resident memory of each role in MB (a group's members summed: shared pages count in each). */
export function rssMb(sample: Sample): Record<string, number> {
  return roundValues(Object.fromEntries(Object.entries(sample).map(([name, role]) => [name, role.rssKb / 1024])), 1);
}

const QUIET_WINDOW_MS = 1_000;

/**
 * Waits until the roles together use less than `thresholdCores` of CPU over a one-second window
 * (at most `maxMs`): a design still working off a backlog (messages answered after a 504) must
 * not be measured as the next one's cost, nor leave its own cost out. Returns how long it waited.
 */
export async function waitUntilQuiet(roles: readonly ProcessRole[], maxMs: number, thresholdCores = 0.15): Promise<number> {
  const started = Date.now();
  const total = () => sum(Object.values(sampleRoles(roles)).map((role) => role.cpuTicks));
  let last = total();
  while (Date.now() - started < maxMs) {
    await sleep(QUIET_WINDOW_MS);
    const now = total();
    if (ticksToMs(now - last) < QUIET_WINDOW_MS * thresholdCores) break;
    last = now;
  }
  return Date.now() - started;
}
