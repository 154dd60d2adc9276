import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditLogService } from '../audit/audit-log.service.js';
import type { AuditReader } from '../audit/audit-event.js';
import { readerFacts } from '../audit/read-auditor.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import type { EventDto, EventListDto, EventsQueryDto } from './dto/event.dto.js';
import type { EventOutboxEntity } from './event-outbox.entity.js';
import { EventOutbox } from './event-outbox.js';

/** The events API: what was sent to the clinic's endpoint, and a second chance for a dead one. */
@Injectable()
export class EventsService {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly audit: AuditLogService,
  ) {}

  async list(query: EventsQueryDto): Promise<EventListDto> {
    const rows = await this.outbox.list(
      query.status ? [query.status] : undefined,
      query.limit ?? 50,
    );
    return { data: rows.map(toEventDto) };
  }

  /** Puts a dead event back in line, with a new retry window; recorded in the audit log. */
  async redeliver(id: string, reader: AuditReader): Promise<EventDto> {
    const event = await this.outbox.find(id);
    if (!event) throw notFound();
    if (!(await this.outbox.redeliver(id))) throw notDead(event.status);
    await this.audit.append({
      actor: reader.actor,
      action: 'event.redelivered',
      outcome: 'success',
      requestId: reader.requestId,
      details: { event_id: id, event_type: event.type, ...readerFacts(reader) },
    });
    return toEventDto((await this.outbox.find(id)) as EventOutboxEntity);
  }
}

export function toEventDto(row: EventOutboxEntity): EventDto {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: new Date(row.nextAttemptAt).toISOString(),
    last_error: row.lastError,
    created_at: new Date(row.createdAt).toISOString(),
    delivered_at: row.deliveredAt ? new Date(row.deliveredAt).toISOString() : null,
    body: JSON.parse(row.payload) as Record<string, unknown>,
  };
}

function notFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'No event with this id.', {
    status: HttpStatus.NOT_FOUND,
    agentMessage: "I couldn't find that event.",
  });
}

function notDead(status: string): DomainError {
  return new DomainError(
    ErrorCode.EVENT_NOT_DEAD,
    `Only a dead-lettered event can be redelivered; this one is ${status}.`,
    {
      status: HttpStatus.CONFLICT,
      agentMessage: 'That event is still being delivered, so there is nothing to redo.',
      details: { status },
    },
  );
}
