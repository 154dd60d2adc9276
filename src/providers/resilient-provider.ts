import { HttpStatus, Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { ErrorCode } from '../common/errors/error-codes.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { sendingConfig } from '../config/sending.config.js';
import { CHOSEN_PROVIDER } from './provider.config.js';
import type { ChosenProvider } from './provider-registration.js';
import {
  type LineTypeAnswer,
  type ProviderCapabilities,
  SMS_PROVIDER,
  type OutboundSms,
  type ProviderMessage,
  type SmsProvider,
  type ProviderReceipt,
} from './sms-provider.js';
import { ProviderError } from './provider-error.js';

/** Errors that say the provider is unwell, as opposed to refusing this one message. */
const OUTAGE_CODES = new Set<string>([
  ErrorCode.PROVIDER_UNAVAILABLE,
  ErrorCode.DELIVERY_UNKNOWN,
  ErrorCode.PROVIDER_AUTH_FAILED,
]);

export type BreakerState = 'closed' | 'open' | 'half_open';

function breakerOpen(): ProviderError {
  return new ProviderError(
    ErrorCode.PROVIDER_UNAVAILABLE,
    'The SMS provider is failing; sends are paused for a moment (circuit breaker open).',
    'failed',
    {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      retryable: true,
      agentMessage: "Our texting service isn't available right now. Let's try again in a minute.",
      headers: { 'Retry-After': '15' },
    },
  );
}

/**
 * The transport as the send path uses it: retries a create only when it certainly did not
 * happen (connection refused, 429), with capped exponential backoff and full jitter inside the
 * caller's deadline; and a circuit breaker that fails fast while the provider keeps failing.
 * An outcome that may have reached the provider is never retried.
 */
@Injectable()
export class ResilientProvider implements OnApplicationShutdown {
  private readonly logger = new Logger(ResilientProvider.name);
  private readonly breaker: CircuitBreaker<[OutboundSms], ProviderReceipt>;
  /** Time one more attempt may take: the provider's own timeout. */
  readonly attemptBudgetMs: number;
  private readonly stateListeners: Array<(state: BreakerState) => void> = [];

  constructor(
    @Inject(SMS_PROVIDER) private readonly inner: SmsProvider,
    @Inject(sendingConfig.KEY) private readonly config: ConfigType<typeof sendingConfig>,
    @Inject(CHOSEN_PROVIDER) chosen: Pick<ChosenProvider, 'attemptBudgetMs'>,
    private readonly metrics: MetricsService,
  ) {
    this.attemptBudgetMs = chosen.attemptBudgetMs;
    this.breaker = new CircuitBreaker((sms: OutboundSms) => inner.send(sms), {
      timeout: false,
      errorThresholdPercentage: config.breaker.errorThresholdPercentage,
      volumeThreshold: config.breaker.volumeThreshold,
      resetTimeout: config.breaker.resetTimeout,
      rollingCountTimeout: config.breaker.rollingCountTimeout,
      // Only outages count against the provider; a refused number is the caller's problem.
      errorFilter: (error: unknown) =>
        !(error instanceof ProviderError && OUTAGE_CODES.has(error.code)),
    });
    this.breaker.on('open', () => this.announce('open'));
    this.breaker.on('halfOpen', () => this.announce('half_open'));
    this.breaker.on('close', () => this.announce('closed'));
    this.onStateChange((state) => metrics.setBreakerState(state));
    metrics.setBreakerState('closed');
  }

  get name(): SmsProvider['name'] {
    return this.inner.name;
  }

  get capabilities(): ProviderCapabilities {
    return this.inner.capabilities;
  }

  findRecent(to: string, since: Date): Promise<ProviderMessage[]> {
    return this.inner.findRecent(to, since);
  }

  /** Outside the breaker: a failed lookup says nothing about sending. */
  lookupLineType(to: string): Promise<LineTypeAnswer> {
    if (!this.inner.lookupLineType) return Promise.resolve({ type: 'unknown', carrier: null });
    return this.inner.lookupLineType(to);
  }

  /** Not retried and outside the breaker: an operator action, answered as it is. */
  cancel(providerSid: string): Promise<void> {
    // A provider that holds nothing for later has nothing to cancel.
    return this.inner.cancel ? this.inner.cancel(providerSid) : Promise.resolve();
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  onStateChange(listener: (state: BreakerState) => void): void {
    this.stateListeners.push(listener);
  }

  /** `deadline`: epoch ms by which an answer is needed; no retry starts that could overrun it. */
  async send(sms: OutboundSms, deadline: number): Promise<ProviderReceipt> {
    for (let attempt = 1; ; attempt++) {
      const started = process.hrtime.bigint();
      const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const receipt = await this.breaker.fire(sms);
        this.metrics.observeProviderCall(elapsed(), 'success');
        return receipt;
      } catch (error) {
        if ((error as { code?: string }).code === 'EOPENBREAKER') {
          this.metrics.observeProviderCall(elapsed(), 'breaker_open');
          throw breakerOpen();
        }
        this.metrics.observeProviderCall(
          elapsed(),
          error instanceof ProviderError ? error.outcome : 'error',
        );
        if (!this.mayRetry(error, attempt)) throw error;
        const delay = this.backoff(attempt);
        if (Date.now() + delay + this.attemptBudgetMs > deadline) throw error;
        this.logger.warn(
          `Retrying a send that certainly did not happen (attempt ${attempt + 1}, in ${delay} ms)`,
        );
        await sleep(delay);
      }
    }
  }

  // After the HTTP server has drained, so in-flight sends still have their breaker.
  onApplicationShutdown(): void {
    this.breaker.shutdown();
  }

  private mayRetry(error: unknown, attempt: number): boolean {
    return (
      attempt < this.config.maxAttempts &&
      error instanceof ProviderError &&
      error.outcome === 'failed' &&
      error.retryable
    );
  }

  /** Full jitter: a random wait up to the capped exponential step. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.config.retryCapMs, this.config.retryBaseMs * 2 ** (attempt - 1));
    return Math.floor(Math.random() * ceiling);
  }

  private announce(state: BreakerState): void {
    this.logger.warn(`SMS provider circuit breaker is ${state}`);
    for (const listener of this.stateListeners) listener(state);
  }
}
