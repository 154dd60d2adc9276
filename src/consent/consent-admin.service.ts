import { Injectable } from '@nestjs/common';
import type { AuditReader } from '../audit/audit-event.js';
import { ReadAuditor, readerFacts } from '../audit/read-auditor.js';
import { maskPhone } from '../common/mask.js';
import { PhoneNumberService } from '../policy/phone-number.service.js';
import type { ConsentChangesQueryDto } from './dto/consent-changes-query.dto.js';
import type { ConsentChangePageDto, ConsentStatusDto } from './dto/consent.dto.js';
import type { RecordConsentDto } from './dto/record-consent.dto.js';
import { ConsentService, type ConsentStatus } from './consent.service.js';

/**
 * The admin API's side of the registry: reads numbers the way the send path does (so a lookup
 * finds what a send would check), and answers with the number masked. Every read is audited
 * (data.read) before it is answered.
 */
@Injectable()
export class ConsentAdminService {
  constructor(
    private readonly consent: ConsentService,
    private readonly phones: PhoneNumberService,
    private readonly reads: ReadAuditor,
  ) {}

  async lookup(phoneNumber: string, reader: AuditReader): Promise<ConsentStatusDto> {
    const e164 = this.e164(phoneNumber);
    const status = await this.consent.lookup(e164);
    await this.reads.record(reader, {
      resource: 'consent',
      recipients: [e164],
      details: { found: status !== null },
    });
    return toStatusDto(e164, status);
  }

  async record(dto: RecordConsentDto, admin: AuditReader): Promise<ConsentStatusDto> {
    const e164 = this.e164(dto.phone_number);
    const recorded = await this.consent.record(e164, {
      state: dto.state,
      source: 'api',
      reason: dto.reason.trim(),
      actor: admin.actor,
      requestId: admin.requestId,
      conversationId: dto.conversation_id ?? null,
      facts: readerFacts(admin),
    });
    return toStatusDto(e164, recorded);
  }

  /** A list of many patients is one event with its count; filtered by number, the patient's. */
  async listChanges(
    query: ConsentChangesQueryDto,
    reader: AuditReader,
  ): Promise<ConsentChangePageDto> {
    const recipient = query.phone_number ? this.e164(query.phone_number) : undefined;
    const page = await this.consent.listChanges(
      {
        recipient,
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
    await this.reads.record(reader, {
      resource: 'consent_changes',
      recipients: recipient ? [recipient] : undefined,
      count: page.changes.length,
    });
    return page;
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
