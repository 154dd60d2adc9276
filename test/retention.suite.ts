import { jest } from '@jest/globals';
import { Logger, type FactoryProvider } from '@nestjs/common';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { AuditLogService } from '../src/audit/audit-log.service.js';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { RecipientHasher } from '../src/common/recipient-hasher.js';
import type { DatabaseConfig } from '../src/config/database.config.js';
import type { RetainedTable, RetentionConfig } from '../src/config/retention.config.js';
import { ConsentRetentionStore } from '../src/consent/consent-retention.store.js';
import { ConsentChangeEntity, ConsentEntity } from '../src/consent/consent.entity.js';
import { ConsentService } from '../src/consent/consent.service.js';
import type { UnitOfWork } from '../src/database/unit-of-work.js';
import { RETENTION_LOCK_KEY, RetentionLock } from '../src/retention/retention-lock.js';
import {
  PURGE_BATCH,
  RETENTION_WORKER_ACTOR,
  RetentionService,
  type PurgeRequest,
} from '../src/retention/retention.service.js';
import { tablePurgesProvider, type TablePurge } from '../src/retention/table-purges.js';
import { ScheduledTextEntity } from '../src/scheduling/scheduled-text.entity.js';
import { ScheduledTextStore } from '../src/scheduling/scheduled-text.store.js';
import { LineTypeEntity } from '../src/policy/line-type.entity.js';
import { LineTypeStore } from '../src/policy/line-type.store.js';
import { MessageEntity, type MessageStatus } from '../src/messages/message.entity.js';
import { MessageStore } from '../src/messages/message.store.js';
import { Clock } from '../src/common/clock.js';
import type { EventsConfig } from '../src/config/events.config.js';
import { EventOutboxEntity, type EventStatus } from '../src/events/event-outbox.entity.js';
import { EventOutbox } from '../src/events/event-outbox.js';
import { InboundMessageEntity } from '../src/inbound/inbound-message.entity.js';
import { InboundMessageStore } from '../src/inbound/inbound-message.store.js';
import { AUDIT_TEST_CONFIG, openAuditLog } from './audit-chain.suite.js';
import type { TestClock } from './support/audit-log.js';
import { newMessage } from './support/message-database.js';

const DAY_MS = 86_400_000;
const DAYS: RetentionConfig['days'] = {
  messages: 30,
  scheduled_texts: 1,
  consents: 60,
  consent_changes: 60,
  line_types: 30,
  event_outbox: 30,
  inbound_messages: 30,
};
const SCHEDULED: PurgeRequest = { actor: RETENTION_WORKER_ACTOR, trigger: 'schedule' };
const A = '+12025550143';
const B = '+12025550144';
const C = '+12025550145';

type Purges = Record<RetainedTable, TablePurge>;

/**
 * The retention specification, run on every database the service supports: what each table
 * loses past its retention, what it keeps whatever its age, and that every purge is audited.
 * `database` is read when the suite starts, so it may come from a beforeAll.
 */
