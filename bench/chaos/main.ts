import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { createPool } from '../../src/db/pool';
import { createLogger } from '../../src/logger';
import { FakeOpenAI } from '../../test/helpers/fake-openai';
import { killAllChildrenNow, stopAllChildren } from '../children';
import { startLocalCluster } from '../cluster';
import { ChannelFakes } from './channels';
import { say } from './clock';
import { runChecks } from './checks';
import { runCustomers, type SentMessage } from './customers';
import { runFaults } from './faults';
import { scriptedModel, type ScriptedModel } from './model';
import { readExternalServers, readOptions } from './options';
import { seededRandom } from './random';
import { remindOften } from './reminders';
import { chaosResult, RESULTS_FILE, writeResult } from './results';
import { answeredTags } from './script';

/**
 * `npm run chaos`: Concierge as separate worker and API processes on a Temporal dev server and
 * PostgreSQL of its own (or those of TEMPORAL_ADDRESS / DATABASE_URL), fake channel send APIs and
 * a fake two-provider LLM; customers write through the real webhooks while faults are applied on
 * a schedule; then the checks.
 */

/** After the last reply, how long to watch for a late duplicate before checking. */
const QUIET_MS = 15_000;

const abort = new AbortController();
/** The run's data and logs are deleted at the end, unless a check failed or the run did. */
let keepData = false;
const cleanups: Array<() => Promise<unknown>> = [];
let shuttingDown: Promise<void> | undefined;

function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => say(`while stopping: ${String(error)}`));
    await stopAllChildren();
  })();
  return shuttingDown;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      killAllChildrenNow();
      process.exit(130);
    }
    interrupted = true;
    say(`${signal}: stopping everything the run started… (again to kill at once)`);
    abort.abort();
    void shutdown().finally(() => process.exit(130));
  });
}
process.on('exit', killAllChildrenNow);

async function startModel(latencyMs: number, bookingsSeen: Set<string>): Promise<{ model: ScriptedModel; server: FakeOpenAI }> {
  const model = scriptedModel(latencyMs, bookingsSeen);
  const server = new FakeOpenAI((request) => {
    // The fake records every request; the run reads none back, and thousands would only fill memory.
    server.requests.length = 0;
    return model.respond(request);
  });
  await server.start();
  cleanups.push(() => server.stop());
  return { model, server };
}

async function main(): Promise<number> {
  const options = readOptions();
  const external = readExternalServers();
  const runTag = Math.floor(Date.now() / 1000) % 10_000;
  say(`${options.customers} customers for ${options.sendMs / 60_000} min, ${options.workers} workers, ${options.apis} APIs, LLM latency ${options.llmLatencyMs} ms`);

  const fakes = await new ChannelFakes().start();
  cleanups.push(() => fakes.stop());
  const bookingsSeen = new Set<string>();
  const primary = await startModel(options.llmLatencyMs, bookingsSeen);
  const fallback = await startModel(options.llmLatencyMs, bookingsSeen);
  const provider = (name: string, server: FakeOpenAI) => ({ name, baseURL: server.baseURL, apiKey: `chaos-${name}`, model: `chaos-${name}` });

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'concierge-chaos-'));
  cleanups.push(async () => (keepData ? say(`logs and data kept in ${dataDir}`) : rm(dataDir, { recursive: true, force: true })));
  const logDir = path.join(dataDir, 'logs');
  // Not the database URL itself: it may carry a password.
  const servers = [
    external.temporalAddress ? `Temporal at ${external.temporalAddress}` : 'starting Temporal',
    external.databaseUrl ? 'PostgreSQL at DATABASE_URL' : 'starting PostgreSQL',
  ];
  say(`${servers.join(', ')}, ${options.workers} workers and ${options.apis} APIs (data and logs in ${dataDir})…`);
  const cluster = await startLocalCluster({
    workers: options.workers,
    apis: options.apis,
    dataDir,
    logDir,
    ...external,
    env: {
      ...fakes.env(),
      LLM_PROVIDERS: JSON.stringify([provider('primary', primary.server), provider('fallback', fallback.server)]),
      LOG_LEVEL: 'warn',
    },
    // The run's own settings only: a real CRM or LLM of the user's environment must not be used.
    unset: /^(LLM_|OPENAI_|WHATSAPP_|TELEGRAM_|CRM_)/,
  });
  cleanups.push(() => cluster.stop());

  await remindOften(cluster.databaseUrl);

  const sendingFrom = Date.now();
  say(`ready: APIs ${cluster.apiUrls.join(', ')}; sending`);
  const faults = runFaults({ cluster, fakes, primaryModel: primary.model }, sendingFrom, options.sendMs, abort.signal);
  const sent = await runCustomers({
    customers: options.customers,
    apiUrls: cluster.apiUrls,
    fakes,
    until: sendingFrom + options.sendMs,
    replyTimeoutMs: options.replyTimeoutMs,
    redelivery: options.redelivery,
    runTag,
    random: seededRandom(options.seed),
    abort: abort.signal,
  });
  const applied = await faults;
  say(`sending over: ${sent.length} messages; waiting for replies still due (at most ${options.drainMs / 1000} s)…`);
  await drain(sent, fakes, options.drainMs);

  const pool = createPool(cluster.databaseUrl, createLogger('warn'));
  cleanups.push(() => pool.end());
  const connection = await Connection.connect({ address: cluster.temporalAddress });
  cleanups.push(() => connection.close());
  const contacts = [...new Set(sent.map((message) => message.contact))];
  const { checks, counts } = await runChecks({
    sent,
    delivered: fakes.delivered,
    bookingsSeen,
    contacts,
    pool,
    temporal: new Client({ connection, namespace: cluster.namespace }),
  });
  for (const entry of checks) process.stdout.write(`${entry.line}\n`);
  const result = chaosResult(options, sent, counts, checks, applied, Date.now() - sendingFrom);
  await writeResult(result);
  process.stdout.write(`verdict: ${result.verdict.toUpperCase()} (${path.relative(process.cwd(), RESULTS_FILE)})\n`);
  keepData = result.verdict === 'fail';
  return result.verdict === 'pass' ? 0 : 1;
}

/** Until every accepted message has its reply (or `drainMs`), then a quiet spell for late duplicates. */
async function drain(sent: readonly SentMessage[], fakes: ChannelFakes, drainMs: number): Promise<void> {
  const deadline = Date.now() + drainMs;
  const unanswered = () => {
    const answered = new Set(fakes.delivered.flatMap((message) => answeredTags(message.text)));
    return sent.filter((message) => message.accepted && !answered.has(message.tag)).length;
  };
  while (unanswered() > 0 && Date.now() < deadline && !abort.signal.aborted) await sleep(1_000);
  say(`${unanswered()} replies still missing; watching ${QUIET_MS / 1000} s for late duplicates…`);
  await sleep(QUIET_MS);
}

main().then(
  async (code) => {
    await shutdown();
    process.exit(code);
  },
  async (error: unknown) => {
    process.stderr.write(`chaos run failed: ${(error as Error).stack ?? String(error)}\n`);
    keepData = true;
    await shutdown();
    process.exit(2);
  },
);
