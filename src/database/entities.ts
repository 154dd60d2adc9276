import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { ConsentChangeEntity, ConsentEntity } from '../consent/consent.entity.js';
import { EventOutboxEntity } from '../events/event-outbox.entity.js';
import { InboundMessageEntity } from '../inbound/inbound-message.entity.js';
import { MessageEntity } from '../messages/message.entity.js';
import { LineTypeEntity } from '../policy/line-type.entity.js';
import { ScheduledTextEntity } from '../scheduling/scheduled-text.entity.js';

export const entities = [
  MessageEntity,
  AuditEventEntity,
  ConsentEntity,
  ConsentChangeEntity,
  LineTypeEntity,
  ScheduledTextEntity,
  InboundMessageEntity,
  EventOutboxEntity,
];
