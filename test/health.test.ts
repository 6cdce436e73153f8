import { startTestStack, type TestStack } from './helpers/stack';

describe('GET /health', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  test('is 200 when Temporal and PostgreSQL both answer', async () => {
    const response = await stack.request('GET', '/health');
    expect(response).toMatchObject({ status: 200, body: { status: 'ok', temporal: { status: 'up' }, postgres: { status: 'up' } } });
  });
});
