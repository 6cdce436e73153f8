import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addressOf, tooManyRequests, WindowCounter, type RateLimits } from './rate-limits';

/** Routes behind a token: the admin API (the inbox signs in through it) and /metrics. */
const SIGNED_IN_PATH = /^\/(admin|metrics|inbox)(\/|\?|$)/;

/**
 * Guessing tokens is slowed down per address: each 401 to a request that presented a bearer
 * token, or to a signed-in route, counts; past `failedSignInsPerAddress` within the lock-out,
 * such requests from that address get 429 until it ends — even with a right token, so a guess
 * that hits is not told apart. Pages and chats without a token go on as before.
 */
export function registerSignInLockout(app: FastifyInstance, limits: RateLimits): void {
  // The lock-out runs from an address's first failure.
  const failures = new WindowCounter(limits.signInLockoutMinutes * 60_000);
  const signingIn = (request: FastifyRequest) => request.headers.authorization !== undefined || SIGNED_IN_PATH.test(request.url);

  app.addHook('onRequest', async (request, reply) => {
    if (!signingIn(request)) return;
    const { count, retryAfterMs } = failures.peek(addressOf(request));
    if (count >= limits.failedSignInsPerAddress) throw tooManyRequests(reply, retryAfterMs / 1000, 'refused credentials from this address');
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401 && signingIn(request)) failures.add(addressOf(request));
  });
}
