import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentMessage {
  token: string;
  chat_id: number | string;
  text: string;
}

/** Telegram's Bot API on 127.0.0.1: records every sendMessage and answers as Telegram does. */
export class FakeTelegram {
  readonly sent: SentMessage[] = [];
  private server?: http.Server;
  private nextMessageId = 5000;

  /** What the demo tenant's Telegram channel is configured with to reach this fake. */
  credentials(botToken = 'TEST-TOKEN') {
    return { apiBase: this.apiBase, botToken, webhookSecret: 'TEST-WEBHOOK-SECRET' };
  }

  get apiBase(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const match = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
        res.setHeader('content-type', 'application/json');
        if (req.method !== 'POST' || !match) {
          res.writeHead(404).end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        this.sent.push({ token: match[1], chat_id: body.chat_id, text: body.text });
        const result = { message_id: this.nextMessageId++, chat: { id: body.chat_id, type: 'private' }, date: 0, text: body.text };
        res.writeHead(200).end(JSON.stringify({ ok: true, result }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
