import { readThroughCache } from '../../src/read-through-cache';

/** A settings table whose reads the test answers one by one, on a clock the test moves. */
function table() {
  let clock = 1_000_000;
  let version = 0;
  const pending: Array<() => void> = [];
  const reads: string[] = [];
  let down = false;
  const load = (key: string) => {
    reads.push(key);
    return new Promise<string | undefined>((resolve, reject) =>
      pending.push(() => (down ? reject(new Error('database down')) : resolve(key === 'unknown' ? undefined : `${key} v${version}`))),
    );
  };
  return {
    lookup: readThroughCache(load, { refreshAfterMs: 10_000, now: () => clock }),
    reads,
    advance: (ms: number) => (clock += ms),
    change: () => (version += 1),
    goDown: () => (down = true),
    /** Answers every read under way. */
    answer: async () => {
      for (const resolve of pending.splice(0)) resolve();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** A table whose 'demo' was read once, at v0. */
async function primed() {
  const settings = table();
  const first = settings.lookup('demo');
  await settings.answer();
  await first;
  return settings;
}

describe('readThroughCache', () => {
  test('concurrent first reads of a key make one query and all get its answer', async () => {
    const settings = table();
    const answers = Promise.all([settings.lookup('demo'), settings.lookup('demo'), settings.lookup('demo')]);
    await settings.answer();
    expect(await answers).toEqual(['demo v0', 'demo v0', 'demo v0']);
    expect(settings.reads).toEqual(['demo']);
  });

  test('within the refresh time a change is not read; after it, the old value answers at once while the new one is read behind it', async () => {
    const settings = await primed();
    settings.change();
    settings.advance(9_000);
    expect(await settings.lookup('demo')).toBe('demo v0');
    expect(settings.reads).toHaveLength(1);

    settings.advance(2_000);
    // Answered without waiting for the database: the read behind it is still pending.
    expect(await settings.lookup('demo')).toBe('demo v0');
    expect(settings.reads).toHaveLength(2);
    await settings.answer();
    expect(await settings.lookup('demo')).toBe('demo v1');
  });

  test('a value older than twice the refresh time is waited for, not answered: a change reaches a quiet key within 20 s', async () => {
    const settings = await primed();
    settings.change();
    settings.advance(25_000);
    const answer = settings.lookup('demo');
    await settings.answer();
    expect(await answer).toBe('demo v1');
  });

  test('while the database cannot be read, the last value read answers; a key never read fails', async () => {
    const settings = await primed();
    settings.goDown();
    settings.advance(25_000);
    const known = settings.lookup('demo');
    const never = settings.lookup('other').catch((error: Error) => error.message);
    await settings.answer();
    expect(await known).toBe('demo v0');
    expect(await never).toBe('database down');
  });

  test('an unknown key is remembered as unknown, so made-up keys do not reach the database each time', async () => {
    const settings = table();
    const first = settings.lookup('unknown');
    await settings.answer();
    expect(await first).toBeUndefined();
    expect(await settings.lookup('unknown')).toBeUndefined();
    expect(settings.reads).toEqual(['unknown']);
  });
});
