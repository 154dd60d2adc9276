import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, DECORATORS } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/errors/api-error-responses.decorator.js';
import type { Platform, Scope } from '../config/auth.config.js';

export const IS_PUBLIC = 'auth:isPublic';
export const REQUIRED_SCOPES = 'auth:requiredScopes';
export const WAY_IN_PLATFORMS = 'auth:wayInPlatforms';

export const API_KEY_SECURITY = 'api-key';
export const BEARER_SECURITY = 'bearer';

/**
 * No API key: health checks, and Twilio webhooks, which carry their own signature. Documented
 * as `security: []`, so the OpenAPI document says so rather than saying nothing.
 */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), SetMetadata(DECORATORS.API_SECURITY, []));

/**
 * The scope a route needs, documented in Swagger as the API key scheme, with the 429 of the
 * per-key limit that every route taking a key answers.
 */
export function RequireScope(scope: Scope): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES, [scope]),
    ApiSecurity(API_KEY_SECURITY),
    ApiBearerAuth(BEARER_SECURITY),
    ApiErrorResponses(429),
  );
}

/**
 * The platforms a way in serves. A key bound to other platforms (API_KEYS' fourth field) is
 * refused there; routes without it (admin, reads) take any key with the scope.
 */
export const WayIn = (...platforms: Platform[]) => SetMetadata(WAY_IN_PLATFORMS, platforms);
