import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, LessThan, LessThanOrEqual, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { deleteBatch } from '../database/delete-batch.js';
import { eventsConfig, type EventsConfig } from '../config/events.config.js';
import { EventOutboxEntity, type EventStatus } from './event-outbox.entity.js';
import type { EventBody, EventData, EventType } from './event-types.js';

/** The one writer of `event_outbox`. */
@Injectable()
export class EventOutbox {
  constructor(
    @InjectRepository(EventOutboxEntity) private readonly repo: Repository<EventOutboxEntity>,
    @Inject(eventsConfig.KEY) private readonly config: EventsConfig,
    private readonly clock: Clock,
  ) {}

  /** Whether events are written at all: only with an endpoint to send them to. */
  get enabled(): boolean {
    return this.config.url !== undefined;
  }

  /**
   * Writes an event through `manager`, the unit of work of the change it reports: both commit
   * or neither does. Does nothing when no endpoint is configured.
   */
  async add(manager: EntityManager, type: EventType, data: EventData): Promise<string | null> {
    if (!this.enabled) return null;
    const now = this.clock.now();
    const body: EventBody = { type, timestamp: now.toISOString(), data };
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    await manager.insert(EventOutboxEntity, {
      id,
      type,
      payload: JSON.stringify(body),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      claimedUntil: null,
      giveUpAt: new Date(now.getTime() + this.config.maxAgeMs),
      lastError: null,
      createdAt: now,
      deliveredAt: null,
    });
    return id;
  }

  /**
   * Claims up to `limit` events due now, each until `until`: pending ones whose time came, and
   * ones an instance claimed and never settled (it died mid-delivery). The conditional update
   * makes each claim exclusive across instances.
   */
  async claimDue(
    manager: EntityManager,
    now: Date,
    until: Date,
    limit: number,
  ): Promise<EventOutboxEntity[]> {
    const query = manager
      .createQueryBuilder(EventOutboxEntity, 'e')
      .where([
        { status: 'pending', nextAttemptAt: LessThanOrEqual(now) },
        { status: 'delivering', claimedUntil: LessThan(now) },
      ])
      .orderBy('e.next_attempt_at', 'ASC')
      .limit(limit);
    if (manager.connection.driver.options.type === 'postgres') {
      query.setLock('pessimistic_write').setOnLocked('skip_locked');
    }
    const due = await query.getMany();
    const claimed: EventOutboxEntity[] = [];
    for (const row of due) {
      const update = await manager.update(
        EventOutboxEntity,
        { id: row.id, status: row.status, attempts: row.attempts },
        { status: 'delivering', claimedUntil: until, attempts: row.attempts + 1 },
      );
      if (update.affected) claimed.push({ ...row, attempts: row.attempts + 1 });
    }
    return claimed;
  }

  async delivered(id: string, attempts: number, at: Date): Promise<void> {
    await this.repo.update(
      { id, status: 'delivering', attempts },
      { status: 'delivered', deliveredAt: at, claimedUntil: null, lastError: null },
    );
  }

  /** A failed attempt: tried again at `retryAt`, or dead-lettered when that is past give-up. */
  async failed(event: EventOutboxEntity, error: string, retryAt: Date): Promise<EventStatus> {
    const status: EventStatus = retryAt > event.giveUpAt ? 'dead' : 'pending';
    await this.repo.update(
      { id: event.id, status: 'delivering', attempts: event.attempts },
      { status, nextAttemptAt: retryAt, claimedUntil: null, lastError: error.slice(0, 120) },
    );
    return status;
  }

  /** Newest first, optionally of some statuses. */
  list(statuses: readonly EventStatus[] | undefined, take: number): Promise<EventOutboxEntity[]> {
    return this.repo.find({
      where: statuses ? { status: In([...statuses]) } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      take,
    });
  }

  find(id: string): Promise<EventOutboxEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Gives a dead event another full retry window, from now; the same id goes out. */
  async redeliver(id: string): Promise<boolean> {
    const now = this.clock.now();
    const update = await this.repo.update(
      { id, status: 'dead' },
      {
        status: 'pending',
        nextAttemptAt: now,
        giveUpAt: new Date(now.getTime() + this.config.maxAgeMs),
      },
    );
    return Boolean(update.affected);
  }

  /** Retention: deletes up to `limit` events created before `cutoff` that are done with. */
  purgeFinished(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      EventOutboxEntity,
      {
        sql: (row) => `${row}."status" IN (:...finished) AND ${row}."created_at" < :cutoff`,
        parameters: { cutoff, finished: ['delivered', 'dead'] },
      },
      limit,
    );
  }
}
