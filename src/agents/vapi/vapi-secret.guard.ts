import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { unauthorized } from '../../auth/auth.guard.js';
import { rawBodyOf } from '../platform-body.js';
import { secretsMatch } from '../shared-secret.js';
import { vapiConfig } from './vapi.config.js';

export const VAPI_SECRET_HEADER = 'X-Vapi-Secret';
/** The header names and payload of a Vapi HMAC credential left at its defaults. */
export const VAPI_SIGNATURE_HEADER = 'x-signature';
export const VAPI_TIMESTAMP_HEADER = 'x-timestamp';

/** HMAC-SHA256, hex, over `{timestamp}.{body}`: what a Vapi HMAC credential signs by default. */
export function vapiSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Vapi's own proof of origin, on top of our API key (checked first, by the AuthGuard): the
 * X-Vapi-Secret header and the HMAC signature, each where it is configured. Replaying a
 * signed message is harmless: its tool call ids replay the first answer and send nothing.
 */
@Injectable()
export class VapiSecretGuard implements CanActivate {
  constructor(@Inject(vapiConfig.KEY) private readonly vapi: ConfigType<typeof vapiConfig>) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const { serverSecret, hmacSecret } = this.vapi;
    if (serverSecret !== undefined) {
      const presented = req.header(VAPI_SECRET_HEADER);
      if (presented === undefined || !secretsMatch(presented, serverSecret)) {
        throw unauthorized(`The ${VAPI_SECRET_HEADER} header is missing or wrong.`);
      }
    }
    if (hmacSecret !== undefined) {
      const signature = req.header(VAPI_SIGNATURE_HEADER);
      const timestamp = req.header(VAPI_TIMESTAMP_HEADER);
      const expected =
        timestamp === undefined ? undefined : vapiSignature(hmacSecret, timestamp, rawBodyOf(req));
      if (signature === undefined || expected === undefined || !secretsMatch(signature, expected)) {
        throw unauthorized(
          `The ${VAPI_SIGNATURE_HEADER} signature is missing or does not match the body.`,
        );
      }
    }
    return true;
  }
}
