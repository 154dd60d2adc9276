import { Injectable } from '@nestjs/common';
import { maskPhone } from '../common/mask.js';
import { PhoneNumberService } from '../sms/phone/phone-number.service.js';
import type { ConsentChangesQueryDto } from './dto/consent-changes-query.dto.js';
import type { ConsentChangePageDto, ConsentStatusDto } from './dto/consent.dto.js';
import type { RecordConsentDto } from './dto/record-consent.dto.js';
import { ConsentService, type ConsentStatus } from './consent.service.js';

/** Who called the admin API, for the audit event. */
export interface ConsentAdmin {
  actor: string;
  requestId: string | null;
}

/**
 * The admin API's side of the registry: reads numbers the way the send path does (so a lookup
 * finds what a send would check), and answers with the number masked.
 */
@Injectable()
export class ConsentAdminService {
  constructor(
    private readonly consent: ConsentService,
    private readonly phones: PhoneNumberService,
  ) {}

  async lookup(phoneNumber: string): Promise<ConsentStatusDto> {
    const e164 = this.e164(phoneNumber);
    return toStatusDto(e164, await this.consent.lookup(e164));
  }

  async record(dto: RecordConsentDto, admin: ConsentAdmin): Promise<ConsentStatusDto> {
    const e164 = this.e164(dto.phone_number);
    const recorded = await this.consent.record(e164, {
      state: dto.state,
      source: 'api',
      reason: dto.reason.trim(),
      actor: admin.actor,
      requestId: admin.requestId,
      conversationId: dto.conversation_id ?? null,
    });
    return toStatusDto(e164, recorded);
  }

  listChanges(query: ConsentChangesQueryDto): Promise<ConsentChangePageDto> {
    return this.consent.listChanges(
      {
        recipient: query.phone_number ? this.e164(query.phone_number) : undefined,
        state: query.state,
        source: query.source,
        actor: query.actor,
        conversationId: query.conversation_id,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      query.cursor,
      query.limit,
    );
  }

  /** Not requireValid: an unassigned number can still have (or need) a record. */
  private e164(phoneNumber: string): string {
    return this.phones.normalize(phoneNumber, { requireValid: false, field: 'phone_number' }).e164;
  }
}

function toStatusDto(e164: string, status: ConsentStatus | null): ConsentStatusDto {
  return {
    phone_number: maskPhone(e164),
    opted_out: status?.state === 'opted_out',
    state: status?.state ?? null,
    source: status?.source ?? null,
    keyword: status?.keyword ?? null,
    reason: status?.reason ?? null,
    actor: status?.actor ?? null,
    changed_at: status ? status.changedAt.toISOString() : null,
    audit_seq: status?.auditSeq ?? null,
  };
}
