import type { ConfigType } from '@nestjs/config';
import { Logger } from '@nestjs/common';
import type { sendingConfig } from '../config/sending.config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ProviderError } from './provider-error.js';
import { ResilientProvider, type BreakerState } from './resilient-provider.js';
import type {
  OutboundSms,
  ProviderCapabilities,
  ProviderMessage,
  ProviderReceipt,
  SmsProvider,
} from './sms-provider.js';

const SMS: OutboundSms = { messageId: 'm-1', to: '+12025550143', body: 'Hello' };
const RECEIPT: ProviderReceipt = { providerSid: 'SM1', status: 'queued' };
const FAR_DEADLINE = () => Date.now() + 60_000;

/** Answers each send with the next scripted outcome; the last one repeats. */
class FakeProvider implements SmsProvider {
  readonly capabilities: ProviderCapabilities = {
    requiresValidNumbers: false,
    mms: false,
    simulated: false,
  };
  readonly sent: OutboundSms[] = [];
  private outcomes: (ProviderReceipt | ProviderError)[] = [RECEIPT];

  readonly name = 'fake';

  answer(...outcomes: (ProviderReceipt | ProviderError)[]): this {
    this.outcomes = outcomes;
    return this;
  }

  send(sms: OutboundSms): Promise<ProviderReceipt> {
    this.sent.push(sms);
    const outcome = this.outcomes.length > 1 ? this.outcomes.shift()! : this.outcomes[0];
    return outcome instanceof ProviderError ? Promise.reject(outcome) : Promise.resolve(outcome);
  }

  cancel(): Promise<void> {
    return Promise.resolve();
  }

  findRecent(): Promise<ProviderMessage[]> {
    return Promise.resolve([]);
  }
}

function failure(
  code: string,
  outcome: 'failed' | 'unknown',
  retryable: boolean,
  status = 503,
): ProviderError {
  return new ProviderError(code, `The provider said ${code}.`, outcome, {
    status,
    retryable,
    agentMessage: "I couldn't send the text.",
  });
}

/** Certainly not sent, and worth another try (connection refused, 429). */
const notTaken = () => failure('PROVIDER_RATE_LIMITED', 'failed', true, 429);
/** May have been sent: the answer was lost. */
const mayHaveBeenTaken = () => failure('DELIVERY_UNKNOWN', 'unknown', true, 502);
const outage = () => failure('PROVIDER_UNAVAILABLE', 'failed', false);
const refusedNumber = () => failure('PROVIDER_REJECTED', 'failed', false, 422);

const SENDING = {
  maxAttempts: 3,
  retryBaseMs: 1,
  retryCapMs: 1,
  // Opens once two calls in the window are outages; stays open for the rest of a case.
  breaker: {
    errorThresholdPercentage: 50,
    volumeThreshold: 2,
    resetTimeout: 600_000,
    rollingCountTimeout: 60_000,
  },
} as ConfigType<typeof sendingConfig>;

describe('ResilientProvider', () => {
  let inner: FakeProvider;
  let provider: ResilientProvider;

  beforeAll(() => Logger.overrideLogger(false));

  /** `attemptBudgetMs`: what the chosen provider says one more attempt may take. */
  function open(attemptBudgetMs = 0) {
    inner = new FakeProvider();
    provider = new ResilientProvider(inner, SENDING, { attemptBudgetMs }, new MetricsService());
  }

  afterEach(() => {
    provider.onApplicationShutdown();
  });

  it("passes the provider's receipt through", async () => {
    open();

    await expect(provider.send(SMS, FAR_DEADLINE())).resolves.toEqual(RECEIPT);
    expect(inner.sent).toEqual([SMS]);
  });

  describe('retries', () => {
    it('retries a send the provider certainly did not take, and answers the receipt', async () => {
      open();
      inner.answer(notTaken(), notTaken(), RECEIPT);

      await expect(provider.send(SMS, FAR_DEADLINE())).resolves.toEqual(RECEIPT);
      expect(inner.sent).toHaveLength(3);
    });

    it('gives up after the configured attempts with the last error', async () => {
      open();
      inner.answer(notTaken());

      await expect(provider.send(SMS, FAR_DEADLINE())).rejects.toMatchObject({
        code: 'PROVIDER_RATE_LIMITED',
      });
      expect(inner.sent).toHaveLength(SENDING.maxAttempts);
    });

    it("never retries an 'unknown' outcome: the text may be on its way", async () => {
      open();
      inner.answer(mayHaveBeenTaken(), RECEIPT);

      await expect(provider.send(SMS, FAR_DEADLINE())).rejects.toMatchObject({
        code: 'DELIVERY_UNKNOWN',
        outcome: 'unknown',
      });
      expect(inner.sent).toHaveLength(1);
    });

    it('never retries a refusal that another try would not change', async () => {
      open();
      inner.answer(refusedNumber(), RECEIPT);

      await expect(provider.send(SMS, FAR_DEADLINE())).rejects.toMatchObject({
        code: 'PROVIDER_REJECTED',
      });
      expect(inner.sent).toHaveLength(1);
    });

    it("starts no retry that could overrun the caller's deadline", async () => {
      // One more attempt may take the provider's 5 s timeout; the caller needs an answer within 1 s.
      open(5_000);
      inner.answer(notTaken(), RECEIPT);

      await expect(provider.send(SMS, Date.now() + 1_000)).rejects.toMatchObject({
        code: 'PROVIDER_RATE_LIMITED',
      });
      expect(inner.sent).toHaveLength(1);
    });
  });

  describe('circuit breaker', () => {
    it('opens after outages, then fails fast with 503 PROVIDER_UNAVAILABLE without calling the provider', async () => {
      open();
      const states: BreakerState[] = [];
      provider.onStateChange((state) => states.push(state));
      inner.answer(outage());
      for (let i = 0; i < SENDING.breaker.volumeThreshold; i++) {
        await expect(provider.send(SMS, FAR_DEADLINE())).rejects.toMatchObject({
          code: 'PROVIDER_UNAVAILABLE',
        });
      }
      expect(provider.state).toBe('open');
      expect(states).toEqual(['open']);
      const calls = inner.sent.length;

      inner.answer(RECEIPT);
      const fastFailure = provider.send(SMS, FAR_DEADLINE());

      await expect(fastFailure).rejects.toBeInstanceOf(ProviderError);
      await expect(fastFailure).rejects.toMatchObject({
        code: 'PROVIDER_UNAVAILABLE',
        status: 503,
        outcome: 'failed',
        retryable: true,
        headers: { 'Retry-After': '15' },
      });
      expect(inner.sent).toHaveLength(calls);
    });

    it("does not count a refused number against the provider: it is the caller's problem", async () => {
      open();
      inner.answer(refusedNumber());
      for (let i = 0; i < 5; i++) {
        await expect(provider.send(SMS, FAR_DEADLINE())).rejects.toMatchObject({
          code: 'PROVIDER_REJECTED',
        });
      }

      expect(provider.state).toBe('closed');
      inner.answer(RECEIPT);
      await expect(provider.send(SMS, FAR_DEADLINE())).resolves.toEqual(RECEIPT);
    });

    it('counts a lost answer as an outage', async () => {
      open();
      inner.answer(mayHaveBeenTaken());
      for (let i = 0; i < SENDING.breaker.volumeThreshold; i++) {
        await expect(provider.send(SMS, FAR_DEADLINE())).rejects.toMatchObject({
          code: 'DELIVERY_UNKNOWN',
        });
      }

      expect(provider.state).toBe('open');
    });
  });
});
