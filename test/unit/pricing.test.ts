import { DEFAULT_PRICES, estimateCostUsd } from '../../src/domain/pricing';

const usage = { promptTokens: 1_000_000, completionTokens: 500_000 };

test('cost is tokens times the price per million, input and output apart', () => {
  expect(estimateCostUsd(DEFAULT_PRICES, 'gpt-4o-mini', usage)).toBeCloseTo(0.15 + 0.3, 10);
});

test('a dated snapshot costs what its model costs', () => {
  expect(estimateCostUsd(DEFAULT_PRICES, 'gpt-4o-mini-2024-07-18', usage)).toBeCloseTo(0.45, 10);
  expect(estimateCostUsd(DEFAULT_PRICES, 'gpt-4o-2024-08-06', usage)).toBeCloseTo(2.5 + 5, 10);
});

test('a model the table does not know costs nothing rather than a guess', () => {
  expect(estimateCostUsd(DEFAULT_PRICES, 'llama3', usage)).toBe(0);
  expect(estimateCostUsd(DEFAULT_PRICES, 'gpt-4o-audio-preview', usage)).toBe(0);
});
