import type { ConfigType } from '@nestjs/config';
import type { appConfig } from '../config/app.config.js';
import type { policyConfig } from '../config/policy.config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { LinkPolicy } from './link-policy.js';
import { TextPolicy } from './text-policy.js';

function policy(callbackNumbers: string[]): TextPolicy {
  const config = {
    allowedCountries: ['US'],
    recipientPolicy: 'any',
    denyList: [],
    linkAllowedHosts: ['copay.example.com'],
    callbackNumbers,
  } as ConfigType<typeof policyConfig>;
  return new TextPolicy(
    config,
    { defaultCountry: 'US' } as ConfigType<typeof appConfig>,
    new LinkPolicy(config),
  );
}

function refusal(check: () => void): DomainError {
  try {
    check();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('TextPolicy', () => {
  const clinic = policy(['(202) 555-0100', '1-800-FLOWERS']);

  it('reads CALLBACK_NUMBERS in any spelling, vanity letters included', () => {
    expect(() => clinic.check('Call us at +1 202 555 0100 or 1-800-356-9377.')).not.toThrow();
  });

  it('refuses any other number, naming only its last four digits', () => {
    const error = refusal(() => clinic.check('Call 1-900-555-0199 now.'));
    expect(error).toMatchObject({
      code: 'CALLBACK_NUMBER_NOT_ALLOWED',
      status: 422,
      details: { number: '***-***-0199' },
    });
    expect(error.message).not.toContain('555');
  });

  it('refuses a local number even when it ends a listed number', () => {
    expect(refusal(() => clinic.check('Call 555-0100.')).code).toBe('CALLBACK_NUMBER_NOT_ALLOWED');
  });

  it('refuses a credential request before looking at its numbers', () => {
    const error = refusal(() => clinic.check('Text your SSN to 555-0142 to confirm.'));
    expect(error).toMatchObject({
      code: 'CREDENTIAL_REQUEST_NOT_ALLOWED',
      details: { term: 'SSN' },
    });
  });

  it.each(['555-0142', '1-800-FLOWERS or 1-800-GO-FEDEX', 'not a number'])(
    'fails the boot, naming CALLBACK_NUMBERS, on the entry %j',
    (entry) => {
      expect(() => policy([entry])).toThrow(/CALLBACK_NUMBERS/);
    },
  );

  it('gives the provider the media_url it checked', () => {
    expect(clinic.checkMediaUrl('https://COPAY。example.com/x/../card.png')).toBe(
      'https://copay.example.com/card.png',
    );
  });
});
