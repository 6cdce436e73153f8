import { createLogger } from '../../src/logger';
import { supervise, type ChildServer, type RestartPolicy } from '../../src/supervisor';
import { waitFor } from '../helpers/wait-for';

const policy: RestartPolicy = { maxRestarts: 3, windowMs: 60_000, backoff: { initialMs: 10, maxMs: 40 } };
const logger = createLogger('silent');

/** A server that exits when told to; `stop` records that it was asked. */
class FakeServer implements ChildServer {
  stopped = false;
  exit!: (how: string) => void;
  exited = new Promise<string>((resolve) => (this.exit = resolve));
  stop = async () => {
    this.stopped = true;
    this.exit('exited with code 0');
  };
}

function setUp(options: { failRestarts?: number } = {}) {
  const started: FakeServer[] = [];
  let failuresLeft = options.failRestarts ?? 0;
  const stopping = new AbortController();
  const gaveUp: Error[] = [];
  const start = async () => {
    if (started.length > 0 && failuresLeft-- > 0) throw new Error('port in use');
    const server = new FakeServer();
    started.push(server);
    return server;
  };
  const supervised = supervise('test server', start, { logger, stopping: stopping.signal, onGiveUp: (error) => gaveUp.push(error), policy });
  return { started, stopping, gaveUp, supervised };
}

describe('supervise', () => {
  test('restarts a server that dies, and stop() stops the one running', async () => {
    const { started, supervised } = setUp();
    const { server, stop } = await supervised;
    expect(server).toBe(started[0]);
    started[0].exit('was killed by SIGKILL');
    await waitFor('a restart', () => started.length === 2);
    await stop();
    expect(started[1].stopped).toBe(true);
  });

  test('retries a restart that fails', async () => {
    const { started, supervised, gaveUp } = setUp({ failRestarts: 2 });
    await supervised;
    started[0].exit('was killed by SIGKILL');
    await waitFor('a restart after two failed ones', () => started.length === 2);
    expect(gaveUp).toEqual([]);
  });

  test('gives up, saying why, when the server keeps dying', async () => {
    const { started, supervised, gaveUp } = setUp();
    await supervised;
    for (let exits = 1; exits <= policy.maxRestarts + 1; exits++) {
      started[exits - 1].exit('exited with code 1');
      if (exits <= policy.maxRestarts) await waitFor(`restart ${exits}`, () => started.length === exits + 1);
    }
    await waitFor('giving up', () => gaveUp.length === 1);
    expect(gaveUp[0].message).toBe('test server exited with code 1; it failed 4 times within 1 min, giving up');
    expect(started).toHaveLength(policy.maxRestarts + 1);
  });

  test('gives up when restarts keep failing, with the reason', async () => {
    const { started, supervised, gaveUp } = setUp({ failRestarts: 100 });
    await supervised;
    started[0].exit('was killed by SIGKILL');
    await waitFor('giving up', () => gaveUp.length === 1);
    expect(gaveUp[0].message).toMatch(/^test server could not be restarted: port in use; it failed 4 times/);
  });

  test('does not restart a server that exits because the process is stopping (Ctrl-C reaches both)', async () => {
    const { started, stopping, supervised, gaveUp } = setUp();
    const { stop } = await supervised;
    started[0].exit('exited with code 0');
    stopping.abort();
    await new Promise((resolve) => setTimeout(resolve, 5 * policy.backoff.maxMs));
    expect(started).toHaveLength(1);
    expect(gaveUp).toEqual([]);
    await stop();
  });
});
