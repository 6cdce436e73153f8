import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { registerHardening, SERVER_OPTIONS } from '../../src/api/hardening';
import { DEFAULT_RATE_LIMITS } from '../../src/api/rate-limits';

test('on close a request in flight is answered, and the server is closed right after it (not when keep-alive ends)', async () => {
  const app = Fastify(SERVER_OPTIONS);
  registerHardening(app, DEFAULT_RATE_LIMITS);
  app.get('/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return { done: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/slow`;
  const started = Date.now();
  const inFlight = fetch(url).then(async (response) => ({ status: response.status, body: await response.json(), connection: response.headers.get('connection') }));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const closed = app.close().then(() => Date.now() - started);

  expect(await inFlight).toEqual({ status: 200, body: { done: true }, connection: 'close' });
  expect(await closed).toBeLessThan(5_000); // keep-alive would hold it 72 s
  await expect(fetch(url)).rejects.toThrow();
});
