import path from 'node:path';

/** The benchmark's knobs (environment variables) and the fixed parts of its plan. */
export interface BenchOptions {
  /** BENCH_LEVELS: concurrent web customers per level. */
  levels: number[];
  /** BENCH_MESSAGES: messages per customer (≤ 20, so a customer's messages all stay in Concierge's 50-message transcript window). */
  messages: number;
  /** BENCH_IDLE: idle conversations held open, cumulative targets. */
  idle: number[];
  /** BENCH_FULL=1: idle targets go up to 10,000. */
  full: boolean;
  /** BENCH_CONCIERGE_DIR: the checkout whose `src/main.ts` is measured (default: this one). */
  conciergeDir: string;
  /** Turns of the long conversation, and the two turns whose history growth is compared. */
  growth: { turns: number; early: number; late: number };
  /**
   * BENCH_BUDGET_MIN: the whole run's time budget (default 14 min, 60 with BENCH_FULL=1). Each
   * phase has its own bound besides; the idle phase gets what is left, and reports how many
   * conversations it reached.
   */
  budgetMs: number;
  /** No message of a level is sent after this long (per design). */
  levelDeadlineMs: number;
  /** No turn of the long conversation is sent after this long (per design). */
  growthDeadlineMs: number;
  /** Both designs answer 504 after 30 s; a request left without any answer is given up after this. */
  requestTimeoutMs: number;
  /** Idle conversations are opened this many at a time. */
  idleConcurrency: number;
  /** How long lost messages are looked for again (a 504'd message is still answered later). */
  settleMs: number;
  /** Conversations per level whose history is read for events and bytes per turn. */
  historySample: number;
  /** BENCH_SCALE: concurrent web customers of the scale phase (separate worker and API processes; default 50, 0: skip it). */
  scaleCustomers: number;
  /** How long each run of the scale phase sends messages (1 worker, 2 workers, 2 workers with one killed half-way). */
  scaleRunMs: number;
  /** BENCH_WEBHOOKS: concurrent WhatsApp customers of the webhook phase (default 50; 0: skip it). */
  webhookCustomers: number;
  /** No webhook is sent after this long; then replies still due are waited for up to `settleMs`. */
  webhookDeadlineMs: number;
  /** BENCH_WEBHOOK_TYPING_MS: how long a customer takes to read a reply and type the next message (default 5000; 0: none). */
  webhookTypingMs: number;
}

export const FULL_IDLE_TARGET = 10_000;
const MAX_MESSAGES = 20;

export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const full = env.BENCH_FULL === '1';
  const idle = numberList(env, 'BENCH_IDLE', [1_000, 5_000]);
  if (full && !idle.includes(FULL_IDLE_TARGET)) idle.push(FULL_IDLE_TARGET);
  const [messages] = numberList(env, 'BENCH_MESSAGES', [5]);
  if (!messages || messages > MAX_MESSAGES) {
    throw new Error(`BENCH_MESSAGES must be 1 to ${MAX_MESSAGES}: a customer's messages and replies must fit Concierge's 50-message window`);
  }
  const levels = numberList(env, 'BENCH_LEVELS', [10, 50, 200]);
  if (levels.length === 0) throw new Error('BENCH_LEVELS must name at least one concurrency, e.g. 10,50,200');
  return {
    levels,
    messages,
    idle: [...new Set(idle)].sort((a, b) => a - b),
    full,
    conciergeDir: path.resolve(env.BENCH_CONCIERGE_DIR || path.join(__dirname, '..')),
    growth: { turns: 40, early: 5, late: 40 },
    budgetMs: (numberList(env, 'BENCH_BUDGET_MIN', [full ? 60 : 14])[0] ?? 14) * 60_000,
    levelDeadlineMs: 60_000,
    growthDeadlineMs: 120_000,
    requestTimeoutMs: 45_000,
    idleConcurrency: 20,
    settleMs: 60_000,
    historySample: 5,
    scaleCustomers: numberList(env, 'BENCH_SCALE', [50])[0] ?? 0,
    scaleRunMs: 45_000,
    webhookCustomers: numberList(env, 'BENCH_WEBHOOKS', [50])[0] ?? 0,
    webhookDeadlineMs: 60_000,
    webhookTypingMs: numberList(env, 'BENCH_WEBHOOK_TYPING_MS', [5_000])[0] ?? 0,
  };
}

/** A comma-separated list of whole numbers, zeros dropped (`BENCH_IDLE=0`: no idle phase). */
function numberList(env: NodeJS.ProcessEnv, name: string, fallback: number[]): number[] {
  const text = env[name]?.trim();
  if (!text) return [...fallback];
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 0)) {
    throw new Error(`${name} must be whole numbers separated by commas, e.g. ${fallback.join(',')}`);
  }
  return values.filter((value) => value > 0);
}
