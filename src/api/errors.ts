import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { isServiceUnavailable } from '../service-unavailable';

/** An error that is the client's to fix or to know about, with the status and code it gets. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** More fields for the JSON answer, beside `error` and `message`. */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Validates a request part; a mismatch is a 400 naming every bad field and what it expects. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value, { error: explainIssue });
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more: see issues)` : '';
  throw new HttpError(400, 'invalid_request', `The request is not valid: ${first.path || 'body'}: ${first.message}${more}`, { issues });
}

/**
 * Zod says only "Invalid input" when no alternative of a union fits (`session_id` may be a
 * string or a number): say which types it takes. Only the type received is named, never the
 * value (it may be a secret or a phone number). Undefined: zod's own message.
 */
function explainIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_union') return undefined;
  const expected = new Set(issue.errors.flatMap((branch) => branch.flatMap((inner) => (inner.code === 'invalid_type' && inner.path.length === 0 ? [inner.expected] : []))));
  if (expected.size === 0) return undefined;
  return `expected ${[...expected].join(' or ')}, received ${typeName(issue.input)}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * What a 503 asks clients to wait: long enough for a restarted server to come back, short
 * enough for a chat user still waiting on the answer.
 */
const RETRY_AFTER_SECONDS = 5;

/** Every error leaves as JSON `{error, message}`; unexpected ones are logged and say nothing more. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send({ error: error.code, message: error.message, ...error.fields });
    }
    if (isServiceUnavailable(error)) {
      request.log.warn({ err: error }, 'a service is unavailable');
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: 'service_unavailable', message: 'A service we depend on is unavailable; please retry shortly' });
    }
    // Fastify's own client errors: malformed JSON, body too large, unsupported media type…
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ error: error.code ?? 'bad_request', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: 'internal_error', message: 'Something went wrong on our side' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: 'not_found', message: `No route ${request.method} ${request.url}` }),
  );
}
