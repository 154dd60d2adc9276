import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { RecipientHasher } from '../common/recipient-hasher.js';
import type { AuditDetails, AuditReader } from './audit-event.js';
import type { AuditExportFormat } from './audit-export.js';
import { AuditLogService, type AuditFilters } from './audit-log.service.js';
import { AuditChainMonitor } from './chain-monitor.service.js';
import type { AuditEventPageDto } from './dto/audit-event.dto.js';
import type { AuditEventsQueryDto, AuditFiltersDto } from './dto/audit-query.dto.js';
import type { AuditVerifyResultDto } from './dto/audit-verify-result.dto.js';
import { readerFacts } from './read-auditor.js';

const DESCRIBED_FILTERS = [
  'from',
  'to',
  'action',
  'actor',
  'message_id',
  'conversation_id',
  'request_id',
] as const satisfies readonly (keyof AuditFiltersDto)[];

/**
 * The HTTP read side. Every read of the audit log is itself audited (audit.read: who, from
 * where, which endpoint, which filters), and is refused if that event cannot be written. A
 * read filtered by phone_number carries the patient in its recipient columns, so looking up
 * that patient later shows who looked before.
 */
@Injectable()
export class AuditReadService {
  constructor(
    private readonly audit: AuditLogService,
    private readonly hasher: RecipientHasher,
    private readonly monitor: AuditChainMonitor,
  ) {}

  async events(query: AuditEventsQueryDto, reader: AuditReader): Promise<AuditEventPageDto> {
    const page = await this.audit.query(this.toFilters(query), query.cursor, query.limit);
    await this.recordRead(
      reader,
      { endpoint: 'events', filters: this.describe(query), returned: page.events.length },
      query.phone_number,
    );
    return page;
  }

  async verify(reader: AuditReader): Promise<AuditVerifyResultDto> {
    const result = await this.monitor.verifyAll();
    await this.recordRead(reader, {
      endpoint: 'verify',
      ok: result.ok,
      checked: result.checked,
      first_broken_seq: result.first_broken_seq,
      problem: result.problem,
    });
    return result;
  }

  /** Recorded before the first byte: the export itself is streamed. */
  async export(
    query: AuditFiltersDto,
    format: AuditExportFormat,
    reader: AuditReader,
  ): Promise<Readable> {
    await this.recordRead(
      reader,
      { endpoint: 'export', format, filters: this.describe(query) },
      query.phone_number,
    );
    return this.audit.exportStream(format, this.toFilters(query));
  }

  private toFilters(query: AuditFiltersDto): AuditFilters {
    return {
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      action: query.action,
      actor: query.actor,
      messageId: query.message_id,
      conversationId: query.conversation_id,
      requestId: query.request_id,
      recipientHash: query.phone_number ? this.hasher.hash(query.phone_number) : undefined,
    };
  }

  /** The filters as given, with the phone number replaced by its keyed hash. */
  private describe(query: AuditFiltersDto): AuditDetails {
    const filters: AuditDetails = {};
    for (const key of DESCRIBED_FILTERS) {
      const value = query[key];
      if (value !== undefined) filters[key] = value;
    }
    if (query.phone_number) filters.recipient_hash = this.hasher.hash(query.phone_number);
    return filters;
  }

  private async recordRead(
    reader: AuditReader,
    details: AuditDetails,
    recipient?: string,
  ): Promise<void> {
    await this.audit.append({
      actor: reader.actor,
      action: 'audit.read',
      outcome: 'success',
      recipient: recipient ?? null,
      requestId: reader.requestId,
      details: { resource: 'audit_events', ...readerFacts(reader), ...details },
    });
  }
}
