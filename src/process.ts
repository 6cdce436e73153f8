import { ConfigError, loadConfig, type Config } from './config';
import type { Pool } from './db/pool';
import { createLogger, type Logger } from './logger';

/** Registers how to stop a part just started; parts are stopped in reverse order. */
export type OnStop = (stop: () => Promise<void>) => void;

/** What a process has started before it starts its API or worker. */
export interface ProcessResources {
  temporalAddress: string;
  pool: Pool;
  logger: Logger;
  onStop: OnStop;
}

export type ProcessMain = (config: Config, logger: Logger, onStop: OnStop) => Promise<void>;

/**
 * The frame of every entry point: validated config (a bad one exits 1 naming the variable), a
 * JSON logger, and an orderly stop of whatever was started, on SIGINT/SIGTERM, when start-up
 * fails half-way, or on a crash (so that no server process is left behind).
 */
export function runProcess(name: string, main: ProcessMain): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel).child({ process: name });
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;

  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => logger.error({ err: error }, 'error while stopping'));
    }
    process.exit(exitCode);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping');
    void stopAll(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  // A crash (a worker that fails for good, a bug) still stops the embedded servers.
  const onCrash = (error: unknown) => {
    logger.fatal({ err: error }, 'crashed');
    void stopAll(1);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  main(config, logger, (stop) => stops.push(stop)).catch((error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${name}: ${error.message}\n`);
    else logger.fatal({ err: error }, 'failed to start');
    void stopAll(1);
  });
}
