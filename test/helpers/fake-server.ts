import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake does with one request once its whole body (UTF-8) has arrived. */
export type FakeHandler = (req: http.IncomingMessage, raw: string, res: http.ServerResponse) => void;

export interface FakeServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  baseUrl: string;
  stop(): Promise<void>;
}

/** The HTTP server under a fake provider: a free port of 127.0.0.1, each request handed to `handle` with its body read whole. */
export async function startFakeServer(handle: FakeHandler): Promise<FakeServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The requests a fake recorded while `run` ran, in order. */
export async function requestsDuring<T>(fake: { readonly requests: readonly T[] }, run: () => Promise<unknown>): Promise<T[]> {
  const before = fake.requests.length;
  await run();
  return fake.requests.slice(before);
}
