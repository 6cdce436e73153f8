import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { activityCallLimits } from '../src/activities/call-limits';
import { completeChat, createModelChain, type ModelRequest } from '../src/activities/llm-providers';
import { LlmProviderSchema } from '../src/config';
import { DEFAULT_PRICES } from '../src/domain/pricing';
import { chatCompletion, FakeOpenAI, hangs } from './helpers/fake-openai';
import { waitFor } from './helpers/wait-for';

/**
 * The chain inside an activity attempt, whatever timeouts the workflow gave it: a primary that
 * hangs, with a 45 s timeout, and a fallback that answers.
 */
async function hungPrimary() {
  const first = await new FakeOpenAI(hangs).start();
  const second = await new FakeOpenAI(() => chatCompletion('Respuesta del respaldo', 'fallback-model')).start();
  const chain = createModelChain(
    [
      LlmProviderSchema.parse({ name: 'primary', baseURL: first.baseURL, apiKey: 'sk-primary', model: 'primary-model', timeout: 45_000 }),
      LlmProviderSchema.parse({ name: 'fallback', baseURL: second.baseURL, apiKey: 'sk-fallback', model: 'fallback-model', timeout: 45_000 }),
    ],
    DEFAULT_PRICES,
  );
  return { first, second, chain, stop: () => Promise.all([first.stop(), second.stop()]) };
}

const request: ModelRequest = { messages: [{ role: 'user', content: 'Hola' }], tools: [], toolsAllowed: false };

test('a short activity shares its own deadline between the providers, whatever their timeouts', async () => {
  const { first, second, chain, stop } = await hungPrimary();
  try {
    // 9 s to close, 5 s of them kept back: 4 s for two providers, 2 s each.
    const attempt = new MockActivityEnvironment({ startToCloseTimeoutMs: 9_000 });
    const started = Date.now();
    const reply = await attempt.run(() => completeChat(chain, request, activityCallLimits()));
    const hung = first.requests[0]!;
    console.log(`9 s activity, two 45 s providers: the hung primary was abandoned after ${hung.abandonedAt! - hung.at} ms; the reply came after ${Date.now() - started} ms`);
    expect(reply).toMatchObject({ text: 'Respuesta del respaldo', provider: 'fallback' });
    // Timed from the request's arrival: connecting and sending took part of the 2 s before it.
    expect(hung.abandonedAt! - hung.at).toBeGreaterThanOrEqual(1_500);
    expect(hung.abandonedAt! - hung.at).toBeLessThan(3_000);
    expect(second.requests).toHaveLength(1);
  } finally {
    await stop();
  }
});

test('a cancelled activity aborts its request and asks no other provider', async () => {
  const { first, second, chain, stop } = await hungPrimary();
  try {
    const attempt = new MockActivityEnvironment({ startToCloseTimeoutMs: 120_000 });
    const reply = attempt.run(() => completeChat(chain, request, activityCallLimits()));
    await waitFor('the request to the primary', () => first.requests.length === 1);
    attempt.cancel('CANCELLED');
    await expect(reply).rejects.toBeInstanceOf(CancelledFailure);
    await waitFor('the primary to see its request abandoned', () => first.requests[0]!.abandonedAt !== undefined, 5_000);
    expect(second.requests).toHaveLength(0);
  } finally {
    await stop();
  }
});
