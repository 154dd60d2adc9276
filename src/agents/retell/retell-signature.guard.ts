import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { symmetric } from 'retell-sdk/lib/webhook_auth';
import { unauthorized } from '../../auth/auth.guard.js';
import { Clock } from '../../common/clock.js';
import { rawBodyOf } from '../shared/index.js';
import { retellConfig } from './retell.config.js';

export const RETELL_SIGNATURE_HEADER = 'X-Retell-Signature';

/**
 * Retell's proof of origin, on top of our API key (checked first, by the AuthGuard): the
 * X-Retell-Signature over the exact bytes received, checked by retell-sdk. This is the SDK's
 * `verify` (HMAC-SHA256 of body + timestamp, within five minutes) with the time taken from the
 * service's clock rather than the SDK's own.
 */
@Injectable()
export class RetellSignatureGuard implements CanActivate {
  constructor(
    @Inject(retellConfig.KEY) private readonly retell: ConfigType<typeof retellConfig>,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    if (this.retell.apiKey === undefined) {
      throw unauthorized('Retell requests cannot be verified: RETELL_API_KEY is not set.');
    }
    const signature = req.header(RETELL_SIGNATURE_HEADER);
    const valid =
      signature !== undefined &&
      (await symmetric.verify(rawBodyOf(req), this.retell.apiKey, signature, {
        timestamp: this.clock.now().getTime(),
      }));
    if (!valid) {
      throw unauthorized(`The ${RETELL_SIGNATURE_HEADER} header is missing, stale or wrong.`);
    }
    return true;
  }
}
