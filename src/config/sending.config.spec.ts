import { sendingConfig } from './sending.config.js';

describe('sendingConfig retries', () => {
  const original = process.env;
  const read = (env: Record<string, string>) => {
    process.env = { ...env };
    const { maxAttempts, retryBaseMs, retryCapMs } = sendingConfig();
    return { maxAttempts, retryBaseMs, retryCapMs };
  };
  afterEach(() => {
    process.env = original;
  });

  it('reads the PROVIDER_* names', () => {
    expect(
      read({
        PROVIDER_MAX_ATTEMPTS: '5',
        PROVIDER_RETRY_BASE_MS: '50',
        PROVIDER_RETRY_CAP_MS: '900',
      }),
    ).toEqual({ maxAttempts: 5, retryBaseMs: 50, retryCapMs: 900 });
  });

  it('still reads the former TWILIO_* names, which the PROVIDER_* ones override', () => {
    const former = {
      TWILIO_MAX_ATTEMPTS: '2',
      TWILIO_RETRY_BASE_MS: '20',
      TWILIO_RETRY_CAP_MS: '300',
    };
    expect(read(former)).toEqual({ maxAttempts: 2, retryBaseMs: 20, retryCapMs: 300 });
    expect(read({ ...former, PROVIDER_MAX_ATTEMPTS: '4' })).toMatchObject({ maxAttempts: 4 });
  });

  it('defaults to 3 attempts, 200 ms and 2000 ms, and names a bad former value', () => {
    expect(read({})).toEqual({ maxAttempts: 3, retryBaseMs: 200, retryCapMs: 2000 });
    expect(() => read({ TWILIO_MAX_ATTEMPTS: '9' })).toThrow(
      'Invalid configuration: TWILIO_MAX_ATTEMPTS must be between 1 and 6',
    );
  });
});
