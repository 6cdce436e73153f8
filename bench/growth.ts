import type { Design, DesignName } from './designs';
import type { HistoryMeter } from './history';
import { ANSWERED, postChat } from './http';
import { messageIdFor } from './load';
import type { BenchOptions } from './options';
import { customerMessage } from './script';
import { ratio } from './stats';

/** What each turn of one long conversation added to its history. */
export interface GrowthRun {
  design: DesignName;
  turns: number;
  /** Turns not answered with a reply (their growth is still counted). */
  unanswered: number;
  earlyTurn: number;
  lateTurn: number;
  earlyTurnBytes: number | null;
  lateTurnBytes: number | null;
  earlyTurnEvents: number | null;
  lateTurnEvents: number | null;
  /** lateTurnBytes ÷ earlyTurnBytes: 1.0 means a late turn costs no more than an early one (target ≤ 1.2). */
  bytesRatio: number | null;
  /** Runs the conversation went through (continue-as-new). */
  runs: number;
  perTurn: Array<{ turn: number; events: number; bytes: number }>;
}

/**
 * One customer writes `turns` messages, one after another; after each reply, once the history
 * has settled, the bytes and events that turn added are read. Every turn asks the same question,
 * so the only thing that differs between turn 5 and turn 40 is how long the conversation is.
 */
export async function measureGrowth(
  design: Design,
  meter: HistoryMeter,
  options: BenchOptions,
  sessionId: string,
  abort: AbortSignal,
): Promise<GrowthRun> {
  const { turns, early, late } = options.growth;
  const workflowId = design.workflowId(sessionId);
  const message = customerMessage(0, 1);
  const perTurn: GrowthRun['perTurn'] = [];
  let unanswered = 0;
  let previous = { events: 0, bytes: 0, runs: 0 };
  const deadline = Date.now() + options.growthDeadlineMs;
  for (let turn = 1; turn <= turns && !abort.aborted && Date.now() < deadline; turn++) {
    design.process.assertRunning();
    const body = { session_id: sessionId, message, message_id: messageIdFor(sessionId, turn) };
    const { outcome } = await postChat(design.chatUrl, body, options.requestTimeoutMs, abort, design.chatHeaders);
    if (outcome !== ANSWERED) unanswered += 1;
    const size = await meter.settledChain(workflowId);
    perTurn.push({ turn, events: size.events - previous.events, bytes: size.bytes - previous.bytes });
    previous = size;
  }
  // A turn the deadline kept from being sent has no figures (and no ratio).
  const at = (turn: number) => perTurn.find((entry) => entry.turn === turn) ?? { events: null, bytes: null };
  return {
    design: design.name,
    turns: perTurn.length,
    unanswered,
    earlyTurn: early,
    lateTurn: late,
    earlyTurnBytes: at(early).bytes,
    lateTurnBytes: at(late).bytes,
    earlyTurnEvents: at(early).events,
    lateTurnEvents: at(late).events,
    bytesRatio: ratio(at(late).bytes, at(early).bytes),
    runs: previous.runs,
    perTurn,
  };
}
