import http from 'node:http';
import { type FakeServer, startFakeServer } from './fake-server';

/** One request the fake received, exactly as it came. */
export interface GraphRequest {
  method: string;
  /** Path and query, e.g. `/v21.0/100000000000001/messages`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body, when there is one. */
  body?: any;
  /** The wamid the fake answered a send with. */
  messageId?: string;
}

interface StoredMedia {
  bytes: Buffer;
  mimeType: string;
}

export const FAKE_ACCESS_TOKEN = 'EAAG-FAKE-SYSTEM-USER-TOKEN';
export const FAKE_PHONE_NUMBER_ID = '100000000000001';
const VERSION = 'v21.0';

/**
 * Meta's Graph API (Cloud API) on 127.0.0.1: records every request; answers a send with a new
 * wamid, a media id with a download URL, and that URL with the file — all only with the bearer token.
 */
export class FakeWhatsApp {
  readonly requests: GraphRequest[] = [];
  private readonly media = new Map<string, StoredMedia>();
  private server?: FakeServer;
  private nextMessage = 1;
  /** Until then (ms since the epoch) sends are answered 500: a Cloud API outage. */
  private sendsFailUntil = 0;
  /** Told of every message the fake accepted, once it has answered it. */
  onSent?: (body: any) => void;

  /** The demo tenant's WhatsApp channel document, pointing at this fake. */
  credentials() {
    return {
      apiBase: this.apiBase,
      accessToken: FAKE_ACCESS_TOKEN,
      phoneNumberId: FAKE_PHONE_NUMBER_ID,
      appSecret: 'test_app_secret_0123456789abcdef',
      verifyToken: 'my-verify-token-CHANGE-ME',
    };
  }

  get origin(): string {
    return this.server!.baseUrl;
  }

  get apiBase(): string {
    return `${this.origin}/${VERSION}`;
  }

  /** Messages sent to the Cloud API (POST …/messages), optionally to one recipient. */
  sent(to?: string): any[] {
    return this.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/messages') && (!to || request.body?.to === to)).map((request) => request.body);
  }

  /** For the next `ms`, every send is answered 500, as Graph answers in an outage. */
  failSendsFor(ms: number): void {
    this.sendsFailUntil = Date.now() + ms;
  }

  /** A file a customer sent, as the Cloud API stores it under its media id. */
  addMedia(id: string, bytes: Buffer, mimeType: string): void {
    this.media.set(id, { bytes, mimeType });
  }

  async start(): Promise<this> {
    this.server = await startFakeServer((req, raw, res) => {
      const request: GraphRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, ...(raw ? { body: JSON.parse(raw) } : {}) };
      this.requests.push(request);
      this.answer(request, res);
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private answer(request: GraphRequest, res: http.ServerResponse): void {
    if (request.headers.authorization !== `Bearer ${FAKE_ACCESS_TOKEN}`) {
      return graphError(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
    const send = new RegExp(`^/${VERSION}/(\\d+)/messages$`).exec(request.path);
    if (request.method === 'POST' && send) {
      if (send[1] !== FAKE_PHONE_NUMBER_ID) return graphError(res, 400, 100, 'Unsupported post request');
      if (Date.now() < this.sendsFailUntil) return graphError(res, 500, 2, 'Service temporarily unavailable');
      const to = String(request.body?.to ?? '');
      const id = `wamid.FAKE${String(this.nextMessage++).padStart(6, '0')}`;
      request.messageId = id;
      json(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] });
      return this.onSent?.(request.body);
    }
    const lookup = new RegExp(`^/${VERSION}/([^/?]+)$`).exec(request.path);
    if (request.method === 'GET' && lookup) {
      const stored = this.media.get(lookup[1]!);
      if (!stored) return graphError(res, 400, 100, 'Unsupported get request');
      const url = `${this.origin}/whatsapp_business/attachments/?mid=${lookup[1]}`;
      return json(res, 200, { messaging_product: 'whatsapp', url, mime_type: stored.mimeType, sha256: 'fake', file_size: String(stored.bytes.length), id: lookup[1] });
    }
    const download = /^\/whatsapp_business\/attachments\/\?mid=(.+)$/.exec(request.path);
    const file = download && request.method === 'GET' ? this.media.get(download[1]!) : undefined;
    if (file) {
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length }).end(file.bytes);
      return;
    }
    graphError(res, 404, 803, 'Unknown path');
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Errors as the Graph API writes them. */
function graphError(res: http.ServerResponse, status: number, code: number, message: string): void {
  json(res, status, { error: { message, type: 'OAuthException', code, fbtrace_id: 'FAKEtrace' } });
}
