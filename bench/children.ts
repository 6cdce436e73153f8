import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { exitOf } from '../src/supervisor';
import { descendants, readStat, stillRunning, type ProcStat } from './proc';

/** A process the benchmark started, with whatever servers it started in turn. */
export interface Child {
  name: string;
  pid: number;
  /** The line by which it said it takes traffic ('' without a `ready` pattern). */
  readyLine: string;
  /** Settles once it has exited, saying how ("was killed by SIGKILL"). */
  exited: Promise<string>;
  /** Throws, with its last output, if it has exited: a dead design must not be measured as slow. */
  assertRunning(): void;
  /** SIGTERM (its own orderly stop), then SIGKILL for it and anything it left behind. */
  stop(): Promise<void>;
  /** kill -9 (a crash, for fault injection), then as `stop` once it has gone. */
  kill(): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** A TypeScript entry point, run as package.json's scripts run them: `node --import tsx <entry>`. */
  entry: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Unset: started once spawned, and the caller probes whether it takes traffic. */
  ready?: RegExp;
  readyTimeoutMs: number;
  /** How long its orderly stop may take before it is killed. */
  stopTimeoutMs: number;
  /** Runs once it has stopped, however it is stopped (e.g. deleting its data directory). */
  afterStop?: () => Promise<void>;
  /** Set: its stdout and stderr are also appended to this file. */
  logFile?: string;
}

const OUTPUT_KEPT_CHARS = 8_000;

interface Live {
  handle: Child;
  self: ProcStat;
  /** Its descendants when last looked at: found again if it dies and they are re-parented. */
  known: ProcStat[];
}

/** Children not yet stopped, oldest first. */
const live: Live[] = [];
/** Set once everything is being stopped: a start still under way must not leave a new child. */
let closed = false;

export async function startChild(options: StartOptions): Promise<Child> {
  if (closed) throw new Error(`${options.name}: not started, the benchmark is stopping`);
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C at the terminal reaches only the benchmark, which then
    // stops each child in order, rather than every process at once racing its own shutdown.
    detached: true,
  });
  const pid = child.pid;
  const self = pid === undefined ? undefined : readStat(pid);
  if (pid === undefined || self === undefined) throw new Error(`${options.name}: could not start ${options.entry}`);

  let exitCode: number | null | undefined;
  child.once('exit', (code, signal) => (exitCode = code ?? (signal ? -1 : null)));
  const exited = exitOf(child);
  // Drained for the whole run (a full pipe would block the child), the tail kept for errors.
  let output = '';
  const logFile = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  // Once both pipes are closed: no chunk comes after.
  child.once('close', () => logFile?.end());
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT_CHARS);
    logFile?.write(chunk);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let stopping: Promise<void> | undefined;
  const handle: Child = {
    name: options.name,
    pid,
    readyLine: '',
    exited,
    assertRunning() {
      if (exitCode !== undefined) throw new Error(`${options.name} exited (${exitCode}):\n${output}`);
    },
    // Stopped from the run's end and from a Ctrl-C at once: one stop.
    stop: () => (stopping ??= stopOnce()),
    kill: () => {
      // Its servers, if any, are re-parented the moment it dies: remembered now.
      entry.known = [...entry.known, ...descendants(pid)];
      child.kill('SIGKILL');
      return handle.stop();
    },
  };
  const entry: Live = { handle, self, known: [] };
  live.push(entry);
  const stopOnce = async () => {
    if (exitCode === undefined) {
      entry.known = [...entry.known, ...descendants(pid)];
      child.kill('SIGTERM');
      if (!(await within(exited, options.stopTimeoutMs))) {
        process.stderr.write(`${options.name} did not stop within ${options.stopTimeoutMs} ms: killing it\n`);
        child.kill('SIGKILL');
        await within(exited, 5_000);
      }
    }
    killIfRunning(entry.known);
    const index = live.indexOf(entry);
    if (index >= 0) live.splice(index, 1);
    await options.afterStop?.();
  };

  try {
    if (options.ready) handle.readyLine = await waitForLine(child.stdout, options.ready, options.readyTimeoutMs, exited);
  } catch (error) {
    await handle.stop();
    throw new Error(`${options.name}: ${(error as Error).message}\n${output}`, { cause: error });
  }
  // The servers it embeds are up now: remembered in case it dies without stopping them.
  entry.known = descendants(pid);
  return handle;
}

/** Stops every child not yet stopped, the last started first (the floor before the stack it uses). */
export async function stopAllChildren(): Promise<void> {
  closed = true;
  for (const { handle } of [...live].reverse()) await handle.stop();
}

/** Last resort (process exit, second Ctrl-C): SIGKILL every child not yet stopped and its descendants. */
export function killAllChildrenNow(): void {
  for (const { self, known } of live.splice(0)) {
    const below = stillRunning(self) ? descendants(self.pid) : [];
    killIfRunning([self, ...below, ...known]);
  }
}

function killIfRunning(processes: readonly ProcStat[]): void {
  for (const stat of processes) {
    if (!stillRunning(stat)) continue;
    try {
      process.kill(stat.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

function waitForLine(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs: number, exited: Promise<string>): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => pattern.test(candidate));
      if (line === undefined) return;
      done();
      resolve(line);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      stream.off('data', onData);
    };
    stream.on('data', onData);
    // After a resolve this reject is a no-op.
    void exited.then(() => {
      done();
      reject(new Error('exited before it was ready'));
    });
  });
}

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}
