/** What became of one chat request. */
export interface ChatOutcome {
  /** HTTP status with the answer's `status` for a 200 (`200 answered`), or `timeout` / `network`. */
  outcome: string;
  latencyMs: number;
}

export interface ChatRequest {
  session_id: string;
  message: string;
  message_id: string;
}

/**
 * POSTs one web chat message and waits for the answer, at most `timeoutMs` (both designs answer
 * 504 themselves after 30 s; this bound is for a server that does not answer at all).
 */
export async function postChat(
  url: string,
  body: ChatRequest,
  timeoutMs: number,
  abort: AbortSignal,
  /** Concierge's: its bearer token, since the benchmark names its own sessions (a business backend). */
  headers: Record<string, string> = {},
): Promise<ChatOutcome> {
  const started = performance.now();
  const latency = () => performance.now() - started;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.any([abort, AbortSignal.timeout(timeoutMs)]),
    });
    const text = await response.text();
    if (response.status !== 200) return { outcome: String(response.status), latencyMs: latency() };
    return { outcome: `200 ${answerStatus(text)}`, latencyMs: latency() };
  } catch (error) {
    const name = (error as Error).name;
    return { outcome: name === 'TimeoutError' ? 'timeout' : name === 'AbortError' ? 'aborted' : 'network', latencyMs: latency() };
  }
}

/** The answer's `status` (`answered`, `handoff`…), or `unreadable` for a body that is not one. */
function answerStatus(text: string): string {
  try {
    const answer = JSON.parse(text) as { status?: unknown; reply?: unknown };
    if (answer.status === 'answered' && (typeof answer.reply !== 'string' || answer.reply === '')) return 'empty';
    return typeof answer.status === 'string' ? answer.status : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

export const ANSWERED = '200 answered';
