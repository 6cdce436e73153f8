import type { CounterValue } from '../db/usage-counters';
import { bucketLabel, USAGE_METRICS, type UsageMetric } from '../domain/usage-metrics';

/**
 * The workers' metrics (rows of `usage_counters`) in Prometheus text format. Every metric gets
 * its HELP and TYPE even before anything was counted, so a scraper sees the whole list; a
 * histogram's buckets are written in order, those never reached as 0.
 */
export function formatUsageMetrics(rows: readonly CounterValue[]): string {
  return `${Object.values(USAGE_METRICS as Record<string, UsageMetric>)
    .map((metric) => [`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.kind}`, ...samples(metric, rows)].join('\n'))
    .join('\n')}\n`;
}

function samples(metric: UsageMetric, rows: readonly CounterValue[]): string[] {
  if (metric.kind === 'counter') return rows.filter((row) => row.metric === metric.name).map((row) => sample(metric.name, row, row.value));
  const value = new Map(rows.filter((row) => row.metric.startsWith(`${metric.name}_`)).map((row) => [`${row.metric}|${row.tenantId}|${row.labels}`, row.value]));
  const bounds = [...metric.buckets, Infinity].map(bucketLabel);
  return rows
    .filter((row) => row.metric === `${metric.name}_count`)
    .flatMap((series) => {
      const bucketLabels = (le: string) => `${series.labels ? `${series.labels},` : ''}le="${le}"`;
      return [
        ...bounds.map((le) => sample(`${metric.name}_bucket`, { ...series, labels: bucketLabels(le) }, value.get(`${metric.name}_bucket|${series.tenantId}|${bucketLabels(le)}`) ?? 0)),
        sample(`${metric.name}_sum`, series, value.get(`${metric.name}_sum|${series.tenantId}|${series.labels}`) ?? 0),
        sample(`${metric.name}_count`, series, series.value),
      ];
    });
}

function sample(name: string, { tenantId, labels }: Pick<CounterValue, 'tenantId' | 'labels'>, value: number): string {
  return `${name}{tenant="${tenantId}"${labels ? `,${labels}` : ''}} ${value}`;
}
