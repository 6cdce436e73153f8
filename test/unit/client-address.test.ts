import Fastify from 'fastify';
import { addressOf } from '../../src/api/rate-limits';
import { loadConfig } from '../../src/config';

/** The address limits would count for a request from 127.0.0.1 with these headers. */
async function countedAddress(trustProxy: boolean | string[], headers: Record<string, string>): Promise<string> {
  const app = Fastify({ trustProxy });
  app.get('/', async (request) => addressOf(request));
  const response = await app.inject({ method: 'GET', url: '/', headers, remoteAddress: '127.0.0.1' });
  await app.close();
  return response.body;
}

test('API_HOST and TRUST_PROXY: the listening address, and which proxies name the client', () => {
  expect(loadConfig({})).toMatchObject({ apiHost: '0.0.0.0', trustProxy: false });
  expect(loadConfig({ API_HOST: '127.0.0.1', TRUST_PROXY: 'true' })).toMatchObject({ apiHost: '127.0.0.1', trustProxy: true });
  expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
});

test('limits count the client behind a trusted proxy, and only a trusted one', async () => {
  const forwarded = { 'x-forwarded-for': '203.0.113.7' };
  expect(await countedAddress(false, forwarded)).toBe('127.0.0.1');
  expect(await countedAddress(['127.0.0.1'], forwarded)).toBe('203.0.113.7');
  expect(await countedAddress(['10.0.0.0/8'], forwarded)).toBe('127.0.0.1');
});

test('an IPv6 client is counted by its /64: it cannot take a fresh address per request', async () => {
  expect(await countedAddress(true, { 'x-forwarded-for': '2001:db8:1:2:aaaa::1' })).toBe('2001:db8:1:2::/64');
  expect(await countedAddress(true, { 'x-forwarded-for': '2001:db8:1:2:bbbb:cccc:dddd:eeee' })).toBe('2001:db8:1:2::/64');
  expect(await countedAddress(true, { 'x-forwarded-for': '2001:db8::9' })).toBe('2001:db8:0:0::/64');
  expect(await countedAddress(true, { 'x-forwarded-for': '::ffff:198.51.100.4' })).toBe('198.51.100.4');
});
