import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { Poller } from '../common/poller.js';
import { DomainError } from '../common/errors/domain-error.js';
import { dispatchConfig, type DispatchConfig } from '../config/dispatch.config.js';
import { ConsentService } from '../consent/consent.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ProviderError } from '../providers/provider-error.js';
import { ResilientProvider } from '../providers/resilient-provider.js';
import type { MessageEntity, MessageStatus } from '../messages/message.entity.js';
import { DispatchQueue } from './dispatch-queue.js';

/** Why a scheduled text never went out, as stored in error_code. */
export const CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN';
export const EXPIRED = 'EXPIRED';

export interface DispatchResult {
  claimed: number;
  sent: number;
  failed: number;
  canceled: number;
  expired: number;
}

/**
 * Sends scheduled texts when they are due, from the database, so scheduling works with a
 * plain number and on the sandbox, survives restarts and goes out once across instances:
 * each due row is claimed by a conditional update ('scheduled' -> 'sending'). Consent is
 * checked again at send time. Limits were spent when the text was accepted, never here.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatcherService.name);
  private readonly poller = new Poller(
    () => this.dispatchDue(),
    (error) => this.logger.error({ err: error }, 'Dispatching scheduled texts failed'),
  );

  constructor(
    @Inject(dispatchConfig.KEY) private readonly config: DispatchConfig,
    private readonly queue: DispatchQueue,
    private readonly consent: ConsentService,
    private readonly transport: ResilientProvider,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.poller.start(this.config.intervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.poller.stop();
  }

  /** One poll; a poll still running is not overlapped. */
  tick(): Promise<void> {
    return this.poller.tick();
  }

  /** Claims the texts due now and settles each: sent, failed, canceled or expired. */
  async dispatchDue(): Promise<DispatchResult> {
    const now = this.clock.now();
    const claimed = await this.queue.claimDue(now, this.config.batchSize);
    const result: DispatchResult = {
      claimed: claimed.length,
      sent: 0,
      failed: 0,
      canceled: 0,
      expired: 0,
    };
    for (const message of claimed) {
      const outcome = await this.dispatch(message, now);
      result[outcome]++;
      this.metrics.recordDispatch(outcome);
    }
    return result;
  }

  private async dispatch(
    message: MessageEntity,
    now: Date,
  ): Promise<'sent' | 'failed' | 'canceled' | 'expired'> {
    const sendAt = new Date(message.sendAt ?? now);
    if (now.getTime() - sendAt.getTime() > this.config.maxLateMs) {
      await this.queue.close(message, 'canceled', EXPIRED, 'sms.expired', 'failure');
      return 'expired';
    }
    if (await this.consent.isOptedOut(message.recipient)) {
      await this.queue.close(message, 'canceled', CONSENT_WITHDRAWN, 'sms.canceled', 'success');
      return 'canceled';
    }
    const text = await this.queue.textOf(message);
    if (!text) {
      await this.queue.close(message, 'failed', 'TEXT_MISSING', 'sms.failed', 'failure');
      return 'failed';
    }
    try {
      const receipt = await this.transport.send(
        {
          messageId: message.id,
          to: message.recipient,
          body: text.body,
          ...(text.mediaUrl ? { mediaUrl: text.mediaUrl } : {}),
        },
        // No caller waits on a due text: its deadline is the time of one attempt.
        Date.now() + this.transport.attemptBudgetMs,
      );
      await this.queue.markSent(message, receipt);
      return 'sent';
    } catch (error) {
      const status: MessageStatus =
        error instanceof ProviderError && error.outcome === 'failed' ? 'failed' : 'unknown';
      const code = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
      await this.queue.close(
        message,
        status,
        code,
        status === 'failed' ? 'sms.failed' : 'sms.unknown',
        status === 'failed' ? 'failure' : 'unknown',
      );
      return 'failed';
    }
  }
}
