import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  /** When it arrived (ms since the epoch). */
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** When the client closed the connection before getting its answer (ms since the epoch). */
  abandonedAt?: number;
}

export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering: a slow provider. */
  delayMs?: number;
  /** Never answer: a provider that hangs (until the client gives up, or the fake stops). */
  hang?: boolean;
}

export type Responder = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

type Usage = { prompt_tokens: number; completion_tokens: number };

/** A chat completion as OpenAI's API returns it. */
export function chatCompletion(content: string, model = 'fake-model', usage: Usage = { prompt_tokens: 42, completion_tokens: 7 }): FakeResponse {
  return completion({ role: 'assistant', content, refusal: null }, 'stop', model, usage);
}

/**
 * A completion whose message asks for tool calls. `arguments` goes out as given when it is a
 * string, so a test can send JSON that does not parse.
 */
export function toolCallCompletion(
  calls: { name: string; arguments: string | object; id?: string }[],
  model = 'fake-model',
  usage: Usage = { prompt_tokens: 60, completion_tokens: 12 },
): FakeResponse {
  const toolCalls = calls.map((call, index) => ({
    id: call.id ?? `call_${index + 1}`,
    type: 'function',
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
  return completion({ role: 'assistant', content: null, refusal: null, tool_calls: toolCalls }, 'tool_calls', model, usage);
}

function completion(message: object, finishReason: string, model: string, usage: Usage): FakeResponse {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  };
}

/** A provider that accepts the request and never answers. */
export const hangs = (): FakeResponse => ({ status: 200, body: null, hang: true });

/** An error as OpenAI-compatible APIs send it. */
export function apiError(status: number, message: string, extra: { code?: string; headers?: Record<string, string> } = {}): FakeResponse {
  return { status, headers: extra.headers, body: { error: { message, type: 'invalid_request_error', code: extra.code ?? null } } };
}

/** The answer OpenAI gives for a model the account cannot use. */
export const modelNotFound = (model: string) =>
  apiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, { code: 'model_not_found' });

/** The messages of a recorded chat request, by role. */
export function messagesOf(request: RecordedRequest, role: string): any[] {
  return (request.body?.messages ?? []).filter((message: any) => message.role === role);
}

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 that records every request and answers as the
 * test scripts it: the real `openai` client talks to it over HTTP.
 */
export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private server?: http.Server;

  constructor(public respond: Responder = () => chatCompletion('Hola desde el modelo falso')) {}

  get baseURL(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const json = req.headers['content-type']?.startsWith('application/json');
        const request: RecordedRequest = {
          at: Date.now(),
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          // Audio uploads are multipart: kept as text for the test to inspect.
          body: raw && json ? JSON.parse(raw) : raw || undefined,
        };
        this.requests.push(request);
        res.on('close', () => {
          if (!res.writableFinished) request.abandonedAt = Date.now();
        });
        const answer = await this.respond(request);
        if (answer.hang) return;
        if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        if (res.destroyed) return; // the client gave up waiting
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Chat completion requests only (transcriptions are recorded too). */
  get chatRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path.endsWith('/chat/completions'));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
