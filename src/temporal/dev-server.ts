import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TestWorkflowEnvironment, type EphemeralServerExecutable } from '@temporalio/testing';
import { CUSTOM_SEARCH_ATTRIBUTES } from './search-attributes';

export interface DevServerOptions {
  executable: EphemeralServerExecutable;
  namespace: string;
  port?: number;
  /** Set: the Web UI is served on this port. */
  uiPort?: number;
  /** Set: workflows and their history are kept in this SQLite file across restarts. */
  dbFile?: string;
}

export interface RunningDevServer {
  address: string;
  stop(): Promise<void>;
}

/**
 * Runs the Temporal CLI's dev server (the real server, SQLite-backed) with CONTRACT.md's
 * search attributes registered. The SDK owns the process: it starts it, waits for it, and
 * kills it on stop.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  if (options.dbFile) await mkdir(path.dirname(options.dbFile), { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: options.executable,
      namespace: options.namespace,
      ip: '127.0.0.1',
      port: options.port,
      uiPort: options.uiPort,
      dbFilename: options.dbFile,
      searchAttributes: CUSTOM_SEARCH_ATTRIBUTES,
      extraArgs: options.uiPort ? ['--ui-disable-news-fetch'] : [],
    },
  });
  return { address: env.address, stop: () => env.teardown() };
}
