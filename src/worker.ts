import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from './activities';
import { classifyFailures } from './activities/failure-classification';
import type { ActivityDeps } from './activities';
import type { Logger } from './logger';
import { requireProductionServices, type Config } from './config';
import { connectDatabase } from './db/connect';
import { runProcess, type ProcessResources } from './process';
import { ensureReconcileSchedule } from './temporal/reconcile-schedule';
import { temporalEndpoint } from './temporal/connection';
import { installTemporalRuntime } from './temporal/runtime';

export interface WorkerDeps extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  logger: Logger;
  /** Conversations kept in memory between their messages (WORKFLOW_CACHE_SIZE). */
  workflowCacheSize?: number;
  /** Pre-built workflow code (WORKFLOW_BUNDLE; tests build it once); unset, the worker bundles `src/workflows`. */
  workflowBundle?: WorkflowBundleOption;
}

const WORKFLOW_THREADS = 2;

export function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities: createActivities(deps),
    interceptors: { activity: [classifyFailures] },
    // Each cached conversation holds its state and its own copy of the workflow modules; past
    // this many, the least recently used is evicted and replays (cheaply: histories are lean)
    // when its next message comes. Memory stays bounded however many conversations are open.
    ...(deps.workflowCacheSize ? { maxCachedWorkflows: deps.workflowCacheSize } : {}),
    // Workflow activations run on their own threads, apart from activities and the API; one
    // thread (the SDK's default) is what a burst of new conversations queues behind.
    workflowThreadPoolSize: WORKFLOW_THREADS,
    ...(deps.workflowBundle
      ? { workflowBundle: deps.workflowBundle }
      : { workflowsPath: require.resolve('./workflows') }),
  });
}

/** Connects a worker to Temporal and runs it until the process stops. */
export async function startWorker(config: Config, { temporalAddress, pool, logger, onStop }: ProcessResources): Promise<void> {
  const endpoint = temporalEndpoint(temporalAddress, config.temporal);
  const connection = await NativeConnection.connect(endpoint);
  onStop('worker connection', () => connection.close());
  const clientConnection = await Connection.connect(endpoint);
  onStop('worker client connection', () => clientConnection.close());
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  await ensureReconcileSchedule(client, config.temporal.taskQueue);
  const worker = await createWorker({
    ...config.temporal,
    workflowBundle: config.temporal.workflowBundlePath ? { codePath: config.temporal.workflowBundlePath } : undefined,
    connection,
    temporal: { client, taskQueue: config.temporal.taskQueue, conversationDefaults: config.conversation, contactKeySecret: config.contactKeySecret },
    pool,
    logger,
    llmProviders: config.llmProviders,
    llmPrices: config.llmPrices,
    channels: config.channels,
    demoCrm: config.demoCrm,
  });
  const running = worker.run();
  onStop('worker', async () => {
    worker.shutdown();
    await running;
  });
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker ready');
}

/** `npm run worker`: one worker process against an external Temporal and PostgreSQL. */
if (require.main === module) {
  runProcess('worker', async (config, logger, onStop, control) => {
    const { temporalAddress, databaseUrl } = requireProductionServices(config);
    installTemporalRuntime(logger);
    await control.waitForServices({ temporalAddress, databaseUrl });
    const pool = await connectDatabase(databaseUrl, logger);
    onStop('database pool', () => pool.end());
    await startWorker(config, { temporalAddress, pool, logger, onStop });
  });
}
