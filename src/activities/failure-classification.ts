import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';

/**
 * Activities are retried until our infrastructure answers (PostgreSQL restarting, a network
 * blip). An error that no retry can fix must not be retried forever: PostgreSQL refusing the
 * data itself (SQLSTATE classes 22 data exception, 23 integrity violation, 42 syntax or access
 * rule) fails the activity for good, so the workflow handles it and the conversation goes on.
 */
const NON_RETRYABLE_SQLSTATE_CLASSES = new Set(['22', '23', '42']);

export function classifyActivityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && NON_RETRYABLE_SQLSTATE_CLASSES.has(code.slice(0, 2))) {
    // pg's messages name the problem, not the data ("unsupported Unicode escape sequence").
    return ApplicationFailure.create({
      message: `PostgreSQL refused the data (${code}): ${(error as Error).message}`,
      type: 'DataRejected',
      nonRetryable: true,
    });
  }
  return error;
}

class ClassifyFailures implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (error) {
      throw classifyActivityFailure(error);
    }
  }
}

export const classifyFailures: ActivityInterceptorsFactory = () => ({ inbound: new ClassifyFailures() });
