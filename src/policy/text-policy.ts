import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { maskPhone } from '../common/mask.js';
import { appConfig } from '../config/app.config.js';
import { ConfigError } from '../config/env.js';
import { policyConfig } from '../config/policy.config.js';
import { findCredentialTerms } from './credential-terms.js';
import { LinkPolicy } from './link-policy.js';
import { findPhoneNumbers, type FoundNumber } from './phone-number-finder.js';

/**
 * What the final text of a send (or a preview) may hold, whoever wrote which part: links only
 * to LINK_ALLOWED_HOSTS, phone numbers only from CALLBACK_NUMBERS, and no request for
 * credentials. An agent talked into a phishing text is stopped here.
 */
@Injectable()
export class TextPolicy {
  private readonly callbackNumbers: ReadonlySet<string>;

  constructor(
    @Inject(policyConfig.KEY) config: ConfigType<typeof policyConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    private readonly links: LinkPolicy,
  ) {
    // Read the way texts are read, so every spelling of a listed number matches it.
    this.callbackNumbers = new Set(
      config.callbackNumbers.map((entry) => {
        const [found, ...more] = findPhoneNumbers(entry, app.defaultCountry);
        if (!found?.e164 || more.length > 0) {
          throw new ConfigError(
            'CALLBACK_NUMBERS',
            `holds an entry that is not one phone number with its area code (ending in ${entry.slice(-4)})`,
          );
        }
        return found.e164;
      }),
    );
  }

  check(text: string): void {
    this.links.check(text);
    const [term] = findCredentialTerms(text);
    if (term) throw credentialRequest(term);
    const number = findPhoneNumbers(text, this.app.defaultCountry).find(
      (n) => !n.e164 || !this.callbackNumbers.has(n.e164),
    );
    if (number) throw callbackNumber(number);
  }

  /** The media_url as checked, which is what the provider must get. */
  checkMediaUrl(raw: string): string {
    return this.links.checkMediaUrl(raw);
  }
}

function credentialRequest(term: string): DomainError {
  return new DomainError(
    ErrorCode.CREDENTIAL_REQUEST_NOT_ALLOWED,
    `The text names "${term}", which texts from this service never ask for (docs/SECURITY.md, "Credential requests").`,
    {
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      agentMessage:
        "For your security, I can't send a text about passwords, codes, card or bank details, or Social Security numbers.",
      details: { term },
    },
  );
}

function callbackNumber(number: FoundNumber): DomainError {
  const masked = maskPhone(number.e164 ?? number.text);
  return new DomainError(
    ErrorCode.CALLBACK_NUMBER_NOT_ALLOWED,
    number.e164
      ? `The text contains the phone number ${masked}, which is not on CALLBACK_NUMBERS.`
      : `The text contains a local number (${masked}) without its area code; numbers in texts must be written in full and be on CALLBACK_NUMBERS.`,
    {
      status: HttpStatus.UNPROCESSABLE_ENTITY,
      agentMessage: "I can only put our own phone numbers in a text, so I didn't send that text.",
      details: { number: masked },
    },
  );
}
