import { CreateMessages1764060000000 } from './1764060000000-create-messages.js';
import { CreateAuditEvents1764070000000 } from './1764070000000-create-audit-events.js';
import { AddSendDedupe1764080000000 } from './1764080000000-add-send-dedupe.js';
import { CreateConsents1764090000000 } from './1764090000000-create-consents.js';
import { CreateLineTypes1764100000000 } from './1764100000000-create-line-types.js';
import { CreateScheduledTexts1764110000000 } from './1764110000000-create-scheduled-texts.js';
import { AddReminderOf1764120000000 } from './1764120000000-add-reminder-of.js';
import { CreateInboundMessages1764130000000 } from './1764130000000-create-inbound-messages.js';
import { AddAuditKeyId1764140000000 } from './1764140000000-add-audit-key-id.js';
import { KeyMessageDigests1764140000001 } from './1764140000001-key-message-digests.js';
import { CreateEventOutbox1764150000000 } from './1764150000000-create-event-outbox.js';

/** Listed explicitly (not globbed) so the same list works from src under Jest and from dist. */
export const migrations = [
  CreateMessages1764060000000,
  CreateAuditEvents1764070000000,
  AddSendDedupe1764080000000,
  CreateConsents1764090000000,
  CreateLineTypes1764100000000,
  CreateScheduledTexts1764110000000,
  AddReminderOf1764120000000,
  CreateInboundMessages1764130000000,
  AddAuditKeyId1764140000000,
  KeyMessageDigests1764140000001,
  CreateEventOutbox1764150000000,
];
