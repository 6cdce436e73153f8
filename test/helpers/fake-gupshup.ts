import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { type FakeServer, startFakeServer } from './fake-server';

/** One call to Gupshup's API, as the fake received it: the form decoded, the raw body kept. */
export interface GupshupRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  form: Record<string, string>;
}

/** The account of the fixtures (`gupshup.send-*.request.json`). */
export const GUPSHUP_FIXTURE_ACCOUNT = { apiKey: 'xvnwghFAKEapikey0000000000000000', appName: 'ClinicaCentroApp', source: '5491100009999' };

/**
 * Gupshup's WhatsApp API on 127.0.0.1: records every request and answers as Gupshup does
 * (`{status: "submitted", messageId}`, `{status: "error", message}` refusals), and serves the
 * media files its callbacks link to.
 */
export class FakeGupshup {
  readonly requests: GupshupRequest[] = [];
  readonly sentIds: string[] = [];
  private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();
  private server?: FakeServer;

  /** What the demo tenant's Gupshup channel is configured with to reach this fake. */
  credentials() {
    return { apiBase: this.apiBase, ...GUPSHUP_FIXTURE_ACCOUNT, webhookToken: 'TEST-GUPSHUP-TOKEN' };
  }

  get apiBase(): string {
    return this.server!.baseUrl;
  }

  /** The message sends received (session and template), in order. */
  sends(): GupshupRequest[] {
    return this.requests.filter((request) => request.path.startsWith('/wa/api/v1/'));
  }

  /** Serves a file as Gupshup's file manager does; returns its download URL. */
  storeFile(name: string, bytes: Buffer, contentType: string): string {
    this.files.set(`/wa/media/${name}`, { bytes, contentType });
    return `${this.apiBase}/wa/media/${name}?download=false`;
  }

  async start(): Promise<this> {
    this.server = await startFakeServer((req, rawBody, res) => {
      const request: GupshupRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        form: Object.fromEntries(new URLSearchParams(rawBody)),
      };
      this.requests.push(request);
      const file = this.files.get(request.path.split('?')[0]!);
      if (req.method === 'GET' && file) {
        res.writeHead(200, { 'content-type': file.contentType }).end(file.bytes);
        return;
      }
      const [status, answer] = this.answer(request);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
    return this;
  }

  private answer(request: GupshupRequest): [number, unknown] {
    if (request.method !== 'POST' || !['/wa/api/v1/msg', '/wa/api/v1/template/msg'].includes(request.path)) return [404, { status: 'error', message: 'Not Found' }];
    if (request.headers.apikey !== GUPSHUP_FIXTURE_ACCOUNT.apiKey) return [401, { status: 'error', message: 'Authentication Failed' }];
    if (request.form['src.name'] !== GUPSHUP_FIXTURE_ACCOUNT.appName) return [400, { status: 'error', message: 'Invalid App Details' }];
    if (!/^\d+$/.test(request.form.destination ?? '')) return [400, { status: 'error', message: 'Invalid Destination' }];
    const messageId = randomUUID();
    this.sentIds.push(messageId);
    return [202, { status: 'submitted', messageId }];
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
