import { ConfigError, loadConfig, type Config } from './config';
import type { Pool } from './db/pool';
import pino from 'pino';
import { createLogger, type Logger } from './logger';
import { temporalEndpoint } from './temporal/connection';
import { waitForServices } from './wait-for-services';

/** Registers how to stop a part just started; parts are stopped in reverse order. */
export type OnStop = (part: string, stop: () => Promise<void>) => void;

/** A part that does not stop within this long is left behind, so that the others still stop. */
const STOP_TIMEOUT_MS = 15_000;

/** What a process has started before it starts its API or worker. */
export interface ProcessResources {
  temporalAddress: string;
  pool: Pool;
  logger: Logger;
  onStop: OnStop;
}

/** What an entry point may ask of its process beyond registering stops. */
export interface ProcessControl {
  /** Aborted as soon as the process starts to stop: waits at start-up give up, supervisors stop restarting. */
  stopping: AbortSignal;
  /** For a failure after start-up that the process cannot recover from: logs it, stops everything, exits 1. */
  fail(error: Error): void;
  /** Waits, with backoff and a log line per attempt, until both servers accept connections; a stop ends the wait. */
  waitForServices(services: { databaseUrl: string; temporalAddress: string }): Promise<void>;
}

export type ProcessMain = (config: Config, logger: Logger, onStop: OnStop, control: ProcessControl) => Promise<void>;

/**
 * The frame of every entry point: validated config (a bad one exits 1 naming the variable), a
 * JSON logger, and an orderly stop of whatever was started, on SIGINT/SIGTERM, when start-up
 * fails half-way, or on a crash (so that no server process is left behind).
 */
export function runProcess(name: string, main: ProcessMain, options: { logTo?: 'stdout' | 'stderr' } = {}): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  // stderr for a process whose stdout is a protocol (the MCP server over stdio).
  const logger = createLogger(config.logLevel, options.logTo === 'stderr' ? pino.destination(2) : undefined).child({ process: name });
  const stops: Array<{ part: string; stop: () => Promise<void> }> = [];
  let starting: Promise<unknown> = Promise.resolve();
  let stopping = false;
  const stoppingController = new AbortController();

  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    stoppingController.abort(new Error(`${name} is stopping`));
    // A part still starting registers its stop when it is up: wait for that, or it is orphaned.
    await starting;
    for (const { part, stop } of stops.reverse()) {
      logger.debug({ part }, 'stopping');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          logger.error({ part }, `did not stop within ${STOP_TIMEOUT_MS} ms; moving on`);
          resolve();
        }, STOP_TIMEOUT_MS);
      });
      await Promise.race([stop().catch((error: unknown) => logger.error({ err: error, part }, 'error while stopping')), timeout]);
      clearTimeout(timer);
    }
    process.exit(exitCode);
  };
  // Repeated signals are normal (Ctrl-C reaches npm, tsx and us, and they relay it): one stop.
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
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

  const fail = (error: Error) => {
    if (stopping) return;
    logger.fatal({ err: error }, error.message);
    // Also in plain words, for whoever watches the terminal (and under LOG_LEVEL=silent).
    process.stderr.write(`${name}: ${error.message}\n`);
    void stopAll(1);
  };
  const onStop: OnStop = (part, stop) => stops.push({ part, stop });
  const control: ProcessControl = {
    stopping: stoppingController.signal,
    fail,
    waitForServices: ({ databaseUrl, temporalAddress }) =>
      waitForServices({ databaseUrl, temporal: temporalEndpoint(temporalAddress, config.temporal) }, logger, stoppingController.signal),
  };
  starting = main(config, logger, onStop, control).catch((error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${name}: ${error.message}\n`);
    else if (stopping) logger.info({ err: error }, 'start-up interrupted');
    else {
      logger.fatal({ err: error }, 'failed to start');
      // The reason in plain words too, for whoever watches the terminal (and under LOG_LEVEL=silent).
      process.stderr.write(`${name}: failed to start: ${(error as Error).message}\n`);
    }
    setImmediate(() => void stopAll(1));
  });
}
