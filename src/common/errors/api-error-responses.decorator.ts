import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: VALIDATION_FAILED, INVALID_JSON, INVALID_PHONE_NUMBER, MESSAGE_TOO_LONG, MESSAGE_EMPTY.',
  401: 'UNAUTHORIZED: no API key, or not a valid one.',
  403: 'FORBIDDEN: the API key lacks the scope for this endpoint.',
  404: 'NOT_FOUND.',
  409: 'IDEMPOTENCY_IN_FLIGHT or DUPLICATE_IN_FLIGHT (the same send is still in progress; retry shortly), or MESSAGE_NOT_CANCELABLE.',
  413: 'PAYLOAD_TOO_LARGE: the JSON body is over the limit (16 KB by default).',
  415: 'UNSUPPORTED_MEDIA_TYPE.',
  422: 'IDEMPOTENCY_KEY_REUSED (same key, other body), LINK_NOT_ALLOWED, CALLBACK_NUMBER_NOT_ALLOWED, CREDENTIAL_REQUEST_NOT_ALLOWED, COUNTRY_NOT_ALLOWED, RECIPIENT_NOT_ALLOWED, or the recipient cannot take this text: RECIPIENT_OPTED_OUT, RECIPIENT_NOT_MOBILE, RECIPIENT_UNREACHABLE, REGION_NOT_ENABLED, PROVIDER_REJECTED.',
  429: 'RATE_LIMITED, with Retry-After.',
  502: 'PROVIDER_AUTH_FAILED, or DELIVERY_UNKNOWN: the provider may have taken the message; do not resend.',
  503: 'PROVIDER_UNAVAILABLE, PROVIDER_RATE_LIMITED, RATE_LIMITER_UNAVAILABLE or DATABASE_UNAVAILABLE: nothing was sent; retryable (see Retry-After). AUDIT_WRITE_FAILED: the text may have gone out; do not resend.',
  500: 'INTERNAL_ERROR, with an error_id for the logs.',
};

/** Documents the error contract for each status an endpoint can answer with. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error.',
        type: ErrorResponseDto,
      }),
    ),
  );
}
