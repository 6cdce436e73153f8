import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Pool } from '../../db/pool';

const CHECK_TIMEOUT_MS = 2_000;

type Check = { status: 'up' } | { status: 'down'; error: string };

/** `GET /health`: 200 when Temporal and PostgreSQL both answer, 503 naming the one that does not. */
export function registerHealthRoute(app: FastifyInstance, deps: { client: Client; pool: Pool }): void {
  app.get('/health', async (_request, reply) => {
    const [temporal, postgres] = await Promise.all([
      check((signal) => deps.client.withAbortSignal(signal, () => deps.client.connection.workflowService.getSystemInfo({}))),
      check(() => deps.pool.query('SELECT 1')),
    ]);
    const ok = temporal.status === 'up' && postgres.status === 'up';
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', temporal, postgres });
  });
}

/** Runs a probe for at most CHECK_TIMEOUT_MS; the signal tells a probe that can stop to stop. */
async function check(probe: (signal: AbortSignal) => Promise<unknown>): Promise<Check> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`));
    }, CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(abort.signal), timeout]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
