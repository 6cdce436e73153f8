import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';

const PINO_METHOD: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Routes the SDK's logs (workers, workflows, activities, and the native core's warnings, which
 * name workflow ids and so phone numbers) through our pino logger, so that they are JSON and
 * redacted like every other line. Our entry points handle SIGINT/SIGTERM
 * themselves to stop things in order, so the SDK must not shut workers down on its own.
 * Call once, before anything else touches Temporal.
 */
export function installTemporalRuntime(logger: Logger): void {
  const sdkLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => sdkLogger[PINO_METHOD[level]](meta ?? {}, message)),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
    shutdownSignals: [],
  });
}
