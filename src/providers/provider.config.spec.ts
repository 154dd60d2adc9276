import { chooseProvider, chosenProviderConfig } from './provider.config.js';
import { providerRegistry, PROVIDERS } from './provider-registry.js';

const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
  TWILIO_AUTH_TOKEN: 'provider-config-token',
  TWILIO_PHONE_NUMBER: '+12025550100',
};

describe('choosing the SMS provider at boot', () => {
  const original = process.env;
  /** The environment the providers' own settings are read from, as at boot. */
  const choose = (env: Record<string, string>) => {
    process.env = { ...env };
    return chooseProvider(PROVIDERS, process.env);
  };
  afterEach(() => {
    process.env = original;
  });

  it('takes Twilio when its credentials are set, else the sandbox', () => {
    expect(choose({}).name).toBe('sandbox');
    expect(choose(TWILIO).name).toBe('twilio');
  });

  it('takes the provider SMS_PROVIDER names, over what is configured', () => {
    expect(choose({ ...TWILIO, SMS_PROVIDER: 'sandbox' }).name).toBe('sandbox');
    expect(choose({ ...TWILIO, SMS_PROVIDER: 'Twilio' }).name).toBe('twilio');
  });

  it('refuses a name no provider has, and a provider without its settings', () => {
    expect(() => choose({ SMS_PROVIDER: 'telnyx' })).toThrow(
      'Invalid configuration: SMS_PROVIDER must be one of twilio, sandbox, got "telnyx"',
    );
    expect(() => choose({ SMS_PROVIDER: 'twilio' })).toThrow(
      'Invalid configuration: SMS_PROVIDER names twilio, which needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
    );
  });

  it('stops the boot in production on the development-only sandbox, chosen or left', () => {
    expect(() => choose({ NODE_ENV: 'production' })).toThrow(
      'Invalid configuration: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required in production (NODE_ENV=production); the sandbox is for development only',
    );
    expect(() => choose({ ...TWILIO, NODE_ENV: 'production', SMS_PROVIDER: 'sandbox' })).toThrow(
      'Invalid configuration: SMS_PROVIDER names sandbox, which is for development only',
    );
    expect(choose({ ...TWILIO, NODE_ENV: 'production' }).name).toBe('twilio');
  });

  it("gives each provider's own time budget and banner line", () => {
    expect(choose({ ...TWILIO, TWILIO_TIMEOUT_MS: '4000' })).toMatchObject({
      attemptBudgetMs: 4000,
      description: 'Twilio, from ***-***-0100',
    });
    expect(choose({})).toMatchObject({ attemptBudgetMs: 0, developmentOnly: true });
  });

  it('is the `provider` namespace, so a bad choice fails with the other settings', () => {
    process.env = { SMS_PROVIDER: 'nobody' };
    expect(() => chosenProviderConfig(PROVIDERS)()).toThrow('SMS_PROVIDER must be one of');
  });

  it('refuses two providers of one name', () => {
    expect(() => providerRegistry([PROVIDERS[0]])).toThrow(
      'Two SMS providers are registered as "twilio"',
    );
  });
});
