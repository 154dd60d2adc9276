import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { ConsentChangeEntity, ConsentEntity } from '../consent/consent.entity.js';
import { MessageEntity } from '../sms/message.entity.js';

export const entities = [MessageEntity, AuditEventEntity, ConsentEntity, ConsentChangeEntity];
