import type { ConfigType } from '@nestjs/config';
import type { appConfig } from '../config/app.config.js';
import type { policyConfig } from '../config/policy.config.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import { PhoneNumberService } from './phone-number.service.js';
import { RecipientPolicy } from './recipient-policy.js';

const phones = new PhoneNumberService({ defaultCountry: 'US' } as ConfigType<typeof appConfig>);

function policy(overrides: Partial<ConfigType<typeof policyConfig>> = {}): RecipientPolicy {
  return new RecipientPolicy(
    {
      allowedCountries: ['US'],
      recipientPolicy: 'any',
      denyList: [],
      linkAllowedHosts: [],
      callbackNumbers: [],
      ...overrides,
    },
    phones,
  );
}

const phone = (raw: string) => phones.normalize(raw, { requireValid: false });
const request = (fields: Partial<ToolRequestDto> = {}) => ({
  phone_number: '+12025550143',
  ...fields,
});

function refusalOf(check: () => void): unknown {
  try {
    check();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('RecipientPolicy', () => {
  it('lets a personal number in an allowed country through', () => {
    expect(() => policy().check(phone('+12025550143'), request())).not.toThrow();
  });

  describe('countries', () => {
    it('refuses a number of a country not allowed, even on an allowed calling code: 422 COUNTRY_NOT_ALLOWED', () => {
      // Toronto: +1 like the US, but Canada is not allowed.
      expect(refusalOf(() => policy().check(phone('+14165550123'), request()))).toMatchObject({
        code: 'COUNTRY_NOT_ALLOWED',
        status: 422,
        details: { country: 'CA' },
      });
    });

    it('allows it once the country is listed', () => {
      const usAndCanada = policy({ allowedCountries: ['US', 'CA'] });

      expect(() => usAndCanada.check(phone('+14165550123'), request())).not.toThrow();
    });

    it('judges a number without a known country by its calling code', () => {
      // Unassigned numbers (the sandbox lets them through) have a calling code and no country.
      expect(() => policy().check(phone('+15555550100'), request())).not.toThrow();
      expect(refusalOf(() => policy().check(phone('+447700900123'), request()))).toMatchObject({
        code: 'COUNTRY_NOT_ALLOWED',
        details: { country: null },
      });
    });
  });

  describe('number types', () => {
    it.each([
      ['toll-free', '+18005550199', 'TOLL_FREE'],
      ['premium-rate', '+19005550199', 'PREMIUM_RATE'],
    ])('refuses a %s number: 422 RECIPIENT_NOT_ALLOWED', (_kind, number, type) => {
      expect(refusalOf(() => policy().check(phone(number), request()))).toMatchObject({
        code: 'RECIPIENT_NOT_ALLOWED',
        status: 422,
        details: { number_type: type },
      });
    });
  });

  describe('deny list', () => {
    const denying = policy({ denyList: ['(202) 555-0188'] });

    it('refuses a listed number, however the list writes it: 422 RECIPIENT_NOT_ALLOWED', () => {
      expect(refusalOf(() => denying.check(phone('+12025550188'), request()))).toMatchObject({
        code: 'RECIPIENT_NOT_ALLOWED',
        status: 422,
      });
    });

    it('lets every other number through', () => {
      expect(() => denying.check(phone('+12025550143'), request())).not.toThrow();
    });
  });

  describe('caller_only', () => {
    const callerOnly = policy({ recipientPolicy: 'caller_only' });
    const patient = phone('+12025550143');

    it('lets the caller be texted, whatever format the caller id is in', () => {
      expect(() =>
        callerOnly.check(patient, request({ caller_id: '(202) 555-0143' })),
      ).not.toThrow();
    });

    it.each([
      ['another number', '+12025550188'],
      ['an unreadable caller id', 'anonymous'],
      ['no caller id', undefined],
    ])('refuses %s: 403 RECIPIENT_NOT_CALLER', (_case, callerId) => {
      expect(
        refusalOf(() => callerOnly.check(patient, request({ caller_id: callerId }))),
      ).toMatchObject({
        code: 'RECIPIENT_NOT_CALLER',
        status: 403,
      });
    });

    it('does not apply when the policy is any', () => {
      expect(() => policy().check(patient, request({ caller_id: '+12025550188' }))).not.toThrow();
    });
  });
});
