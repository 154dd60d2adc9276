import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';

/** A platform request that is not the platform's documented shape: nothing was run. */
export function malformedPlatformRequest(
  message: string,
  details?: Record<string, unknown>,
): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, {
    agentMessage: "The request wasn't formed correctly, so I didn't send anything.",
    details,
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field of an untyped object, or undefined when absent or not a non-empty string. */
export function stringAt(
  record: Record<string, unknown> | undefined,
  key: string,
): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
