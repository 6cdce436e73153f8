import { backoffMs, classifyProviderFailure, MAX_RETRY_DELAY_MS, parseRetryAfter } from '../../src/domain/provider-failures';

const NOW = Date.parse('2027-01-01T12:00:00Z');

test.each([400, 401, 403, 404, 422])('%d moves to the next provider at once', (status) => {
  expect(classifyProviderFailure(status, null, NOW)).toEqual({ action: 'next-provider' });
});

test('a request that ran out of its time moves to the next provider at once', () => {
  expect(classifyProviderFailure('timeout', null, NOW)).toEqual({ action: 'next-provider' });
});

test.each([408, 429, 500, 502, 503, undefined])('%s is retried', (status) => {
  expect(classifyProviderFailure(status, null, NOW)).toEqual({ action: 'retry', delayMs: undefined });
});

test('Retry-After is honoured, in seconds or as a date; a wait too long moves on', () => {
  expect(classifyProviderFailure(429, '2', NOW)).toEqual({ action: 'retry', delayMs: 2_000 });
  expect(parseRetryAfter('Fri, 01 Jan 2027 12:00:05 GMT', NOW)).toBe(5_000);
  expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  expect(classifyProviderFailure(429, String(MAX_RETRY_DELAY_MS / 1000 + 1), NOW)).toEqual({ action: 'next-provider' });
});

test('backoff doubles and is capped', () => {
  expect([1, 2, 3, 10].map(backoffMs)).toEqual([500, 1_000, 2_000, 8_000]);
});
