import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { unauthorized } from '../../auth/auth.guard.js';
import { Clock } from '../../common/clock.js';
import { rawBodyOf, secretsMatch } from '../shared/index.js';
import { vapiConfig } from './vapi.config.js';

export const VAPI_SECRET_HEADER = 'X-Vapi-Secret';
/** The header names and payload of a Vapi HMAC credential left at its defaults. */
export const VAPI_SIGNATURE_HEADER = 'x-signature';
export const VAPI_TIMESTAMP_HEADER = 'x-timestamp';
/** How far a signed timestamp may be from our clock: Retell's (retell-sdk) window, and Stripe's. */
export const VAPI_SIGNATURE_WINDOW_MS = 5 * 60_000;
/** Below this a numeric timestamp is in seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const MILLISECONDS_FROM = 1e11;

/** HMAC-SHA256, hex, over `{timestamp}.{body}`: what a Vapi HMAC credential signs by default. */
export function vapiSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The signed timestamp in milliseconds, or undefined when it is not a time. Vapi does not
 * document its unit: seconds (with or without a fraction), milliseconds and ISO 8601 are read.
 */
export function signedTimeMs(timestamp: string): number | undefined {
  if (/^\d{1,16}(\.\d{1,6})?$/.test(timestamp)) {
    const value = Number(timestamp);
    return value < MILLISECONDS_FROM ? value * 1000 : value;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(timestamp)) return undefined;
  const parsed = Date.parse(timestamp);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * Vapi's own proof of origin, on top of our API key (checked first, by the AuthGuard): the
 * X-Vapi-Secret header and the HMAC signature, each where it is configured. The signature
 * covers the timestamp, which must be within VAPI_SIGNATURE_WINDOW_MS of the service's clock:
 * a captured message cannot be replayed later (its tool call ids would be past the
 * idempotency window by then, and it would send again).
 */
@Injectable()
export class VapiSecretGuard implements CanActivate {
  constructor(
    @Inject(vapiConfig.KEY) private readonly vapi: ConfigType<typeof vapiConfig>,
    private readonly clock: Clock,
  ) {}

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
      if (
        signature === undefined ||
        timestamp === undefined ||
        !secretsMatch(signature, vapiSignature(hmacSecret, timestamp, rawBodyOf(req)))
      ) {
        throw unauthorized(
          `The ${VAPI_SIGNATURE_HEADER} signature is missing or does not match the body.`,
        );
      }
      const signedAt = signedTimeMs(timestamp);
      const now = this.clock.now().getTime();
      if (signedAt === undefined || Math.abs(now - signedAt) > VAPI_SIGNATURE_WINDOW_MS) {
        throw unauthorized(
          `The ${VAPI_TIMESTAMP_HEADER} is not within ${VAPI_SIGNATURE_WINDOW_MS / 60_000} minutes of the server's time.`,
        );
      }
    }
    return true;
  }
}
