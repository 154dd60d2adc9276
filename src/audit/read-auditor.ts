import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '../common/errors/database-unavailable.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { AuditDetails, AuditReader } from './audit-event.js';
import { AuditLogService } from './audit-log.service.js';

/** What was read: data.read's details.resource. */
export type ReadResource =
  'message' | 'text_status' | 'consent' | 'consent_changes' | 'preview' | 'sandbox_outbox';

/** One read of patient data, as the audit log records it. */
export interface DataRead {
  resource: ReadResource;
  /**
   * The patients (E.164) the answer showed, when the read names them: one event per patient,
   * so a lookup by number lists the read. A list of many patients passes none and a `count`.
   */
  recipients?: readonly string[];
  /** How many records the answer held. */
  count?: number;
  messageId?: string | null;
  conversationId?: string | null;
  /** Other facts (tool, agent_id, template_language, ...): never a number or a text. */
  details?: AuditDetails;
}

/** Past this many patients in one answer, one event with the count stands for them all. */
export const MAX_TAGGED_PATIENTS = 5;

/** Who read, for any event a request writes: the way in, client address, key fingerprint, route. */
export function readerFacts(reader: AuditReader): AuditDetails {
  return {
    ...(reader.platform ? { platform: reader.platform } : {}),
    ...(reader.clientIp ? { client_ip: reader.clientIp } : {}),
    ...(reader.keyFingerprint ? { key_fingerprint: reader.keyFingerprint } : {}),
    ...(reader.route ? { route: reader.route } : {}),
  };
}

/**
 * Records reads of patient data (HIPAA 164.312(b) asks for activity records, reads included)
 * as data.read events, the reader as actor. Called after the read and before the answer: if
 * the event cannot be written the read is refused (503), so no answer goes out unrecorded.
 */
@Injectable()
export class ReadAuditor {
  private readonly logger = new Logger(ReadAuditor.name);

  constructor(
    private readonly audit: AuditLogService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async record(reader: AuditReader, read: DataRead): Promise<void> {
    const patients = [...new Set(read.recipients ?? [])];
    const tagged = patients.length <= MAX_TAGGED_PATIENTS ? patients : [];
    const details: AuditDetails = {
      resource: read.resource,
      ...readerFacts(reader),
      ...(read.count === undefined ? {} : { count: read.count }),
      ...(patients.length > 1 ? { patients: patients.length } : {}),
      ...read.details,
    };
    const event = (recipient: string | null) => ({
      actor: reader.actor,
      action: 'data.read' as const,
      outcome: 'success' as const,
      recipient,
      messageId: read.messageId ?? null,
      requestId: reader.requestId,
      conversationId: read.conversationId ?? null,
      details,
    });
    try {
      await this.unitOfWork.run(async (manager) => {
        if (tagged.length === 0) await this.audit.append(event(null), manager);
        for (const recipient of tagged) await this.audit.append(event(recipient), manager);
      });
    } catch (error) {
      // An outage is answered as one (DATABASE_UNAVAILABLE, by the exception filter).
      if (error instanceof DomainError || isDatabaseUnavailable(error)) throw error;
      this.logger.error({ err: error, resource: read.resource }, 'Could not audit a read');
      throw new DomainError(ErrorCode.AUDIT_WRITE_FAILED, 'The read could not be recorded.', {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        retryable: true,
        agentMessage: "I can't look that up right now. Please try again in a moment.",
        cause: error,
      });
    }
  }
}
