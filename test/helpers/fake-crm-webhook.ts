import http from 'node:http';
import { hmacSha256Hex, sameSecret } from '../../src/secrets';
import { type FakeServer, startFakeServer } from './fake-server';

/** One POST as the receiver got it. */
export interface WebhookDelivery {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The exact bytes, as signed. */
  raw: string;
  body: any;
}

/**
 * A CRM's webhook receiver on 127.0.0.1, as a receiver should be written: it checks
 * `X-Concierge-Signature` against the shared secret (401 when wrong), keeps the first answer per
 * `Idempotency-Key` and answers a repeat with it without recording it again, and answers
 * `lead.created` with `{ id: 'wh-<n>' }`.
 */
export class FakeCrmWebhook {
  /** Every request, refused and repeated ones too. */
  readonly requests: WebhookDelivery[] = [];
  /** The pushes it accepted, once per key. */
  readonly received: WebhookDelivery[] = [];
  private readonly answers = new Map<string, { status: number; body?: unknown }>();
  private failure?: { status: number; times: number };
  private server?: FakeServer;
  private created = 0;

  /** `path` holds a secret of its own, as many receivers' URLs do. */
  constructor(
    private readonly secret: string,
    private readonly options: { path?: string; answerIds?: boolean } = {},
  ) {}

  get url(): string {
    return `${this.server!.baseUrl}${this.options.path ?? '/crm/concierge'}`;
  }

  failWith(status: number, times = Infinity): void {
    this.failure = { status, times };
  }

  recover(): void {
    this.failure = undefined;
  }

  async start(): Promise<this> {
    this.server = await startFakeServer((req, raw, res) => this.answer(req, raw, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private answer(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const delivery = { path: req.url ?? '', headers: req.headers, raw, body };
    this.requests.push(delivery);
    if (this.failure && this.failure.times > 0) {
      this.failure.times -= 1;
      return reply(res, this.failure.status, { error: this.failure.status >= 500 ? 'receiver unavailable' : 'refused' });
    }
    const signature = String(req.headers['x-concierge-signature'] ?? '');
    if (req.method !== 'POST' || !sameSecret(signature, `sha256=${hmacSha256Hex(this.secret, raw)}`)) return reply(res, 401, { error: 'bad signature' });
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !key) return reply(res, 400, { error: 'Idempotency-Key required' });
    const first = this.answers.get(key);
    if (first) return reply(res, first.status, first.body);

    this.received.push(delivery);
    const answer = body.event === 'lead.created' && this.options.answerIds !== false ? { status: 200, body: { id: `wh-${++this.created}` } } : { status: 204 };
    this.answers.set(key, answer);
    reply(res, answer.status, answer.body);
  }
}

function reply(res: http.ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) return void res.writeHead(status).end();
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
