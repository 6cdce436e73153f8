import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** What /proc/<pid>/stat says about one process (man 5 proc). */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks: its own CPU and that of its reaped children. */
  cpuTicks: number;
  /** Clock ticks after boot: with the pid, identifies a process (pids are reused). */
  startTime: number;
}

/** Clock ticks per second, for turning /proc CPU times into milliseconds. */
export const CLK_TCK = readClockTicks();

function readClockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100; // Linux's USER_HZ on every common architecture
  }
}

export function ticksToMs(ticks: number): number {
  return (ticks * 1000) / CLK_TCK;
}

export function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone
  }
  // comm is in parentheses and may itself contain spaces or parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state): field n is fields[n - 3].
  const field = (n: number) => Number(fields[n - 3]);
  return {
    pid,
    comm,
    ppid: field(4),
    // A reaped child's CPU moves into its parent's cutime/cstime: counting both keeps the
    // PostgreSQL backends that ended during a measurement (their postmaster reaped them).
    cpuTicks: field(14) + field(15) + field(16) + field(17),
    startTime: field(22),
  };
}

/** Resident set size in kB (/proc/<pid>/status VmRSS); undefined once the process is gone. */
export function readRssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function listProcesses(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
}

/** Every process below `rootPid` (children, grandchildren…), as /proc shows them now. */
export function descendants(rootPid: number): ProcStat[] {
  const all = listProcesses();
  const children = new Map<number, ProcStat[]>();
  for (const stat of all) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const found: ProcStat[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Whether the process that had this pid and start time is still there (pids are reused). */
export function stillRunning(stat: Pick<ProcStat, 'pid' | 'startTime'>): boolean {
  return readStat(stat.pid)?.startTime === stat.startTime;
}

/**
 * All CPUs' time since boot from /proc/stat, in clock ticks: in all, not idle (nor waiting for
 * I/O), and stolen (a virtual machine's CPU kept waiting while the host ran something else).
 */
export function readMachineTicks(): { busy: number; total: number; steal: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const [, , , idle, iowait, , , steal] = fields;
  const total = fields.reduce((all, value) => all + value, 0);
  return { busy: total - idle - iowait, total, steal };
}
