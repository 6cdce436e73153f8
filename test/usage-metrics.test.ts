import { stateQuery } from '../src/workflows';
import { chatCompletion, FakeOpenAI, toolCallCompletion } from './helpers/fake-openai';
import { startTestStack } from './helpers/stack';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';

/** The value of one Prometheus sample, by its exact name and labels. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('token usage and cost of a 3-turn conversation show in its state and in /metrics', async () => {
  // $1,000 and $2,000 per million tokens: every fake call (42 + 7 tokens) costs $0.056.
  const model = await new FakeOpenAI((request) =>
    request.body.messages.at(-1).role === 'user' && request.body.messages.at(-1).content.includes('precio')
      ? toolCallCompletion([{ name: 'search_services', arguments: { query: 'masaje' } }], 'fake-model', { prompt_tokens: 42, completion_tokens: 7 })
      : chatCompletion('Claro.', 'fake-model', { prompt_tokens: 42, completion_tokens: 7 }),
  ).start();
  const stack = await startTestStack({
    llmProviders: [{ name: 'fake', baseURL: model.baseURL, apiKey: 'sk-test', model: 'fake-model' }],
    llmPrices: { 'fake-model': { inputPerMillion: 1_000, outputPerMillion: 2_000 } },
    adminToken: ADMIN_TOKEN,
  });
  try {
    for (const message of ['Hola', '¿Qué precio tiene el masaje?', 'Gracias']) {
      expect((await stack.request('POST', '/api/chat', { session_id: 'usage', message })).status).toBe(200);
    }
    // Turn 2 took two model calls (the tool round and the answer): four calls in all.
    const state = await stack.client.workflow.getHandle('conversation:demo:web:usage').query(stateQuery);
    expect(state.turns).toBe(3);
    expect(state.usage).toEqual({ promptTokens: 168, completionTokens: 28, costUsd: expect.closeTo(0.224, 9) });
    const turnCosts = state.transcript.flatMap((entry) => (entry.role === 'assistant' ? [entry.usage.costUsd] : []));
    expect(turnCosts).toEqual([expect.closeTo(0.056, 9), expect.closeTo(0.112, 9), expect.closeTo(0.056, 9)]);

    const metrics = await stack.request('GET', '/metrics', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(metrics.status).toBe(200);
    const labels = 'tenant="demo",provider="fake",model="fake-model"';
    expect(sample(metrics.body, `concierge_llm_tokens_total{${labels},kind="prompt"}`)).toBe(168);
    expect(sample(metrics.body, `concierge_llm_tokens_total{${labels},kind="completion"}`)).toBe(28);
    expect(sample(metrics.body, `concierge_llm_cost_usd_total{${labels}}`)).toBeCloseTo(0.224, 9);
    expect(sample(metrics.body, `concierge_llm_requests_total{${labels},outcome="ok"}`)).toBe(4);
    expect(sample(metrics.body, 'concierge_assistant_turns_total{tenant="demo",provider="fake"}')).toBe(3);
    expect(sample(metrics.body, 'concierge_tool_calls_total{tenant="demo",tool="search_services",outcome="ok"}')).toBe(1);
    expect(sample(metrics.body, 'concierge_http_requests_total{method="POST",route="/api/chat",status="200"}')).toBe(3);
    expect(sample(metrics.body, 'concierge_usage_counters_up')).toBe(1);
  } finally {
    await stack.stop();
    await model.stop();
  }
});
