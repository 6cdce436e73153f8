import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { type FakeServer, startFakeServer } from './fake-server';

/** One call to the Evolution API, as the fake received it. */
export interface EvolutionRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** The instance token of the fixtures: their webhooks carry it as `apikey`. */
export const EVOLUTION_FIXTURE_API_KEY = 'B6D711FCDE4D4FD5936544120E713976';
export const EVOLUTION_FIXTURE_INSTANCE = 'clinica-centro';

/**
 * Evolution API v2 on 127.0.0.1: records every request and answers as Evolution does (the sent
 * message with its `key.id`, media as base64 by message id, `{status, error, response}` refusals).
 */
export class FakeEvolution {
  readonly requests: EvolutionRequest[] = [];
  private readonly media = new Map<string, { bytes: Buffer; mimetype: string }>();
  private server?: FakeServer;

  /** What the demo tenant's Evolution channel is configured with to reach this fake. */
  credentials() {
    return { apiUrl: this.apiUrl, apiKey: EVOLUTION_FIXTURE_API_KEY, instance: EVOLUTION_FIXTURE_INSTANCE };
  }

  get apiUrl(): string {
    return this.server!.baseUrl;
  }

  /** The sends (sendText, sendMedia…) received, in order. */
  sends(): EvolutionRequest[] {
    return this.requests.filter((request) => request.path.startsWith('/message/'));
  }

  /** A media message's file, as WhatsApp would give it to Evolution. */
  storeMedia(messageId: string, bytes: Buffer, mimetype: string): void {
    this.media.set(messageId, { bytes, mimetype });
  }

  async start(): Promise<this> {
    this.server = await startFakeServer((req, text, res) => {
      const request: EvolutionRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined };
      this.requests.push(request);
      const [status, answer] = this.answer(request);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
    return this;
  }

  private answer(request: EvolutionRequest): [number, unknown] {
    if (request.headers.apikey !== EVOLUTION_FIXTURE_API_KEY) return [401, { status: 401, error: 'Unauthorized', response: { message: 'Unauthorized' } }];
    const [, group, method, instance] = request.path.split('/');
    if (request.method !== 'POST' || instance !== EVOLUTION_FIXTURE_INSTANCE) return notFound(request.path);
    if (group === 'message' && (method === 'sendText' || method === 'sendMedia')) {
      const id = `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
      const message = method === 'sendText' ? { conversation: request.body.text } : { [`${request.body.mediatype}Message`]: { caption: request.body.caption } };
      return [201, { key: { remoteJid: `${request.body.number}@s.whatsapp.net`, fromMe: true, id }, pushName: '', status: 'PENDING', message, messageTimestamp: Math.floor(Date.now() / 1000) }];
    }
    if (group === 'chat' && method === 'getBase64FromMediaMessage') {
      const stored = this.media.get(request.body?.message?.key?.id);
      if (!stored) return [400, { status: 400, error: 'Bad Request', response: { message: ['Message not found'] } }];
      return [201, { mimetype: stored.mimetype, base64: stored.bytes.toString('base64') }];
    }
    return notFound(request.path);
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}

function notFound(path: string): [number, unknown] {
  return [404, { status: 404, error: 'Not Found', response: { message: [`Cannot POST ${path}`] } }];
}
