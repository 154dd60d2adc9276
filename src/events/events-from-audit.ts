import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditLogService } from '../audit/audit-log.service.js';
import { eventOf } from './audit-to-event.js';
import { EventOutbox } from './event-outbox.js';

/** Writes the event of each recorded change into the outbox, in the change's transaction. */
@Injectable()
export class EventsFromAudit implements OnModuleInit {
  constructor(
    private readonly audit: AuditLogService,
    private readonly outbox: EventOutbox,
  ) {}

  onModuleInit(): void {
    if (!this.outbox.enabled) return;
    this.audit.onAppend(async (event, manager) => {
      const outgoing = eventOf(event);
      if (outgoing) await this.outbox.add(manager, outgoing.type, outgoing.data);
    });
  }
}