export function retentionSuite(kind: DatabaseConfig['type'], database: () => DatabaseConfig): void {
  let dataSource: DataSource;
  let audit: AuditLogService;
  let unitOfWork: UnitOfWork;
  let close: () => Promise<void>;
  let clock: TestClock;
  let store: MessageStore;
  let consent: ConsentService;
  let purges: Purges;
  const hasher = new RecipientHasher(AUDIT_TEST_CONFIG);
  // Rows are backdated from the time the suite runs; the audit trail's own rows are young.
  const now = new Date();
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);

  const retention = (overrides: Partial<Purges> = {}) =>
    new RetentionService(
      { days: DAYS, intervalMs: 0 },
      { ...purges, ...overrides },
      unitOfWork,
      audit,
      new RetentionLock(dataSource),
    );

  beforeAll(async () => {
    ({ dataSource, audit, unitOfWork, clock, close } = await openAuditLog(database()));
    store = new MessageStore(dataSource.getRepository(MessageEntity));
    consent = new ConsentService(unitOfWork, dataSource, audit, hasher);
    const lineTypes = new LineTypeStore(dataSource.getRepository(LineTypeEntity));
    // The app's own list, built from the stores as Nest builds it.
    const factory = (tablePurgesProvider as FactoryProvider<Purges>).useFactory as (
      ...stores: unknown[]
    ) => Purges;
    const events = new EventOutbox(
      dataSource.getRepository(EventOutboxEntity),
      { url: undefined } as EventsConfig,
      new Clock(),
    );
    purges = factory(
      store,
      new ScheduledTextStore(),
      new ConsentRetentionStore(),
      lineTypes,
      events,
      new InboundMessageStore(dataSource.getRepository(InboundMessageEntity)),
    );
  });
  afterAll(async () => {
    await close();
  });
  beforeEach(async () => {
    for (const table of ['scheduled_texts', 'messages', 'consent_changes', 'consents']) {
      await dataSource.query(`DELETE FROM ${table}`);
    }
    await dataSource.query('DELETE FROM line_types');
    await dataSource.query('DELETE FROM event_outbox');
    await dataSource.query('DELETE FROM audit_events');
  });

  /** A message row in `status`, created `createdDaysAgo` and last changed `updatedDaysAgo`. */
  async function message(
    status: MessageStatus,
    createdDaysAgo: number,
    { updatedDaysAgo = createdDaysAgo, reminderOf = null as string | null, text = false } = {},
  ): Promise<string> {
    const row = newMessage({ reminderOf });
    await unitOfWork.run(async (manager) => {
      await store.claim(manager, row);
      if (text) await new ScheduledTextStore().keep(manager, row.id, 'See you tomorrow at 9.');
    });
    await dataSource
      .getRepository(MessageEntity)
      .update(
        { id: row.id },
        { status, createdAt: ago(createdDaysAgo), updatedAt: ago(updatedDaysAgo) },
      );
    return row.id;
  }
  const messageIds = async () =>
    (await dataSource.getRepository(MessageEntity).find()).map((row) => row.id).sort();
  const textIds = async () =>
    (await dataSource.getRepository(ScheduledTextEntity).find()).map((row) => row.messageId).sort();

  /** A consent change recorded as the service records it, then moved back in time. */
  async function change(e164: string, state: 'opted_in' | 'opted_out', daysAgo: number) {
    const recorded = await consent.record(e164, {
      state,
      source: 'keyword',
      keyword: state === 'opted_out' ? 'STOP' : 'START',
      actor: 'twilio',
    });
    const changedAt = ago(daysAgo);
    await dataSource
      .getRepository(ConsentChangeEntity)
      .update({ auditSeq: recorded.auditSeq }, { changedAt });
    await dataSource
      .getRepository(ConsentEntity)
      .update({ recipientHash: hasher.hash(e164), auditSeq: recorded.auditSeq }, { changedAt });
    return recorded.auditSeq;
  }

  const purgeEvents = () =>
    dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { action: 'data.purged' }, order: { seq: 'ASC' } });
  const detailsOf = async (table: string) =>
    (await purgeEvents())
      .map((event) => ({ actor: event.actor, ...JSON.parse(event.details ?? '{}') }))
      .filter((details) => details.table === table);

  describe('messages', () => {
    it('deletes settled rows past MESSAGES_RETENTION_DAYS and keeps younger ones', async () => {
      const sent = await message('sent', 31);
      const failed = await message('failed', 400);
      const canceled = await message('canceled', 31);
      const unknown = await message('unknown', 45);
      const young = await message('delivered', 29);
      const updatedLately = await message('delivered', 31, { updatedDaysAgo: 2 });

      const run = await retention().purgeAll(now, SCHEDULED);

      expect(run?.tables.find((t) => t.table === 'messages')).toEqual({
        table: 'messages',
        cutoff: ago(30).toISOString(),
        purged: 4,
      });
      expect(await messageIds()).toEqual([young, updatedLately].sort());
      expect(await messageIds()).not.toEqual(
        expect.arrayContaining([sent, failed, canceled, unknown]),
      );
    });

    it('keeps pending rows (scheduled, accepted, sending) whatever their age', async () => {
      const pending = [
        await message('scheduled', 400),
        await message('accepted', 400),
        await message('sending', 400),
      ];

      await retention().purgeAll(now, SCHEDULED);

      expect(await messageIds()).toEqual(pending.sort());
    });

    it('keeps a confirmation while its reminder is pending, and lets both go once it is not', async () => {
      const confirmation = await message('delivered', 90);
      const reminder = await message('scheduled', 90, { reminderOf: confirmation });

      await retention().purgeAll(now, SCHEDULED);
      expect(await messageIds()).toEqual([confirmation, reminder].sort());

      await dataSource
        .getRepository(MessageEntity)
        .update({ id: reminder }, { status: 'delivered', updatedAt: ago(31) });
      await retention().purgeAll(now, SCHEDULED);
      expect(await messageIds()).toEqual([]);
    });
  });

  describe('scheduled_texts', () => {
    it('keeps the text of a pending message, and deletes those of finished or missing ones', async () => {
      const pending = await message('scheduled', 400, { text: true });
      const finishedLongAgo = await message('canceled', 5, { text: true });
      const finishedLately = await message('canceled', 5, { text: true, updatedDaysAgo: 0.5 });
      const orphan = await message('canceled', 0, { text: true });
      await dataSource.getRepository(MessageEntity).delete({ id: orphan });

      const run = await retention().purgeAll(now, SCHEDULED);

      expect(await textIds()).toEqual([pending, finishedLately].sort());
      expect(await textIds()).not.toContain(finishedLongAgo);
      expect(run?.tables.find((t) => t.table === 'scheduled_texts')?.purged).toBe(2);
    });
  });

  describe('consents and consent_changes', () => {
    it('never deletes an opt-out, however old; deletes opt-ins past CONSENTS_RETENTION_DAYS', async () => {
      await change(A, 'opted_out', 3650);
      await change(B, 'opted_in', 61);
      await change(C, 'opted_in', 59);

      await retention().purgeAll(now, SCHEDULED);

      const states = await dataSource.getRepository(ConsentEntity).find();
      expect(states.map((row) => row.recipientHash).sort()).toEqual(
        [hasher.hash(A), hasher.hash(C)].sort(),
      );
      await expect(consent.isOptedOut(A)).resolves.toBe(true);
      await expect(consent.isOptedOut(B)).resolves.toBe(false);
    });

    it('deletes replaced changes past CONSENT_CHANGES_RETENTION_DAYS, keeping each number’s latest', async () => {
      await change(A, 'opted_out', 100);
      await change(A, 'opted_in', 90);
      const latestOfA = await change(A, 'opted_out', 80);
      const onlyOfB = await change(B, 'opted_in', 500);
      const youngOfC = await change(C, 'opted_out', 10);
      const latestOfC = await change(C, 'opted_in', 5);

      await retention().purgeAll(now, SCHEDULED);

      const kept = await dataSource
        .getRepository(ConsentChangeEntity)
        .find({ order: { auditSeq: 'ASC' } });
      expect(kept.map((row) => row.auditSeq)).toEqual([latestOfA, onlyOfB, youngOfC, latestOfC]);
      expect(await detailsOf('consent_changes')).toEqual([
        expect.objectContaining({ count: 2, cutoff: ago(60).toISOString() }),
      ]);
    });
  });

  describe('line_types', () => {
    it('deletes answers checked before LINE_TYPES_RETENTION_DAYS, in batches each audited', async () => {
      const lineTypes = dataSource.getRepository(LineTypeEntity);
      const old = Array.from({ length: PURGE_BATCH + 1 }, (_, n) => ({
        recipientHash: hasher.hash(`+1202555${String(n).padStart(4, '0')}`),
        type: 'mobile',
        carrier: null,
        checkedAt: ago(31),
      }));
      for (let n = 0; n < old.length; n += 250) await lineTypes.insert(old.slice(n, n + 250));
      const fresh = hasher.hash('+14155550100');
      await lineTypes.insert({ ...old[0], recipientHash: fresh, checkedAt: ago(29) });

      await retention().purgeAll(now, SCHEDULED);

      expect((await lineTypes.find()).map((row) => row.recipientHash)).toEqual([fresh]);
      expect((await detailsOf('line_types')).map((details) => details.count)).toEqual([
        PURGE_BATCH,
        1,
      ]);
    });
  });

  describe('inbound_messages', () => {
    it('clears the text of replies past REPLY_RETENTION_DAYS and keeps the row, so a replay is still known', async () => {
      await dataSource.query('DELETE FROM inbound_messages');
      const row = (id: string, days: number) => ({
        id,
        providerMessageId: `SM${id}`,
        recipientHash: null,
        recipientMasked: null,
        matchedMessageId: null,
        intent: 'free_text',
        receivedAt: ago(days),
        body: `reply ${id}`,
      });
      await dataSource.getRepository(InboundMessageEntity).insert([row('old', 31), row('new', 29)]);
      await retention().purgeAll(now, SCHEDULED);
      const rows = await dataSource
        .getRepository(InboundMessageEntity)
        .find({ order: { id: 'ASC' } });
      expect(rows.map((r) => [r.id, r.body])).toEqual([
        ['new', 'reply new'],
        ['old', null],
      ]);
    });
  });

  describe('event_outbox', () => {
    it('deletes delivered and dead events past EVENTS_RETENTION_DAYS, and keeps pending ones whatever their age', async () => {
      const outbox = dataSource.getRepository(EventOutboxEntity);
      const event = (id: string, status: EventStatus, createdDaysAgo: number) => ({
        id,
        type: 'message.sent',
        payload: '{}',
        status,
        attempts: 1,
        nextAttemptAt: ago(createdDaysAgo),
        claimedUntil: null,
        giveUpAt: ago(createdDaysAgo - 1),
        lastError: null,
        createdAt: ago(createdDaysAgo),
        deliveredAt: null,
      });
      await outbox.insert([
        event('msg_old_delivered', 'delivered', 31),
        event('msg_old_dead', 'dead', 31),
        event('msg_old_pending', 'pending', 31),
        event('msg_young_delivered', 'delivered', 29),
      ]);

      await retention().purgeAll(now, SCHEDULED);

      expect((await outbox.find({ order: { id: 'ASC' } })).map((row) => row.id)).toEqual([
        'msg_old_pending',
        'msg_young_delivered',
      ]);
      expect((await detailsOf('event_outbox')).map((details) => details.count)).toEqual([2]);
    });
  });

  describe('the audit trail of a purge', () => {
    it('records every table’s purge as data.purged by the worker, and the audit trail’s own', async () => {
      await message('sent', 31);

      await retention().purgeAll(now, SCHEDULED);

      const events = await purgeEvents();
      expect(events.map((event) => JSON.parse(event.details ?? '{}').table)).toEqual([
        'messages',
        'scheduled_texts',
        'consents',
        'consent_changes',
        'line_types',
        'event_outbox',
        'inbound_messages',
      ]);
      expect(events.every((event) => event.actor === RETENTION_WORKER_ACTOR)).toBe(true);
      expect(JSON.parse(events[0].details ?? '{}')).toEqual({
        table: 'messages',
        count: 1,
        cutoff: ago(30).toISOString(),
        retention_days: 30,
        trigger: 'schedule',
      });
      const checkpoint = await dataSource
        .getRepository(AuditEventEntity)
        .findOneByOrFail({ action: 'audit.purged' });
      expect(checkpoint.actor).toBe(RETENTION_WORKER_ACTOR);
      await expect(audit.verify()).resolves.toMatchObject({ ok: true });
    });

    it('records the operator of a manual run on every event, the audit trail’s purge included', async () => {
      const run = await retention().purgeAll(now, { actor: 'operator:alice', trigger: 'manual' });

      expect(run).toMatchObject({ actor: 'operator:alice', trigger: 'manual' });
      const events = await dataSource
        .getRepository(AuditEventEntity)
        .find({ order: { seq: 'ASC' } });
      expect(events.map((event) => [event.action, event.actor])).toEqual([
        ...Object.keys(DAYS).map(() => ['data.purged', 'operator:alice']),
        ['audit.purged', 'operator:alice'],
      ]);
    });

    it('removes audit events past AUDIT_RETENTION_DAYS through the audit log, as its actor', async () => {
      await change(A, 'opted_out', 0);
      // The audit log keeps its own time, as the service's injected clock is one for both.
      clock.advance((AUDIT_TEST_CONFIG.retentionDays + 1) * DAY_MS);
      const later = clock.now();

      const run = await retention().purgeAll(later, SCHEDULED);

      const result = run?.tables.find((t) => t.table === 'audit_events');
      expect(result?.purged).toBeGreaterThan(0);
      const checkpoint = await dataSource
        .getRepository(AuditEventEntity)
        .findOneByOrFail({ action: 'audit.purged' });
      expect(checkpoint.actor).toBe(RETENTION_WORKER_ACTOR);
      expect(JSON.parse(checkpoint.details ?? '{}').purged_count).toBe(result?.purged);
      await expect(audit.verify()).resolves.toMatchObject({ ok: true });
    });

    it('goes on with the other tables when one fails, and records nothing for that one', async () => {
      const sent = await message('sent', 31);
      await change(B, 'opted_in', 61);
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

      const run = await retention({
        messages: () => Promise.reject(new Error('disk full')),
      }).purgeAll(now, SCHEDULED);

      expect(run?.tables.find((t) => t.table === 'messages')).toMatchObject({
        purged: 0,
        error: 'disk full',
      });
      expect(await messageIds()).toEqual([sent]);
      expect(await dataSource.getRepository(ConsentEntity).count()).toBe(0);
      expect(await detailsOf('messages')).toEqual([]);
      expect(await detailsOf('consents')).toHaveLength(1);
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ table: 'messages' }),
        'Retention purge failed',
      );
      logged.mockRestore();
    });
  });

  // One SQLite file serves one instance: only PostgreSQL has instances to keep apart.
  const onPostgres = kind === 'postgres' ? it : it.skip;
  onPostgres('skips the run while another instance holds the retention lock', async () => {
    const other = new pg.Client({ connectionString: database().url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [RETENTION_LOCK_KEY]);
      const sent = await message('sent', 31);

      await expect(retention().purgeAll(now, SCHEDULED)).resolves.toBeNull();
      expect(await messageIds()).toEqual([sent]);
      expect(await purgeEvents()).toEqual([]);

      await other.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
      await expect(retention().purgeAll(now, SCHEDULED)).resolves.not.toBeNull();
      expect(await messageIds()).toEqual([]);
    } finally {
      await other.end();
    }
  });
}
