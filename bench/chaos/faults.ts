import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalCluster } from '../cluster';
import type { ChannelFakes } from './channels';
import { elapsedS, say } from './clock';
import type { ScriptedModel } from './model';

/** A fault as it was applied (or skipped): what, and when (seconds after the run started) it began and ended. */
export interface AppliedFault {
  name: string;
  at: string;
  startS: number;
  /** When the fault was over (the server back, the API answering again). */
  endS?: number;
  error?: string;
  /** Set: not applied, and why (the server is not the run's own). */
  skipped?: string;
}

export interface FaultTargets {
  cluster: LocalCluster;
  fakes: ChannelFakes;
  primaryModel: ScriptedModel;
}

const OUTAGE_MS = 60_000;
const POSTGRES_DOWN_MS = 30_000;

interface Fault {
  /** When, as a share of the sending time. */
  share: number;
  name: string;
  /** The server it faults, when it faults one: skipped unless the run started that server. */
  server?: keyof LocalCluster['owns'];
  /** Applies the fault; resolves once it is over. */
  apply: (targets: FaultTargets) => Promise<void>;
}

/** The faults, in order, spread over the sending time so that each is over before the next. */
const SCHEDULE: Fault[] = [
  {
    share: 0.08,
    name: 'kill -9 a worker, start another',
    apply: async ({ cluster }) => {
      await cluster.killWorker(cluster.workers[0]!);
      await cluster.startWorker();
    },
  },
  {
    share: 0.25,
    name: 'primary LLM answers 500 for 60 s',
    apply: async ({ primaryModel }) => {
      primaryModel.failUntil = Date.now() + OUTAGE_MS;
      await sleep(OUTAGE_MS);
    },
  },
  {
    share: 0.45,
    name: 'WhatsApp send API answers 500 for 60 s',
    apply: async ({ fakes }) => {
      fakes.whatsapp.failSendsFor(OUTAGE_MS);
      await sleep(OUTAGE_MS);
    },
  },
  {
    share: 0.63,
    name: 'PostgreSQL stopped for 30 s',
    server: 'postgres',
    apply: async ({ cluster }) => {
      await cluster.stopPostgres();
      await sleep(POSTGRES_DOWN_MS);
      await cluster.startPostgres();
    },
  },
  {
    share: 0.8,
    name: 'Temporal dev server killed and restarted',
    server: 'temporal',
    apply: ({ cluster }) => cluster.restartTemporal(),
  },
];

/**
 * Applies the schedule from `startedAt` over `sendMs`, printing each fault as it starts and ends
 * (or, on a server the run does not own, that it is skipped). Resolves with every fault once the
 * last is over (or the run is aborted).
 */
export async function runFaults(targets: FaultTargets, startedAt: number, sendMs: number, abort: AbortSignal): Promise<AppliedFault[]> {
  const applied: AppliedFault[] = [];
  for (const fault of SCHEDULE) {
    const wait = startedAt + fault.share * sendMs - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: abort }).catch(() => undefined);
    if (abort.aborted) break;
    const record: AppliedFault = { name: fault.name, at: new Date().toISOString(), startS: elapsedS() };
    applied.push(record);
    if (fault.server && !targets.cluster.owns[fault.server]) {
      record.skipped = 'external server';
      say(`skipped: ${fault.name} (${record.skipped})`);
      continue;
    }
    say(`fault: ${fault.name}`);
    try {
      await fault.apply(targets);
    } catch (error) {
      record.error = (error as Error).message;
      say(`fault failed: ${fault.name}: ${record.error}`);
    }
    record.endS = elapsedS();
    say(`over: ${fault.name}`);
  }
  return applied;
}
