import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { Poller } from '../common/poller.js';
import { eventsConfig, type EventsConfig } from '../config/events.config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { EventOutboxEntity } from './event-outbox.entity.js';
import { EventOutbox } from './event-outbox.js';
import { WebhookSender } from './webhook-sender.js';

/** Time a claim lasts beyond one attempt's timeout: no other instance takes the event meanwhile. */
const CLAIM_MARGIN_MS = 30_000;

export interface DeliveryRound {
  claimed: number;
  delivered: number;
  retry: number;
  dead: number;
}

/**
 * Delivers the outbox to the clinic's endpoint: each instance polls, claims due events (one
 * instance per event at a time) and sends them. A failed attempt is tried again after an
 * exponential wait (EVENTS_RETRY_BASE_MS doubling, at most EVENTS_RETRY_CAP_MS) until
 * EVENTS_MAX_AGE_HOURS have passed; then the event is dead-lettered, kept for an admin to see
 * and redeliver. An instance that dies mid-delivery loses nothing: its claim runs out and
 * another instance takes the event, under the same id.
 */
@Injectable()
export class EventDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventDeliveryWorker.name);
  private readonly poller = new Poller(
    () => this.deliverDue(),
    (error) => this.logger.error({ err: error }, 'Delivering events failed'),
  );

  constructor(
    @Inject(eventsConfig.KEY) private readonly config: EventsConfig,
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: EventOutbox,
    private readonly sender: WebhookSender,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.outbox.enabled) this.poller.start(this.config.intervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.poller.stop();
  }

  /** Claims the events due now and attempts each once. */
  async deliverDue(): Promise<DeliveryRound> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.timeoutMs + CLAIM_MARGIN_MS);
    const claimed = await this.unitOfWork.run((manager) =>
      this.outbox.claimDue(manager, now, until, this.config.batchSize),
    );
    const round: DeliveryRound = { claimed: claimed.length, delivered: 0, retry: 0, dead: 0 };
    const outcomes = await Promise.all(claimed.map((event) => this.attempt(event)));
    for (const outcome of outcomes) round[outcome]++;
    return round;
  }

  private async attempt(event: EventOutboxEntity): Promise<'delivered' | 'retry' | 'dead'> {
    const result = await this.sender.send(event.id, event.payload, this.clock.now());
    const now = this.clock.now();
    let outcome: 'delivered' | 'retry' | 'dead';
    if (result.ok) {
      await this.outbox.delivered(event.id, event.attempts, now);
      outcome = 'delivered';
    } else {
      const retryAt = new Date(now.getTime() + this.backoff(event.attempts));
      const status = await this.outbox.failed(event, result.error, retryAt);
      outcome = status === 'dead' ? 'dead' : 'retry';
      if (outcome === 'dead') {
        this.logger.warn(
          { eventId: event.id, type: event.type, attempts: event.attempts, error: result.error },
          'Event dead-lettered after its last attempt',
        );
      }
    }
    this.metrics.recordEventAttempt(outcome);
    return outcome;
  }

  /** The wait after attempt `n`: base, doubling, capped. */
  private backoff(attempts: number): number {
    return Math.min(this.config.retryCapMs, this.config.retryBaseMs * 2 ** (attempts - 1));
  }
}
