import { parseDuration } from '../../src/domain/duration';

test.each([
  ['250ms', 250],
  ['45s', 45_000],
  ['30m', 1_800_000],
  ['1.5h', 5_400_000],
  ['1d', 86_400_000],
  ['1000', 1_000],
])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

test.each(['', 'soon', '30 minutes', '-5m', 'm'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());
