import { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import type { OnStop } from '../process';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { registerErrorHandler } from './errors';
import { registerChatRoute } from './routes/chat';
import { registerHealthRoute } from './routes/health';

export interface ApiDeps {
  client: Client;
  pool: Pool;
  logger: Logger;
  taskQueue: string;
  idleTimeoutMs: number;
  chatReplyTimeoutMs: number;
}

const BODY_LIMIT_BYTES = 256 * 1024;

export function buildServer(deps: ApiDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit: BODY_LIMIT_BYTES });
  registerErrorHandler(app);
  registerHealthRoute(app, deps);
  registerChatRoute(app, { ...deps, replyTimeoutMs: deps.chatReplyTimeoutMs });
  return app;
}

export interface StartApiOptions extends Omit<ApiDeps, 'client'> {
  temporalAddress: string;
  namespace: string;
  port: number;
  onStop: OnStop;
}

/** Connects to Temporal and serves the API on all interfaces; returns the base URL. */
export async function startApi(options: StartApiOptions): Promise<string> {
  const connection = await Connection.connect({ address: options.temporalAddress });
  options.onStop(() => connection.close());
  await registerSearchAttributes(connection, options.namespace, options.logger);
  const app = buildServer({ ...options, client: new Client({ connection, namespace: options.namespace }) });
  await app.listen({ port: options.port, host: '0.0.0.0' });
  options.onStop(() => app.close());
  return `http://localhost:${options.port}`;
}
