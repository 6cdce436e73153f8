import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeMachine } from '../machine';
import { percentile, round } from '../stats';
import type { Check, Counts } from './checks';
import type { SentMessage } from './customers';
import type { AppliedFault } from './faults';
import type { ChaosOptions } from './options';

export const RESULTS_FILE = path.join(__dirname, '..', 'results', 'chaos-latest.json');

export interface ChaosResult {
  date: string;
  verdict: 'pass' | 'fail';
  options: ChaosOptions;
  machine: ReturnType<typeof describeMachine>;
  /** From the first message to the last check. */
  durationS: number;
  lost: number;
  duplicated: number;
  duplicateBookings: number;
  duplicateLeads: number;
  remindersAfterCancel: number;
  messagesSent: number;
  counts: Counts;
  /** Webhook POST → the reply on the customer's phone, of replies that came while the customer waited. */
  replyLatencyMs: { p50?: number; p95?: number; p99?: number; max?: number };
  faults: AppliedFault[];
  checks: string[];
}

export function chaosResult(options: ChaosOptions, sent: readonly SentMessage[], counts: Counts, checks: Check[], faults: AppliedFault[], durationMs: number): ChaosResult {
  const latencies = sent.flatMap((message) => (message.repliedAt ? [message.repliedAt - message.sentAt] : []));
  const at = (p: number) => {
    const value = percentile(latencies, p);
    return value === undefined ? undefined : round(value, 0);
  };
  return {
    date: new Date().toISOString(),
    verdict: checks.every((entry) => entry.ok) ? 'pass' : 'fail',
    options,
    machine: describeMachine(),
    durationS: round(durationMs / 1000),
    lost: counts.lost,
    duplicated: counts.duplicated,
    duplicateBookings: counts.duplicateBookings,
    duplicateLeads: counts.duplicateLeads,
    remindersAfterCancel: counts.remindersAfterCancel,
    messagesSent: counts.messagesSent,
    counts,
    replyLatencyMs: { p50: at(50), p95: at(95), p99: at(99), max: at(100) },
    faults,
    checks: checks.map((entry) => entry.line),
  };
}

export async function writeResult(result: ChaosResult): Promise<void> {
  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
}
