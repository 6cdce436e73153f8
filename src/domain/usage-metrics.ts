/**
 * The metrics workers keep in PostgreSQL (`usage_counters`) and `/metrics` publishes: what the
 * deployment did, whichever worker did it. Every series has a `tenant` label; the other labels
 * are listed per metric. A histogram is kept as its `_bucket` (cumulative, `le` last), `_sum`
 * and `_count` rows.
 */
export type UsageMetric =
  | { kind: 'counter'; name: string; help: string }
  | { kind: 'histogram'; name: string; help: string; buckets: readonly number[] };

const counter = (name: string, help: string): UsageMetric => ({ kind: 'counter', name, help });

export const USAGE_METRICS = {
  llmRequests: counter('concierge_llm_requests_total', 'Requests to LLM providers (labels: provider, model, outcome)'),
  llmDuration: {
    kind: 'histogram',
    name: 'concierge_llm_request_duration_seconds',
    help: 'Time one LLM provider request took, failed ones too (labels: provider, model)',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 45, 120],
  },
  llmTokens: counter('concierge_llm_tokens_total', 'Tokens used (labels: provider, model, kind=prompt|completion)'),
  llmCost: counter('concierge_llm_cost_usd_total', 'Estimated LLM cost in US dollars (labels: provider, model)'),
  turns: counter('concierge_assistant_turns_total', 'Replies the assistant produced (labels: provider)'),
  replyLatency: {
    kind: 'histogram',
    name: 'concierge_reply_latency_seconds',
    help: "From the oldest customer message a reply answers (its channel's timestamp) to the reply being ready to send (labels: channel)",
    buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
  },
  toolCalls: counter('concierge_tool_calls_total', 'Tool calls the model proposed (labels: tool, outcome=ok|error|invalid)'),
  bookings: counter('concierge_bookings_total', 'Bookings made or changed by the assistant (labels: action=created|rescheduled|cancelled|confirmed)'),
  remindersSent: counter('concierge_reminders_sent_total', 'Appointment reminders handed to the customer\'s conversation to send (labels: channel)'),
  leadsPushed: counter('concierge_leads_pushed_total', 'Leads pushed to the tenant\'s CRM, each push once it succeeded (labels: crm)'),
  handoffs: counter('concierge_handoffs_total', 'Conversations handed to staff (labels: channel)'),
  errors: counter('concierge_errors_total', 'Failures in the background work, by kind (labels: kind)'),
} as const satisfies Record<string, UsageMetric>;

/** The `le` label of a bucket, as Prometheus writes it. */
export function bucketLabel(bound: number): string {
  return Number.isFinite(bound) ? String(bound) : '+Inf';
}
