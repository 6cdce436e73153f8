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

/** Validates a request part; a mismatch is a 400 listing every bad field. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new HttpError(400, 'invalid_request', 'The request is not valid', { issues });
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
