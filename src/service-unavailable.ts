import { isGrpcServiceError } from '@temporalio/client';
import pg from 'pg';

/** Socket errors of Node meaning the server is down or unreachable, not a bad request or a bug. */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** SQLSTATEs of a PostgreSQL that is shutting down, crashed, starting up, or out of connections. */
const POSTGRES_UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown (also a backend terminated by pg_terminate_backend)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
]);

/**
 * pg's own errors for a connection that cannot be opened or was lost. They carry no code, so
 * their exact messages (pg 8) are matched, nothing looser.
 */
const PG_CONNECTION_MESSAGES = new Set([
  // The pool's connectionTimeoutMillis passed while connecting: the server accepted the TCP
  // connection but did not answer (frozen, overloaded).
  'Connection terminated due to connection timeout',
  // No connection of the pool came free, and none could be opened, within connectionTimeoutMillis.
  'timeout exceeded when trying to connect',
  // The server closed the connection: it crashed, restarted, or was killed.
  'Connection terminated unexpectedly',
  // query_timeout passed: the server stopped answering mid-query.
  'Query read timeout',
  // A query on a client whose connection has already failed.
  'Client has encountered a connection error and is not queryable',
]);

/** gRPC statuses from a Temporal server that is down (UNAVAILABLE) or not answering (DEADLINE_EXCEEDED). */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** How deep to follow `cause`: Temporal's ServiceError wraps the gRPC error, pg's timeout wraps the socket's. */
const MAX_CAUSE_DEPTH = 5;

/**
 * True when the error means Temporal or PostgreSQL is unavailable — down, restarting, frozen or
 * unreachable — rather than a bug or a bad request: the caller may retry later.
 */
export function isServiceUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && isObject(current); depth++) {
    if (isUnavailableItself(current)) return true;
    current = current.cause;
  }
  return false;
}

function isUnavailableItself(error: Record<string, unknown>): boolean {
  if (isGrpcServiceError(error)) return error.code === GRPC_UNAVAILABLE || error.code === GRPC_DEADLINE_EXCEEDED;
  if (error instanceof pg.DatabaseError) return POSTGRES_UNAVAILABLE_STATES.has(error.code ?? '');
  // Duck-typed, not `instanceof Error`: Node's socket errors come from its own realm (under jest, another one).
  if (typeof error.syscall === 'string') return NETWORK_ERROR_CODES.has(error.code as string);
  return typeof error.message === 'string' && error.code === undefined && PG_CONNECTION_MESSAGES.has(error.message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
