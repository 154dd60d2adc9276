import type { ConfigType } from '@nestjs/config';
import type { appConfig } from '../config/app.config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { PhoneNumberService } from './phone-number.service.js';

function serviceIn(defaultCountry: string): PhoneNumberService {
  return new PhoneNumberService({ defaultCountry } as ConfigType<typeof appConfig>);
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('PhoneNumberService.normalize', () => {
  const us = serviceIn('US');

  describe('accepts', () => {
    it('an E.164 number as it is', () => {
      expect(us.normalize('+12025550143', { requireValid: true })).toEqual({
        e164: '+12025550143',
        country: 'US',
        callingCode: '1',
        isValid: true,
        type: 'FIXED_LINE_OR_MOBILE',
      });
    });

    it('a formatted national number, read in the default country', () => {
      expect(us.normalize('(202) 555-0143', { requireValid: true }).e164).toBe('+12025550143');
    });

    it('a national number of another default country', () => {
      const gb = serviceIn('GB');

      expect(gb.normalize('07400 123456', { requireValid: true })).toEqual({
        e164: '+447400123456',
        country: 'GB',
        callingCode: '44',
        isValid: true,
        type: 'MOBILE',
      });
      expect(gb.normalize('020 7946 0018', { requireValid: true })).toMatchObject({
        e164: '+442079460018',
        type: 'FIXED_LINE',
      });
    });

    it('a foreign E.164 number whatever the default country', () => {
      expect(us.normalize('+44 7400 123456', { requireValid: true })).toMatchObject({
        e164: '+447400123456',
        country: 'GB',
      });
    });

    it('reports the line type of a valid number', () => {
      expect(us.normalize('+19005551234', { requireValid: true }).type).toBe('PREMIUM_RATE');
    });
  });

  describe('a possible but unassigned number (+1 555)', () => {
    it('is accepted without requireValid: not valid, no type, no country, but calling code 1', () => {
      expect(us.normalize('+15551234567', { requireValid: false })).toEqual({
        e164: '+15551234567',
        country: undefined,
        callingCode: '1',
        isValid: false,
        type: undefined,
      });
    });

    it('is refused with requireValid, naming only the last four digits', () => {
      const error = thrownBy(() => us.normalize('+15551234567', { requireValid: true }));

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: ErrorCode.INVALID_PHONE_NUMBER,
        status: 400,
        message:
          'phone_number (ending in 4567) is not an assigned number in its country; a carrier would refuse it.',
      });
      expect((error as Error).message).not.toContain('5551234567');
    });
  });

  describe('refuses with INVALID_PHONE_NUMBER, naming the field and the problem', () => {
    it.each([
      ['too short', '12', 'phone_number is too short to be a phone number.'],
      ['one digit short', '202555014', 'phone_number is too short to be a phone number.'],
      ['too long', '+1202555014399999', 'phone_number is too long to be a phone number.'],
      ['far too long', '2025550143123456789', 'phone_number is too long to be a phone number.'],
      ['letters', 'call me', 'phone_number is not a phone number.'],
      ['digits mixed with letters', '202-555-01AB', 'phone_number is not a phone number.'],
      ['not-a-number', 'not-a-number', 'phone_number is not a phone number.'],
      ['an empty string', '', 'phone_number is not a phone number.'],
      [
        'an unknown country code',
        '+999 1234567',
        'phone_number has no valid country calling code.',
      ],
      [
        'an extension',
        '+1 202-555-0143 ext. 12',
        'phone_number has an extension, which cannot receive texts.',
      ],
    ])('%s (%j)', (_case, raw, message) => {
      const error = thrownBy(() => us.normalize(raw, { requireValid: false }));

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: ErrorCode.INVALID_PHONE_NUMBER,
        status: 400,
        message,
        details: { field: 'phone_number' },
      });
    });

    it('names the field it was given', () => {
      const error = thrownBy(() => us.normalize('12', { requireValid: false, field: 'caller_id' }));

      expect(error).toMatchObject({
        message: 'caller_id is too short to be a phone number.',
        details: { field: 'caller_id' },
      });
    });

    it('gives the agent a sentence to say to the patient', () => {
      const error = thrownBy(() => us.normalize('12', { requireValid: false }));

      expect(error).toMatchObject({
        agentMessage:
          "That phone number doesn't look right. Could you say it again, digit by digit?",
      });
    });
  });
});
