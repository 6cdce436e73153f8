import type { Pool } from './pool';

/** An amount to add to one labelled counter of one tenant. */
export interface CounterIncrement {
  metric: string;
  tenantId: string;
  labels?: Record<string, string>;
  value: number;
}

export interface CounterValue {
  metric: string;
  tenantId: string;
  /** Prometheus label pairs after the tenant, e.g. `provider="openai",model="gpt-4o-mini"`. */
  labels: string;
  value: number;
}

/** Adds to counters in one statement: a turn's numbers land together or not at all. */
export async function addToCounters(pool: Pool, increments: readonly CounterIncrement[]): Promise<void> {
  const rows = increments.filter((increment) => increment.value !== 0);
  if (rows.length === 0) return;
  await pool.query(
    `INSERT INTO usage_counters (metric, tenant_id, labels, value)
     -- One row per counter: ON CONFLICT may not touch the same row twice in a statement.
     SELECT metric, tenant_id, labels, sum(value)
     FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[]) AS i (metric, tenant_id, labels, value)
     GROUP BY metric, tenant_id, labels
     ON CONFLICT (metric, tenant_id, labels)
     DO UPDATE SET value = usage_counters.value + excluded.value, updated_at = now()`,
    [rows.map((row) => row.metric), rows.map((row) => row.tenantId), rows.map((row) => formatLabels(row.labels)), rows.map((row) => row.value)],
  );
}

export async function readCounters(pool: Pool): Promise<CounterValue[]> {
  const { rows } = await pool.query<CounterValue>(
    'SELECT metric, tenant_id AS "tenantId", labels, value FROM usage_counters ORDER BY metric, tenant_id, labels',
  );
  return rows;
}

function formatLabels(labels: Record<string, string> = {}): string {
  return Object.entries(labels)
    .map(([name, value]) => `${name}="${value.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`)
    .join(',');
}
