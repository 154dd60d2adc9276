import {
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { TWILIO_ACTOR } from '../../../audit/audit-event.js';
import { RefusalAuditor } from '../../../audit/refusal-auditor.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { markAudited } from '../../../common/errors/audited.js';
import { ErrorCode } from '../../../common/errors/error-codes.js';
import { appConfig } from '../../../config/app.config.js';
import { twilioConfig } from '../twilio.config.js';
import { AuthFailureLimiter } from '../../../limits/edge/auth-failure.limiter.js';
import { isValidTwilioSignature } from '../twilio.provider.js';

/**
 * Twilio's webhooks carry no API key; they prove their origin with X-Twilio-Signature over the
 * URL Twilio called. That URL is rebuilt from PUBLIC_BASE_URL, never from the Host header,
 * which a proxy rewrites and a caller controls. Failed signatures count against the client
 * address like failed API keys (RATE_LIMIT_AUTH_FAILURES_PER_IP, then 429), and are audited
 * through DeniedAttempts, so unsigned noise cannot grow the audit log without bound.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger(TwilioSignatureGuard.name);

  constructor(
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(twilioConfig.KEY) private readonly twilio: ConfigType<typeof twilioConfig>,
    private readonly failures: AuthFailureLimiter,
    private readonly refusals: RefusalAuditor,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const signature = req.header('x-twilio-signature');
    const problem = this.problemWith(req, signature);
    if (!problem) return true;

    this.logger.warn(`Refused a Twilio webhook: ${problem}`);
    // Per address, or per /64 for IPv6. Past the limit this throws 429, audited by the filter.
    await this.failures.recordFailure(req.ip);
    const refused = new DomainError(ErrorCode.FORBIDDEN, `Twilio webhook refused: ${problem}.`, {
      status: HttpStatus.FORBIDDEN,
      agentMessage: 'This request could not be verified.',
    });
    await this.refusals.recordDenial(req, TWILIO_ACTOR, refused, problem);
    throw markAudited(refused);
  }

  private problemWith(req: Request, signature: string | undefined): string | undefined {
    if (!this.twilio.authToken) return 'Twilio is not configured (TWILIO_AUTH_TOKEN)';
    if (!this.app.publicBaseUrl) return 'PUBLIC_BASE_URL is not set, so the signed URL is unknown';
    if (!signature) return 'no X-Twilio-Signature header';
    const params = (typeof req.body === 'object' && req.body ? req.body : {}) as Record<
      string,
      string
    >;
    const url = `${this.app.publicBaseUrl}${req.originalUrl}`;
    return isValidTwilioSignature(this.twilio.authToken, signature, url, params)
      ? undefined
      : 'the signature does not match';
  }
}
