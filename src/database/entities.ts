import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { MessageEntity } from '../sms/message.entity.js';

export const entities = [MessageEntity, AuditEventEntity];
