import type { Provider } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RetainedTable } from '../config/retention.config.js';
import { ConsentRetentionStore } from '../consent/consent-retention.store.js';
import { ScheduledTextStore } from '../scheduling/scheduled-text.store.js';
import { LineTypeStore } from '../policy/line-type.store.js';
import { MessageStore } from '../messages/message.store.js';
import { EventOutbox } from '../events/event-outbox.js';
import { InboundMessageStore } from '../inbound/inbound-message.store.js';

/** Deletes up to `limit` rows past `cutoff` that the table's rules allow; answers how many. */
export type TablePurge = (manager: EntityManager, cutoff: Date, limit: number) => Promise<number>;

export const TABLE_PURGES = Symbol('TABLE_PURGES');

/**
 * Each table's purge (run in the order of RETENTION_SETTINGS). A table added to RETENTION_SETTINGS does not compile
 * until it has its line here. What each keeps whatever its age is said by the store's method.
 */
export const tablePurgesProvider: Provider = {
  provide: TABLE_PURGES,
  inject: [
    MessageStore,
    ScheduledTextStore,
    ConsentRetentionStore,
    LineTypeStore,
    EventOutbox,
    InboundMessageStore,
  ],
  useFactory: (
    messages: MessageStore,
    texts: ScheduledTextStore,
    consents: ConsentRetentionStore,
    lineTypes: LineTypeStore,
    events: EventOutbox,
    inbound: InboundMessageStore,
  ): Record<RetainedTable, TablePurge> => ({
    messages: (manager, cutoff, limit) => messages.purgeSettled(manager, cutoff, limit),
    scheduled_texts: (manager, cutoff, limit) => texts.purgeFinished(manager, cutoff, limit),
    consents: (manager, cutoff, limit) => consents.purgeOptedIn(manager, cutoff, limit),
    consent_changes: (manager, cutoff, limit) =>
      consents.purgeSupersededChanges(manager, cutoff, limit),
    line_types: (manager, cutoff, limit) => lineTypes.purgeCheckedBefore(manager, cutoff, limit),
    event_outbox: (manager, cutoff, limit) => events.purgeFinished(manager, cutoff, limit),
    inbound_messages: (manager, cutoff, limit) => inbound.purgeBodies(manager, cutoff, limit),
  }),
};
