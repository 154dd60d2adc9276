import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { getCountryCallingCode, type NumberType } from 'libphonenumber-js/max';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { policyConfig } from '../config/policy.config.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import { PhoneNumberService, type NormalizedPhone } from './phone-number.service.js';

/** Number types that are not a patient's own phone; texts to them cost money or reach no one. */
const REFUSED_TYPES: ReadonlySet<NumberType> = new Set([
  'PREMIUM_RATE',
  'SHARED_COST',
  'TOLL_FREE',
  'UAN',
  'VOICEMAIL',
  'PAGER',
]);

const NOT_ALLOWED_MESSAGE =
  "I'm not able to text that number. Is there another mobile number I can use?";

/** Who may be texted: allowed countries, personal number types, the caller only (optional), a deny list. */
@Injectable()
export class RecipientPolicy {
  private readonly allowedCallingCodes: ReadonlySet<string>;
  private readonly denied: ReadonlySet<string>;

  constructor(
    @Inject(policyConfig.KEY) private readonly config: ConfigType<typeof policyConfig>,
    private readonly phones: PhoneNumberService,
  ) {
    this.allowedCallingCodes = new Set(
      config.allowedCountries.map((c) => getCountryCallingCode(c)),
    );
    this.denied = new Set(
      config.denyList.map(
        (n) => this.phones.normalize(n, { requireValid: false, field: 'RECIPIENT_DENY_LIST' }).e164,
      ),
    );
  }

  check(phone: NormalizedPhone, dto: ToolRequestDto): void {
    this.checkCountry(phone);
    if (phone.type && REFUSED_TYPES.has(phone.type)) {
      throw new DomainError(
        ErrorCode.RECIPIENT_NOT_ALLOWED,
        `phone_number is a ${phone.type.toLowerCase().replace(/_/g, '-')} number, not a personal phone.`,
        {
          status: HttpStatus.UNPROCESSABLE_ENTITY,
          agentMessage: NOT_ALLOWED_MESSAGE,
          details: { number_type: phone.type },
        },
      );
    }
    if (this.denied.has(phone.e164)) {
      throw new DomainError(
        ErrorCode.RECIPIENT_NOT_ALLOWED,
        'phone_number may not be texted by this service.',
        {
          status: HttpStatus.UNPROCESSABLE_ENTITY,
          agentMessage: NOT_ALLOWED_MESSAGE,
        },
      );
    }
    if (this.config.recipientPolicy === 'caller_only') this.checkIsCaller(phone, dto.caller_id);
  }

  private checkCountry(phone: NormalizedPhone): void {
    // An unassigned number (sandbox only) has no country; its calling code still tells the region.
    const allowed = phone.country
      ? this.config.allowedCountries.includes(phone.country)
      : this.allowedCallingCodes.has(phone.callingCode);
    if (!allowed) {
      throw new DomainError(
        ErrorCode.COUNTRY_NOT_ALLOWED,
        `phone_number is in ${phone.country ?? `calling code +${phone.callingCode}`}; this service texts only ${this.config.allowedCountries.join(', ')} numbers (ALLOWED_COUNTRIES).`,
        {
          status: HttpStatus.UNPROCESSABLE_ENTITY,
          agentMessage: 'I can only send texts to numbers in the countries we serve.',
          details: { country: phone.country ?? null },
        },
      );
    }
  }

  private checkIsCaller(phone: NormalizedPhone, callerId: string | undefined): void {
    let caller: string | undefined;
    try {
      caller = callerId
        ? this.phones.normalize(callerId, { requireValid: false, field: 'caller_id' }).e164
        : undefined;
    } catch {
      caller = undefined;
    }
    if (caller !== phone.e164) {
      throw new DomainError(
        ErrorCode.RECIPIENT_NOT_CALLER,
        callerId
          ? 'phone_number is not the number of the caller (RECIPIENT_POLICY=caller_only).'
          : 'caller_id is required: this service only texts the caller (RECIPIENT_POLICY=caller_only).',
        {
          status: HttpStatus.FORBIDDEN,
          agentMessage: 'I can only send texts to the phone number you are calling from.',
        },
      );
    }
  }
}
