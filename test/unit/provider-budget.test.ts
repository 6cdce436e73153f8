import {
  CHAIN_BUDGET_MS,
  chainTimeouts,
  DEFAULT_REQUEST_TIMEOUT_MS,
  MIN_REQUEST_MS,
  requestTimeoutMs,
  retryFits,
} from '../../src/domain/provider-budget';

describe('chainTimeouts (checked at start)', () => {
  test('a step leaves 115 s for the chain', () => {
    expect(CHAIN_BUDGET_MS).toBe(115_000);
  });

  test('two providers without a timeout get the default each: they fit', () => {
    expect(chainTimeouts([undefined, undefined])).toEqual({ ok: true, timeouts: [DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS] });
  });

  test('a longer chain without timeouts shares the step evenly', () => {
    expect(chainTimeouts([undefined, undefined, undefined])).toEqual({ ok: true, timeouts: [38_333, 38_333, 38_333] });
  });

  test('given timeouts are kept; the missing ones share what they leave', () => {
    expect(chainTimeouts([2_000, undefined])).toEqual({ ok: true, timeouts: [2_000, 45_000] });
    expect(chainTimeouts([60_000, undefined, undefined])).toEqual({ ok: true, timeouts: [60_000, 27_500, 27_500] });
  });

  test('timeouts that add up to more than the step are refused, saying to lower them', () => {
    const sized = chainTimeouts([60_000, 60_000]);
    expect(sized).toEqual({ ok: false, reason: expect.stringMatching(/add up to 120000 ms, more than the 115000 ms.*lower "timeout"/) });
    expect(chainTimeouts([57_500, 57_500]).ok).toBe(true);
  });

  test('a chain too long for a useful default is refused rather than given seconds each', () => {
    expect(chainTimeouts(Array(12).fill(undefined))).toEqual({ ok: false, reason: expect.stringMatching(/12 provider\(s\) without a "timeout" would get 9583 ms/) });
    expect(chainTimeouts([110_000, undefined])).toMatchObject({ ok: false });
  });
});

describe('requestTimeoutMs (each request, against the time left)', () => {
  test('with room for every provider, each gets its own timeout', () => {
    expect(requestTimeoutMs(115_000, [45_000, 45_000])).toBe(45_000);
    expect(requestTimeoutMs(115_000, [2_000, 45_000])).toBe(2_000);
  });

  test('without a deadline, the provider\'s own timeout', () => {
    expect(requestTimeoutMs(Infinity, [45_000, 45_000])).toBe(45_000);
  });

  test('short of time, the time left is split so that every provider still to try gets a chance', () => {
    // A one-minute activity: 55 s for two 45 s providers.
    expect(requestTimeoutMs(55_000, [45_000, 45_000])).toBe(27_500);
    // A provider with a short timeout keeps it; the others share the rest.
    expect(requestTimeoutMs(55_000, [45_000, 5_000, 45_000])).toBe(25_000);
    expect(requestTimeoutMs(55_000, [5_000, 45_000, 45_000])).toBe(5_000);
    // The last provider gets everything that is left, up to its timeout.
    expect(requestTimeoutMs(30_000, [45_000])).toBe(30_000);
  });

  test('no request when there is no time worth sending one', () => {
    expect(requestTimeoutMs(MIN_REQUEST_MS * 2 - 2, [45_000, 45_000])).toBeUndefined();
    expect(requestTimeoutMs(-5, [45_000])).toBeUndefined();
    expect(requestTimeoutMs(10_000, [])).toBeUndefined();
    // A provider configured with a shorter timeout than that still gets its request.
    expect(requestTimeoutMs(115_000, [300, 45_000])).toBe(300);
  });
});

describe('retryFits (a retry on the same provider spends spare time only)', () => {
  test('a retry fits while every provider still to try keeps its whole timeout', () => {
    expect(retryFits(114_000, 500, [45_000, 45_000])).toBe(true);
    expect(retryFits(91_000, 1_000, [45_000, 45_000])).toBe(true);
    expect(retryFits(91_000, 2_000, [45_000, 45_000])).toBe(false);
  });

  test('the last provider may retry as long as a whole request still fits', () => {
    expect(retryFits(47_000, 2_000, [45_000])).toBe(true);
    expect(retryFits(46_000, 2_000, [45_000])).toBe(false);
  });

  test('a Retry-After longer than the spare time moves on', () => {
    expect(retryFits(100_000, 15_000, [45_000, 45_000])).toBe(false);
  });

  test('without a deadline, retries always fit', () => {
    expect(retryFits(Infinity, 8_000, [45_000, 45_000])).toBe(true);
  });
});
