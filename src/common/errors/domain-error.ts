import { HttpStatus } from '@nestjs/common';

export interface DomainErrorOptions {
  /** One sentence the voice agent can say to the patient. */
  agentMessage: string;
  status?: HttpStatus;
  retryable?: boolean;
  /** Extra machine-readable facts for the caller (never PHI). */
  details?: Record<string, unknown>;
  /** Response headers such as Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * An expected failure with a stable code. Services throw these; the global
 * exception filter turns them into the one error contract.
 */
export class DomainError extends Error {
  readonly status: number;
  readonly retryable: boolean;
  readonly agentMessage: string;
  readonly details?: Record<string, unknown>;
  readonly headers?: Record<string, string>;

  constructor(
    readonly code: string,
    message: string,
    options: DomainErrorOptions,
  ) {
    super(message, { cause: options.cause });
    this.name = 'DomainError';
    this.status = options.status ?? HttpStatus.BAD_REQUEST;
    this.retryable = options.retryable ?? false;
    this.agentMessage = options.agentMessage;
    this.details = options.details;
    this.headers = options.headers;
  }
}
