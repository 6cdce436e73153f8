import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  token: string;
  chat_id: number | string;
  text: string;
}

/** One Bot API method call, as the fake received it. */
export interface BotApiCall {
  method: string;
  token: string;
  body: Record<string, any>;
}

/** One download from the file server (`/file/bot<token>/<file_path>`). */
export interface FileDownload {
  token: string;
  path: string;
}

interface StoredFile {
  path: string;
  bytes: Buffer;
  contentType: string;
}

/** What the fake answers one call with, instead of its normal answer. */
export interface BotApiRefusal {
  status: number;
  description: string;
  retryAfter?: number;
}

const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument']);

/**
 * Telegram's Bot API on 127.0.0.1: records every method call and file download and answers as
 * Telegram does (message ids, `getFile` paths, `{ok:false, error_code, description}` refusals).
 * `sent` keeps the sendMessage calls alone, in the shape older tests compare.
 */
export class FakeTelegram {
  readonly sent: SentMessage[] = [];
  readonly calls: BotApiCall[] = [];
  readonly downloads: FileDownload[] = [];
  private readonly files = new Map<string, StoredFile>();
  private readonly refusals: { method: string; refusal: BotApiRefusal }[] = [];
  private server?: http.Server;
  private nextMessageId = 5000;
  /** Until then (ms since the epoch) send methods are answered 500: a Bot API outage. */
  private sendsFailUntil = 0;
  /** Told of every sendMessage the fake accepted, once it has answered it. */
  onSent?: (message: SentMessage) => void;

  /** What the demo tenant's Telegram channel is configured with to reach this fake. */
  credentials(botToken = 'TEST-TOKEN') {
    return { apiBase: this.apiBase, botToken, webhookSecret: 'TEST-WEBHOOK-SECRET' };
  }

  get apiBase(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** A file `getFile` knows by this id, downloadable from the file server. */
  addFile(fileId: string, bytes: Buffer, contentType = 'application/octet-stream'): void {
    this.files.set(fileId, { path: `files/${this.files.size + 1}-${fileId.slice(-8)}`, bytes, contentType });
  }

  /** The next call of `method` is refused like this (then calls are answered again). */
  refuseNext(method: string, refusal: BotApiRefusal): void {
    this.refusals.push({ method, refusal });
  }

  /** For the next `ms`, every send method is answered 500. */
  failSendsFor(ms: number): void {
    this.sendsFailUntil = Date.now() + ms;
  }

  callsTo(method: string): BotApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.answer(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private answer(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const url = req.url ?? '';
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url);
    if (req.method === 'GET' && download) {
      this.downloads.push({ token: download[1]!, path: download[2]! });
      const file = [...this.files.values()].find((stored) => stored.path === download[2]);
      if (!file) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': file.contentType }).end(file.bytes);
    }
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url);
    if (!call) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = call as unknown as [string, string, string];
    const body = parseBody(req.headers['content-type'], raw);
    this.calls.push({ method, token, body });
    const refused = this.refusals.findIndex((pending) => pending.method === method);
    if (refused >= 0) {
      const { refusal } = this.refusals.splice(refused, 1)[0]!;
      const parameters = refusal.retryAfter ? { parameters: { retry_after: refusal.retryAfter } } : {};
      return reply(res, refusal.status, { ok: false, error_code: refusal.status, description: refusal.description, ...parameters });
    }
    if (SEND_METHODS.has(method) && Date.now() < this.sendsFailUntil) {
      return reply(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    }
    let accepted: SentMessage | undefined;
    if (method === 'sendMessage') {
      if (typeof body.text !== 'string' || body.text.trim() === '') return badRequest(res, 'message text is empty');
      if (body.text.length > 4096) return badRequest(res, 'message is too long');
      accepted = { token, chat_id: body.chat_id, text: body.text };
      this.sent.push(accepted);
    }
    if (SEND_METHODS.has(method)) {
      const result = { message_id: this.nextMessageId++, chat: { id: body.chat_id, type: 'private' }, date: Math.floor(Date.now() / 1000), text: body.text, caption: body.caption };
      reply(res, 200, { ok: true, result });
      if (accepted) this.onSent?.(accepted);
      return;
    }
    if (method === 'getFile') {
      const file = this.files.get(String(body.file_id));
      if (!file) return badRequest(res, 'invalid file_id');
      return reply(res, 200, { ok: true, result: { file_id: body.file_id, file_unique_id: 'U' + body.file_id.slice(-6), file_size: file.bytes.length, file_path: file.path } });
    }
    if (method === 'answerCallbackQuery') return reply(res, 200, { ok: true, result: true });
    return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  }
}

function parseBody(contentType: string | undefined, raw: Buffer): Record<string, any> {
  if (raw.length === 0) return {};
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  return JSON.parse(raw.toString('utf8'));
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function badRequest(res: http.ServerResponse, description: string): void {
  reply(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${description}` });
}
