import { readFileSync } from 'node:fs';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { connectDatabase } from '../src/db/connect';
import { seedDemoTenant } from '../src/db/demo-tenant';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/db/embedded-postgres';
import { createLogger } from '../src/logger';
import { resolveTemporalBinary, TEMPORAL_CLI } from '../src/temporal/binaries';
import { startTemporalDevServer, type RunningDevServer } from '../src/temporal/dev-server';
import { startChild, type Child } from './children';
import { sleep } from './concurrency';
import { freePorts } from './ports';
import { descendants, listProcesses, readStat, stillRunning, type ProcStat } from './proc';

/**
 * Concierge on one machine as it runs on several: worker and API processes of their own
 * (`src/worker.ts`, `src/api/main.ts`) against one Temporal server and one PostgreSQL. Each server
 * is started here, so that it can be faulted (kill -9 and restart, stop and start) while the
 * Concierge processes keep running, unless its address is given: a server of someone else's is
 * used as it is, never faulted, stopped or measured.
 */

export interface ClusterOptions {
  workers: number;
  apis: number;
  /** Extra env of every Concierge process (LLM_PROVIDERS, WHATSAPP_*, ADMIN_TOKEN, LOG_LEVEL…), over this process's own. */
  env: Record<string, string>;
  /** Variables of this process's own environment the Concierge processes must not inherit (e.g. the user's LLM_PROVIDERS). */
  unset?: RegExp;
  /** The Temporal SQLite file and the PostgreSQL cluster live here, kept across restarts (and after stop). */
  dataDir: string;
  /** Set: each Concierge process's stdout and stderr go to `<name>.log` here, the Temporal dev server's to `temporal.log`. */
  logDir?: string;
  /** Set: this Temporal server (`host:port`) rather than a dev server of the cluster's own. */
  temporalAddress?: string;
  /** Set: this PostgreSQL database rather than one of the cluster's own (migrated and seeded with the demo tenant all the same). */
  databaseUrl?: string;
}

export interface ClusterProcess {
  name: string;
  pid: number;
  /** A worker's Temporal identity (the SDK's default, `<pid>@<hostname>`): workflow histories name it. */
  identity?: string;
  /** Settles once it has exited, saying how. */
  exited: Promise<string>;
}

