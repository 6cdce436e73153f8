import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from '../db/pool';
import { readCounters } from '../db/usage-counters';
import { ChannelSchema } from '../domain/conversation';
import type { Logger } from '../logger';
import { formatUsageMetrics } from './usage-exposition';

/**
 * What `/metrics` shows: this API process's own numbers (HTTP requests, webhooks, errors, the
 * Node.js runtime) from its registry, then the deployment's totals that workers keep in
 * PostgreSQL, so any API process shows all of those.
 */
export interface ApiMetrics {
  /** Counts the requests `app` answers. */
  instrument(app: FastifyInstance): void;
  /** The Prometheus text of one scrape, and its content type. */
  scrape(log: Logger | FastifyRequest['log']): Promise<{ contentType: string; text: string }>;
}

const WEBHOOK_ROUTE = '/webhooks/:tenant/:channel';
const CHANNELS = new Set<string>(ChannelSchema.options.filter((channel) => channel !== 'web'));

/** How a webhook delivery ended, by the status it was answered with. */
const WEBHOOK_OUTCOMES: Record<number, string> = {
  200: 'accepted',
  400: 'malformed',
  401: 'unauthenticated',
  403: 'unauthenticated',
  404: 'unknown_channel',
  413: 'too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Server-side failures by kind; a client's mistakes are in the HTTP and webhook counts. */
const ERROR_KINDS: Record<number, string> = { 500: 'internal_error', 503: 'service_unavailable', 504: 'reply_timeout' };

export function createApiMetrics(pool: Pool): ApiMetrics {
  // One registry per server: tests run several in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'concierge_api_' });
  const requests = new Counter({
    name: 'concierge_http_requests_total',
    help: 'HTTP requests answered (labels: method, route, status)',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'concierge_http_request_duration_seconds',
    help: 'Time to answer HTTP requests (labels: method, route)',
    labelNames: ['method', 'route'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'concierge_webhooks_total',
    help: 'Webhook deliveries from messaging channels (labels: channel, outcome=accepted|malformed|unauthenticated|unknown_channel|too_large|rate_limited|unavailable|error|rejected)',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'concierge_api_errors_total',
    help: 'Requests this API process failed on its side (labels: kind=internal_error|service_unavailable|reply_timeout|…)',
    labelNames: ['kind'],
    registers: [registry],
  });
  const countersReadable = new Gauge({
    name: 'concierge_usage_counters_up',
    help: 'Whether the workers\' metrics could be read from PostgreSQL on this scrape (1) or not (0)',
    registers: [registry],
  });

  return {
    instrument(app) {
      app.addHook('onResponse', async (request, reply) => {
        // The route pattern, not the URL: ids in paths would make a label per conversation.
        const route = request.routeOptions.url ?? 'unmatched';
        const status = reply.statusCode;
        requests.inc({ method: request.method, route, status: String(status) });
        duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
        if (route === WEBHOOK_ROUTE && request.method === 'POST') webhooks.inc({ channel: channelOf(request), outcome: webhookOutcome(status) });
        if (status >= 500) errors.inc({ kind: ERROR_KINDS[status] ?? `http_${status}` });
      });
    },

    async scrape(log) {
      let usage = '';
      try {
        usage = formatUsageMetrics(await readCounters(pool));
        countersReadable.set(1);
      } catch (error) {
        log.warn({ err: error }, 'usage counters unavailable for /metrics');
        countersReadable.set(0);
      }
      return { contentType: registry.contentType, text: `${await registry.metrics()}\n${usage}` };
    },
  };
}

/** Only channels that exist: a made-up one in the URL must not become a label. */
function channelOf(request: FastifyRequest): string {
  const channel = (request.params as { channel?: unknown } | undefined)?.channel;
  return typeof channel === 'string' && CHANNELS.has(channel) ? channel : 'unknown';
}

function webhookOutcome(status: number): string {
  return WEBHOOK_OUTCOMES[status] ?? (status >= 500 ? 'error' : 'rejected');
}
