import { readFileSync, writeFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How the benchmark's own process stood while its customers were timed. */
export type CustomerPriority = 'ahead' | 'shared';

/** Ahead of a nice-0 process for a core, without starving anything. */
const AHEAD_NICE = -10;
/** Where Linux groups processes by session (autogroups); absent elsewhere. */
const AUTOGROUP = '/proc/self/autogroup';

/**
 * Runs `work` with the benchmark's process ahead of Concierge's for a core. Its webhook customers
 * stand in for a provider's servers, which do not share our cores: on a shared machine their own
 * wait for a core (to send, and to see the answer) would be timed as Concierge's acknowledgement.
 * Both its main thread's nice (where the customers run) and, where the kernel schedules sessions
 * as groups (nice alone does not act across them), its session's group's. Raising a priority takes a privilege (root,
 * CAP_SYS_NICE); without it the customers share the cores as before, and the result says so.
 */
export async function aheadForACore<T>(work: () => Promise<T>): Promise<{ result: T; priority: CustomerPriority }> {
  const { priority, restore } = raise();
  // The autogroup is the terminal session's: a benchmark stopped mid-phase (Ctrl-C) must not
  // leave the user's shell raised. Only a SIGKILL can.
  process.once('exit', restore);
  try {
    return { result: await work(), priority };
  } finally {
    process.removeListener('exit', restore);
    restore();
  }
}

/** Raises what it may: `ahead` only if every level that counts was raised. */
function raise(): { priority: CustomerPriority; restore: () => void } {
  const nice = getPriority();
  try {
    setPriority(AHEAD_NICE);
  } catch {
    return { priority: 'shared', restore: () => {} };
  }
  const restoreNice = () => setPriority(nice);
  const groupNice = readGroupNice();
  if (groupNice === undefined) return { priority: 'ahead', restore: restoreNice };
  if (!writeGroupNice(AHEAD_NICE)) return { priority: 'shared', restore: restoreNice };
  return {
    priority: 'ahead',
    restore: () => {
      restoreNice();
      writeGroupNice(groupNice);
    },
  };
}

/** `/autogroup-4 nice 0` → 0. */
function readGroupNice(): number | undefined {
  try {
    const match = /nice (-?\d+)/.exec(readFileSync(AUTOGROUP, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function writeGroupNice(nice: number): boolean {
  try {
    writeFileSync(AUTOGROUP, String(nice));
    return true;
  } catch {
    return false;
  }
}
