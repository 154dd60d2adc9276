import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ParseError,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
  type CountryCode,
  type NumberType,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import { appConfig } from '../config/app.config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';

export interface NormalizedPhone {
  e164: string;
  country: CountryCode | undefined;
  /** Without the plus: "1" for NANP. Known even when the country is not. */
  callingCode: string;
  /** Assigned to a real range; false for possible-but-unassigned numbers such as area code 555. */
  isValid: boolean;
  /** Line type from the number plan; undefined when the number is not valid. */
  type: NumberType | undefined;
}

const AGENT_MESSAGE =
  "That phone number doesn't look right. Could you say it again, digit by digit?";

const PARSE_PROBLEMS: Record<string, string> = {
  INVALID_COUNTRY: 'has no valid country calling code',
  NOT_A_NUMBER: 'is not a phone number',
  TOO_SHORT: 'is too short to be a phone number',
  TOO_LONG: 'is too long to be a phone number',
  INVALID_LENGTH: 'has a length no number in that country has',
};

export function invalidPhone(field: string, problem: string): DomainError {
  return new DomainError(ErrorCode.INVALID_PHONE_NUMBER, `${field} ${problem}.`, {
    agentMessage: AGENT_MESSAGE,
    details: { field },
  });
}

@Injectable()
export class PhoneNumberService {
  constructor(@Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>) {}

  /**
   * Parses what a person or an agent typed into E.164. National numbers are read in
   * DEFAULT_COUNTRY. With requireValid, a possible but unassigned number is refused too.
   */
  normalize(
    raw: string,
    { requireValid, field = 'phone_number' }: NormalizeOptions,
  ): NormalizedPhone {
    let parsed: PhoneNumber;
    try {
      parsed = parsePhoneNumberWithError(raw, {
        defaultCountry: this.app.defaultCountry,
        extract: false,
      });
    } catch (error) {
      if (error instanceof ParseError) {
        throw invalidPhone(
          field,
          PARSE_PROBLEMS[error.message] ?? 'could not be read as a phone number',
        );
      }
      throw error;
    }
    if (!parsed.isPossible()) {
      const reason = validatePhoneNumberLength(parsed.number) ?? 'INVALID_LENGTH';
      throw invalidPhone(field, PARSE_PROBLEMS[reason] ?? PARSE_PROBLEMS.INVALID_LENGTH);
    }
    if (parsed.ext) throw invalidPhone(field, 'has an extension, which cannot receive texts');
    const isValid = parsed.isValid();
    if (requireValid && !isValid) {
      throw invalidPhone(
        field,
        `(${maskTail(parsed.number)}) is not an assigned number in ${parsed.country ?? 'its country'}; a carrier would refuse it`,
      );
    }
    return {
      e164: parsed.number,
      country: parsed.country,
      callingCode: parsed.countryCallingCode,
      isValid,
      type: isValid ? parsed.getType() : undefined,
    };
  }
}

export interface NormalizeOptions {
  requireValid: boolean;
  field?: string;
}

function maskTail(e164: string): string {
  return `ending in ${e164.slice(-4)}`;
}
