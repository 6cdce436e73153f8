import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  /** When it arrived (ms since the epoch). */
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface FakeResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Responder = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/** A chat completion as OpenAI's API returns it. */
export function chatCompletion(content: string, model = 'fake-model', usage = { prompt_tokens: 42, completion_tokens: 7 }): FakeResponse {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  };
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
        const request: RecordedRequest = {
          at: Date.now(),
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: raw ? JSON.parse(raw) : undefined,
        };
        this.requests.push(request);
        const answer = await this.respond(request);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
