import type { DomainError } from './domain-error.js';
import type { ErrorResponseDto } from './error-response.dto.js';

/** The error contract's body for one error: used by the filter, and stored for replays. */
export function errorBody(
  error: DomainError,
  requestId: string,
  errorId?: string,
): ErrorResponseDto {
  return {
    success: false,
    error: {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.details ? { details: error.details } : {}),
      ...(errorId ? { error_id: errorId } : {}),
    },
    agent_message: error.agentMessage,
    request_id: requestId,
  };
}
