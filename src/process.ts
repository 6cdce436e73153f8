import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';

/** Registers how to stop a part just started; parts are stopped in reverse order. */
export type OnStop = (stop: () => Promise<void>) => void;

export type ProcessMain = (config: Config, logger: Logger, onStop: OnStop) => Promise<void>;

/**
 * The frame of every entry point: validated config (a bad one exits 1 naming the variable), a
 * JSON logger, and an orderly stop of whatever was started, on SIGINT/SIGTERM or when start-up
 * fails half-way (so that no server process is left behind).
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
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  main(config, logger, (stop) => stops.push(stop)).catch((error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${name}: ${error.message}\n`);
    else logger.fatal({ err: error }, 'failed to start');
    void stopAll(1);
  });
}
