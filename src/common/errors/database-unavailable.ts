import { HttpStatus } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import { ErrorCode } from './error-codes.js';

/** Socket failures: the only network peer a request handler reaches unwrapped is the database. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
/** SQLSTATE class 08 (connection exception), shutdown or starting up, too many connections. */
const POSTGRES_STATES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** SQLite busy or locked past busy_timeout, or its file cannot be opened or read. */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR)/;
/** TypeORM without a connection, and what pg, pg-pool and better-sqlite3 say when they lose one. */
const NAMES = new Set(['CannotExecuteNotConnectedError', 'ConnectionIsNotSetError']);
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end|The database connection is not open|Client has encountered a connection error/i;

/** True when `error`, or what it wraps, says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const { code, name, message, driverError, cause, errors } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || POSTGRES_STATES.test(code) || SQLITE_CODES.test(code)) {
      return true;
    }
  }
  if (typeof name === 'string' && NAMES.has(name)) return true;
  if (typeof message === 'string' && MESSAGES.test(message)) return true;
  const inner = [driverError, cause, ...(Array.isArray(errors) ? errors : [])];
  return inner.some((e) => isDatabaseUnavailable(e, depth + 1));
}

export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** 503 like an unavailable rate limiter: the request stopped before anything was sent. */
export function databaseUnavailable(cause: unknown): DomainError {
  return new DomainError(
    ErrorCode.DATABASE_UNAVAILABLE,
    'The database is unavailable; nothing was sent.',
    {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      retryable: true,
      agentMessage:
        "I can't do that right now because of a problem on our side. Let's try again in a minute.",
      headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
      cause,
    },
  );
}
