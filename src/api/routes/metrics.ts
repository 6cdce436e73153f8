import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from '../../db/pool';
import { readCounters, type CounterValue } from '../../db/usage-counters';
import { USAGE_METRICS } from '../../domain/usage-metrics';

/**
 * `GET /metrics`, Prometheus text. This process's own numbers (HTTP requests, Node.js runtime)
 * come from its registry; the assistant's (turns, LLM calls, tokens, cost, tool calls) are the
 * deployment's totals that workers keep in PostgreSQL, so any API process shows all of them.
 */
export function registerMetricsRoute(app: FastifyInstance, deps: { pool: Pool }): void {
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
  const countersReadable = new Gauge({
    name: 'concierge_usage_counters_up',
    help: '1 when the assistant usage counters could be read from PostgreSQL on this scrape',
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: ids in paths would make a label per conversation.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', async (request, reply) => {
    let usage = '';
    try {
      usage = formatUsageCounters(await readCounters(deps.pool));
      countersReadable.set(1);
    } catch (error) {
      request.log.warn({ err: error }, 'usage counters unavailable for /metrics');
      countersReadable.set(0);
    }
    return reply.type(registry.contentType).send(`${await registry.metrics()}\n${usage}`);
  });
}

function formatUsageCounters(counters: readonly CounterValue[]): string {
  return Object.values(USAGE_METRICS)
    .map(({ name, help }) => {
      const samples = counters
        .filter((counter) => counter.metric === name)
        .map((counter) => `${name}{tenant="${counter.tenantId}"${counter.labels ? `,${counter.labels}` : ''}} ${counter.value}`);
      return [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, ...samples].join('\n');
    })
    .join('\n')
    .concat('\n');
}