export interface LocalCluster {
  temporalAddress: string;
  databaseUrl: string;
  namespace: string;
  taskQueue: string;
  /** One per API process, each on its own port: `http://127.0.0.1:<port>`. */
  apiUrls: string[];
  apis: ClusterProcess[];
  /** The servers the cluster started, and so can fault; false: one given by address, which the methods below refuse to touch. */
  owns: { temporal: boolean; postgres: boolean };
  /** The live workers. */
  workers: ClusterProcess[];
  /** Starts `src/worker.ts`; resolves once it polls both the workflow and the activity task queue. */
  startWorker(): Promise<ClusterProcess>;
  /** kill -9, and waits until it has gone. */
  killWorker(worker: ClusterProcess): Promise<void>;
  /** kill -9 the dev server, then starts it again on the same port and SQLite file. */
  restartTemporal(): Promise<void>;
  /** An orderly stop of PostgreSQL (clients are disconnected); `startPostgres` brings it back on the same port and data. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  /** The pids of the servers it owns now (a restart changes them; undefined while stopped or not its own): for CPU sampling. */
  serverPids(): { temporal?: number; postgres?: number };
  /** Stops everything (the data directory stays). Whatever happens, nothing is left running at exit. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000; // a worker bundles the workflow code first: slow on a busy 2-core machine
const STOP_TIMEOUT_MS = 20_000; // a Concierge process allows 15 s per part of its orderly stop
const POLL_MS = 250;
const DATABASE = 'concierge';

export async function startLocalCluster(options: ClusterOptions): Promise<LocalCluster> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as `postgres`, which must reach its directory.
  await chmod(dataDir, 0o755);
  if (options.logDir) await mkdir(options.logDir, { recursive: true });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !options.unset?.test(name)));
  // As the Concierge processes will read them (src/config.ts): the dev server makes this namespace, and readiness is checked there.
  const namespace = options.env.TEMPORAL_NAMESPACE || inherited.TEMPORAL_NAMESPACE || 'default';
  const taskQueue = options.env.TEMPORAL_TASK_QUEUE || inherited.TEMPORAL_TASK_QUEUE || 'concierge';
  const owns = { temporal: !options.temporalAddress, postgres: !options.databaseUrl };
  const [temporalPort, postgresPort, ...apiPorts] = await freePorts(2 + options.apis);

  const temporalOptions = {
    executable: resolveTemporalBinary(TEMPORAL_CLI, { explicitPath: process.env.TEMPORAL_CLI_PATH }),
    namespace,
    port: temporalPort,
    dbFile: path.join(dataDir, 'temporal.sqlite'),
    // Under load its errors (updates cancelled by a client's deadline…) would fill the runner's terminal.
    logFile: options.logDir ? path.join(options.logDir, 'temporal.log') : undefined,
  };
  const postgresOptions = { dir: path.join(dataDir, 'postgres'), port: postgresPort, database: DATABASE, persistent: true };
  const assertOwned = (server: keyof typeof owns) => {
    if (!owns[server]) throw new Error(`the cluster did not start ${server === 'temporal' ? 'Temporal' : 'PostgreSQL'} (its address was given): it cannot fault it`);
  };
  let temporal: { server: RunningDevServer; stat: ProcStat } | undefined;
  let postgres: { server: RunningPostgres; stat: ProcStat } | undefined;
  let connection: Connection | undefined;
  const children = new Map<ClusterProcess, { child: Child; stat: ProcStat }>();
  const workers: ClusterProcess[] = [];
  const apis: ClusterProcess[] = [];
  let started = 0;
  // Known once both servers are up, before any Concierge process starts.
  let temporalAddress = options.temporalAddress ?? '';
  let databaseUrl = options.databaseUrl ?? '';

  // Last resort on any exit of this process (a crash of the runner): kill -9 whatever is still up.
  const killNow = () => {
    const stats = [...children.values()].map(({ stat }) => stat);
    if (temporal) stats.push(temporal.stat);
    if (postgres) stats.push(postgres.stat, ...descendants(postgres.stat.pid));
    for (const stat of stats) killIfRunning(stat);
  };
  process.on('exit', killNow);

  const startTemporal = async () => {
    const server = await startTemporalDevServer(temporalOptions);
    temporal = { server, stat: devServerProcess(temporalPort) };
  };
  const startPostgres = async () => {
    const server = await startEmbeddedPostgres(postgresOptions);
    postgres = { server, stat: await postmaster(postgresOptions.dir) };
  };

  const env = (port?: number): NodeJS.ProcessEnv => ({
    ...inherited,
    ...options.env,
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    ...(port ? { PORT: String(port) } : {}),
  });
  const startConcierge = async (role: 'worker' | 'api', port?: number): Promise<{ process: ClusterProcess; child: Child }> => {
    const name = `${role}-${++started}`;
    const child = await startChild({
      name,
      entry: path.join(__dirname, '..', role === 'worker' ? 'src/worker.ts' : 'src/api/main.ts'),
      cwd: path.join(__dirname, '..'),
      env: env(port),
      readyTimeoutMs: READY_TIMEOUT_MS,
      stopTimeoutMs: STOP_TIMEOUT_MS,
      logFile: options.logDir ? path.join(options.logDir, `${name}.log`) : undefined,
    });
    const stat = readStat(child.pid);
    const clusterProcess: ClusterProcess = {
      name,
      pid: child.pid,
      identity: role === 'worker' ? `${child.pid}@${os.hostname()}` : undefined,
      exited: child.exited,
    };
    if (stat) children.set(clusterProcess, { child, stat });
    return { process: clusterProcess, child };
  };

  const startWorker = async (): Promise<ClusterProcess> => {
    const { process: worker, child } = await startConcierge('worker');
    try {
      await waitUntilPolling(connection!, namespace, taskQueue, worker.identity!, child);
    } catch (error) {
      await stopProcess(worker);
      throw error;
    }
    workers.push(worker);
    return worker;
  };
  const startApi = async (port: number): Promise<ClusterProcess> => {
    const { process: api, child } = await startConcierge('api', port);
    try {
      await waitUntilHealthy(`http://127.0.0.1:${port}/health`, child);
    } catch (error) {
      await stopProcess(api);
      throw error;
    }
    return api;
  };
  const stopProcess = async (clusterProcess: ClusterProcess, how: 'stop' | 'kill' = 'stop') => {
    const entry = children.get(clusterProcess);
    if (!entry) return;
    await entry.child[how]();
    children.delete(clusterProcess);
    const index = workers.indexOf(clusterProcess);
    if (index >= 0) workers.splice(index, 1);
  };

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const failures: unknown[] = [];
      const attempt = (step: () => Promise<unknown> | undefined) => Promise.resolve().then(step).catch((error: unknown) => failures.push(error));
      await Promise.all([...children.keys()].map((clusterProcess) => attempt(() => stopProcess(clusterProcess))));
      await attempt(() => connection?.close());
      await attempt(() => temporal?.server.stop());
      await attempt(() => postgres?.server.stop());
      killNow();
      process.off('exit', killNow);
      if (failures.length > 0) throw new AggregateError(failures, 'the local cluster did not stop cleanly');
    })());

  try {
    await Promise.all([owns.temporal ? startTemporal() : undefined, owns.postgres ? startPostgres() : undefined]);
    if (temporal) temporalAddress = temporal.server.address;
    if (postgres) databaseUrl = postgres.server.url;
    // Migrations and the demo tenant once, before any Concierge process (each would migrate too, serialised by a lock).
    const pool = await connectDatabase(databaseUrl, createLogger('warn'));
    try {
      await seedDemoTenant(pool);
    } finally {
      await pool.end();
    }
    connection = await Connection.connect({ address: temporalAddress });
    const [startedApis] = await Promise.all([Promise.all(apiPorts.map(startApi)), Promise.all(Array.from({ length: options.workers }, startWorker))]);
    apis.push(...startedApis);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  return {
    temporalAddress,
    databaseUrl,
    namespace,
    taskQueue,
    apiUrls: apiPorts.map((port) => `http://127.0.0.1:${port}`),
    apis,
    owns,
    workers,
    startWorker,
    killWorker: (worker) => stopProcess(worker, 'kill'),
    restartTemporal: async () => {
      assertOwned('temporal');
      if (temporal) {
        killIfRunning(temporal.stat);
        await untilGone(temporal.stat);
      }
      temporal = undefined;
      await startTemporal();
    },
    stopPostgres: async () => {
      assertOwned('postgres');
      await postgres?.server.stop();
      postgres = undefined;
    },
    startPostgres: async () => {
      assertOwned('postgres');
      await startPostgres();
    },
    serverPids: () => ({ temporal: temporal?.stat.pid, postgres: postgres?.stat.pid }),
    stop,
  };
}

/** The dev server's own process (the CLI binary, found by its port): the one to kill -9. */
function devServerProcess(port: number): ProcStat {
  const found = listProcesses().find((stat) => {
    if (stat.ppid !== process.pid) return false;
    const args = commandLine(stat.pid);
    return args.includes('start-dev') && args[args.indexOf('--port') + 1] === String(port);
  });
  if (!found) throw new Error(`no Temporal dev server process on port ${port} below pid ${process.pid}`);
  return found;
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** The postmaster, from the lock file PostgreSQL keeps in its data directory. */
async function postmaster(dir: string): Promise<ProcStat> {
  const pid = Number((await readFile(path.join(dir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const stat = readStat(pid);
  if (!stat) throw new Error(`PostgreSQL's postmaster (pid ${pid}) is not running`);
  return stat;
}

function killIfRunning(stat: ProcStat): void {
  if (!stillRunning(stat)) return;
  try {
    process.kill(stat.pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

/** Until the process is gone (reaped: a zombie still has its pid and start time). */
async function untilGone(stat: ProcStat, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (stillRunning(stat)) {
    if (Date.now() > deadline) throw new Error(`pid ${stat.pid} (${stat.comm}) did not exit within ${timeoutMs} ms`);
    await sleep(POLL_MS / 5);
  }
}

const { TaskQueueType } = proto.api.enums.v1;

/** Until the server lists the worker's identity among the pollers of both its task queues. */
async function waitUntilPolling(connection: Connection, namespace: string, taskQueue: string, identity: string, child: Child): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    child.assertRunning();
    const polling = await Promise.all(
      [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY].map((taskQueueType) =>
        connection.workflowService
          .describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType })
          .then(({ pollers }) => (pollers ?? []).some((poller) => poller.identity === identity))
          .catch(() => false),
      ),
    );
    if (polling.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error(`${child.name} did not poll ${taskQueue} within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

/** Until `GET /health` answers 200 (Temporal and PostgreSQL reachable from the API). */
async function waitUntilHealthy(url: string, child: Child): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    child.assertRunning();
    const status = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${child.name} was not healthy at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}
