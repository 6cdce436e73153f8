/**
 * The counters workers keep in PostgreSQL (`usage_counters`) and `/metrics` publishes. Every
 * counter has a `tenant` label; the other labels are listed per metric.
 */
export const USAGE_METRICS = {
  llmRequests: { name: 'concierge_llm_requests_total', help: 'Requests to LLM providers (labels: provider, model, outcome)' },
  llmSeconds: { name: 'concierge_llm_request_seconds_total', help: 'Time spent waiting for LLM providers (labels: provider, model)' },
  llmTokens: { name: 'concierge_llm_tokens_total', help: 'Tokens used (labels: provider, model, kind=prompt|completion)' },
  llmCost: { name: 'concierge_llm_cost_usd_total', help: 'Estimated LLM cost in US dollars (labels: provider, model)' },
  turns: { name: 'concierge_assistant_turns_total', help: 'Replies the assistant produced (labels: provider)' },
  toolCalls: { name: 'concierge_tool_calls_total', help: 'Tool calls the model proposed (labels: tool, outcome=ok|error|invalid)' },
} as const;
