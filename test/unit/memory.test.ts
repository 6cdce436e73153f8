import type { TranscriptEntry } from '../../src/domain/conversation';
import { appendToSummary, entriesToFold, MAX_SUMMARY_CHARS, rememberId } from '../../src/domain/memory';

const entries = (count: number): TranscriptEntry[] =>
  Array.from({ length: count }, (_, seq) => ({ seq, role: 'customer', messageId: `m${seq}`, text: `mensaje ${seq}`, at: '2027-01-01T00:00:00.000Z' }));

describe('entriesToFold', () => {
  const limits = { maxMessages: 50, foldBatch: 10 };
  test.each([
    [50, 0],
    [60, 0],
    [61, 11],
    [75, 25],
  ])('with %d messages folds the oldest %d', (count, folded) => {
    expect(entriesToFold(entries(count), limits)).toBe(folded);
  });
});

test('appendToSummary keeps the newest facts within MAX_SUMMARY_CHARS', () => {
  let summary = '';
  for (let round = 0; round < 50; round++) summary = appendToSummary(summary, entries(20));
  expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
  expect(summary.endsWith('Customer: mensaje 19')).toBe(true);
  expect(appendToSummary('Lucía quiere turno.', entries(1))).toBe('Lucía quiere turno.\nCustomer: mensaje 0');
});

test('rememberId forgets the oldest id beyond the bound', () => {
  let ids: string[] = [];
  for (let i = 0; i < 7; i++) ids = rememberId(ids, `id${i}`, 5);
  expect(ids).toEqual(['id2', 'id3', 'id4', 'id5', 'id6']);
});
