import { MessageEntity } from '../sms/message.entity.js';

export const entities = [MessageEntity];
