import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { sleep } from './concurrency';

/** The history of a conversation: all the runs it went through by continue-as-new. */
export interface HistorySize {
  runs: number;
  events: number;
  /** Protobuf-encoded size, as the server stores and ships it. */
  bytes: number;
}

interface RunSize {
  events: number;
  bytes: number;
  /** The run this one continued from, if any. */
  previousRunId?: string;
}

/** Reads conversation histories; runs that have been continued are closed and read once. */
export class HistoryMeter {
  private readonly closedRuns = new Map<string, RunSize>();

  constructor(private readonly client: Client) {}

  /**
   * The chain of runs ending with the workflow's latest run, walked back through each run's
   * `continuedExecutionRunId`: continue-as-new must not hide what a conversation costs.
   */
  async chain(workflowId: string): Promise<HistorySize> {
    let run = await this.run(workflowId);
    const size: HistorySize = { runs: 1, events: run.events, bytes: run.bytes };
    while (run.previousRunId) {
      run = await this.closedRun(workflowId, run.previousRunId);
      size.runs += 1;
      size.events += run.events;
      size.bytes += run.bytes;
    }
    return size;
  }

  /**
   * The chain once it has stopped growing: a reply can reach the customer before the workflow
   * has written everything that message causes (the workflow task after the update, say).
   */
  async settledChain(workflowId: string, { pollMs = 150, maxPolls = 20 } = {}): Promise<HistorySize> {
    let last = await this.chain(workflowId);
    for (let poll = 0; poll < maxPolls; poll++) {
      await sleep(pollMs);
      const now = await this.chain(workflowId);
      if (now.events === last.events && now.runs === last.runs) return now;
      last = now;
    }
    return last;
  }

  private async closedRun(workflowId: string, runId: string): Promise<RunSize> {
    const cached = this.closedRuns.get(runId);
    if (cached) return cached;
    const size = await this.run(workflowId, runId);
    this.closedRuns.set(runId, size);
    return size;
  }

  private async run(workflowId: string, runId?: string): Promise<RunSize> {
    const history = await this.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    return {
      events: history.events?.length ?? 0,
      bytes: temporal.api.history.v1.History.encode(history).finish().length,
      previousRunId: started?.continuedExecutionRunId || undefined,
    };
  }
}
