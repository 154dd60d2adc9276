import { UnitOfWork } from '../database/unit-of-work.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { TWILIO_ACTOR, type AuditDetails } from '../audit/audit-event.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { maskPhone } from '../common/mask.js';
import { rawQuery } from '../database/direct-sql.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { containsNumber } from '../logging/redaction.js';
import {
  CONSENT_SOURCES,
  CONSENT_STATES,
  type ConsentSource,
  type ConsentState,
} from './consent-state.js';
import { ConsentChangeEntity, ConsentEntity } from './consent.entity.js';
import type { ConsentChangeDto, ConsentChangePageDto } from './dto/consent.dto.js';
import { decodeCursor, encodeCursor } from '../common/http/seq-cursor.js';

/** One change to record. */
export interface ConsentChange {
  state: ConsentState;
  source: ConsentSource;
  /** The reply keyword as parseConsentKeyword gives it ("STOP"), for keyword sources. */
  keyword?: string | null;
  /** Why an admin recorded it (up to 500 characters, no phone numbers: it is audited). */
  reason?: string | null;
  /** API key name or TWILIO_ACTOR. */
  actor: string;
  requestId?: string | null;
  conversationId?: string | null;
  /** The message whose send Twilio refused (21610). */
  messageId?: string | null;
  /** Twilio's SID of the inbound message that carried the keyword. */
  providerSid?: string | null;
  /** Who asked, for an admin's change: platform, client address, key fingerprint (readerFacts). */
  facts?: AuditDetails;
}

/** The consent of one number: its latest recorded change. */
export interface ConsentStatus {
  /** E.164. */
  recipient: string;
  state: ConsentState;
  source: ConsentSource;
  keyword: string | null;
  reason: string | null;
  actor: string;
  changedAt: Date;
  /** seq of the consent.changed audit event that recorded it. */
  auditSeq: number;
}

export interface RecordedConsent extends ConsentStatus {
  /** The state before this change; null when the number had no record. */
  previousState: ConsentState | null;
}

export interface ConsentChangeFilters {
  /** E.164: hashed before the lookup. */
  recipient?: string;
  state?: ConsentState;
  source?: ConsentSource;
  actor?: string;
  conversationId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** A programming error in what was handed to record(): nothing was written. */
export class InvalidConsentChangeError extends Error {
  override name = 'InvalidConsentChangeError';
}

const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_PAGE = 500;

/**
 * The consent registry. Every change writes the number's consents row, a consent_changes row
 * and a consent.changed audit event in one transaction; the send path asks isOptedOut() before
 * every send.
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly hasher: RecipientHasher,
  ) {}

  /**
   * True when the number's latest recorded choice is an opt-out. One primary-key read; pass
   * `manager` to read inside a transaction (e.g. the one that claims the message).
   */
  async isOptedOut(e164: string, manager?: EntityManager): Promise<boolean> {
    const [row] = await rawQuery<{ state: string }[]>(
      manager ?? this.dataSource.manager,
      'SELECT "state" FROM "consents" WHERE "recipient_hash" = ?',
      [this.hasher.hash(e164)],
    );
    return row?.state === 'opted_out';
  }

  /**
   * Records a change: the consents row, a consent_changes row and a consent.changed audit event
   * commit together. With `manager` they join the caller's transaction (on SQLite it must come
   * from UnitOfWork.run()); without it they commit on their own.
   * Throws InvalidConsentChangeError for malformed input, before writing anything.
   */
  async record(
    e164: string,
    change: ConsentChange,
    manager?: EntityManager,
  ): Promise<RecordedConsent> {
    checkChange(e164, change);
    if (manager) return this.write(manager, e164, change);
    return this.unitOfWork.run((own) => this.write(own, e164, change));
  }

  /** Twilio refused a send with 21610: the number replied STOP to our sender, so it is opted out. */
  recordProviderOptOut(
    e164: string,
    context: {
      requestId?: string | null;
      messageId?: string | null;
      conversationId?: string | null;
    },
    manager?: EntityManager,
  ): Promise<RecordedConsent> {
    return this.record(
      e164,
      { state: 'opted_out', source: 'twilio_21610', actor: TWILIO_ACTOR, ...context },
      manager,
    );
  }

  /** The number's current consent; null when nothing was ever recorded for it. */
  async lookup(e164: string): Promise<ConsentStatus | null> {
    const row = await this.dataSource.manager.findOneBy(ConsentEntity, {
      recipientHash: this.hasher.hash(e164),
    });
    return row ? toStatus(row) : null;
  }

  /** One page of changes, newest first; `cursor` is the next_cursor of the page before. */
  async listChanges(
    filters: ConsentChangeFilters,
    cursor?: string,
    limit = 50,
  ): Promise<ConsentChangePageDto> {
    const take = Math.min(Math.max(1, Math.trunc(limit)), MAX_PAGE);
    const qb = this.dataSource.getRepository(ConsentChangeEntity).createQueryBuilder('c');
    if (filters.recipient) {
      qb.andWhere('c.recipientHash = :hash', { hash: this.hasher.hash(filters.recipient) });
    }
    if (filters.state) qb.andWhere('c.state = :state', { state: filters.state });
    if (filters.source) qb.andWhere('c.source = :source', { source: filters.source });
    if (filters.actor) qb.andWhere('c.actor = :actor', { actor: filters.actor });
    if (filters.conversationId) {
      qb.andWhere('c.conversationId = :conversationId', { conversationId: filters.conversationId });
    }
    if (filters.from) qb.andWhere('c.changedAt >= :from', { from: filters.from });
    if (filters.to) qb.andWhere('c.changedAt < :to', { to: filters.to });
    if (cursor) qb.andWhere('c.auditSeq < :before', { before: decodeCursor(cursor) });
    const rows = await qb
      .orderBy('c.auditSeq', 'DESC')
      .limit(take + 1)
      .getMany();
    const changes = rows.slice(0, take).map(toChangeDto);
    const hasMore = rows.length > take;
    return {
      changes,
      next_cursor: hasMore ? encodeCursor(changes[changes.length - 1].audit_seq) : null,
    };
  }

  private async write(
    manager: EntityManager,
    e164: string,
    change: ConsentChange,
  ): Promise<RecordedConsent> {
    const recipientHash = this.hasher.hash(e164);
    // The append takes the audit chain lock (PostgreSQL advisory lock; SQLite queue) until
    // commit, so the reads and writes below see changes to this number in seq order.
    const event = await this.audit.append(
      {
        actor: change.actor,
        action: 'consent.changed',
        outcome: 'success',
        recipient: e164,
        requestId: change.requestId ?? null,
        conversationId: change.conversationId ?? null,
        messageId: change.messageId ?? null,
        details: {
          state: change.state,
          source: change.source,
          keyword: change.keyword ?? null,
          reason: change.reason ?? null,
          ...(change.providerSid ? { provider_sid: change.providerSid } : {}),
          ...change.facts,
        },
      },
      manager,
    );
    const previous = await manager.findOne(ConsentEntity, {
      select: { state: true },
      where: { recipientHash },
    });
    const row: ConsentEntity = {
      recipientHash,
      recipient: e164,
      state: change.state,
      source: change.source,
      keyword: change.keyword ?? null,
      reason: change.reason ?? null,
      actor: change.actor,
      changedAt: event.at,
      auditSeq: event.seq,
    };
    await manager.upsert(ConsentEntity, row, ['recipientHash']);
    await manager.insert(ConsentChangeEntity, {
      auditSeq: event.seq,
      recipientHash,
      recipientMasked: maskPhone(e164),
      state: row.state,
      previousState: previous?.state ?? null,
      source: row.source,
      keyword: row.keyword,
      reason: row.reason,
      actor: row.actor,
      conversationId: change.conversationId ?? null,
      changedAt: event.at,
    });
    return { ...toStatus(row), previousState: previous?.state ?? null };
  }
}

function checkChange(e164: string, change: ConsentChange): void {
  const invalid = (problem: string) => new InvalidConsentChangeError(`Consent change ${problem}`);
  if (!E164.test(e164)) throw invalid('needs the number in E.164 (+12025550143)');
  if (!(CONSENT_STATES as readonly string[]).includes(change.state)) {
    throw invalid(`has an unknown state "${change.state}"`);
  }
  if (!(CONSENT_SOURCES as readonly string[]).includes(change.source)) {
    throw invalid(`has an unknown source "${change.source}"`);
  }
  if ((change.keyword?.length ?? 0) > 16) throw invalid('has a keyword over 16 characters');
  if ((change.reason?.length ?? 0) > 500) throw invalid('has a reason over 500 characters');
  // Stored as written and audited: the same number finder as the logs, in any form.
  if (change.reason && containsNumber(change.reason)) {
    throw invalid('has a reason that looks like a phone number');
  }
  if (change.source === 'api' && !change.reason?.trim()) {
    throw invalid('from the API needs a reason');
  }
}

function toStatus(row: ConsentEntity): ConsentStatus {
  return {
    recipient: row.recipient,
    state: row.state,
    source: row.source,
    keyword: row.keyword,
    reason: row.reason,
    actor: row.actor,
    changedAt: new Date(row.changedAt),
    auditSeq: row.auditSeq,
  };
}

function toChangeDto(row: ConsentChangeEntity): ConsentChangeDto {
  return {
    audit_seq: row.auditSeq,
    changed_at: new Date(row.changedAt).toISOString(),
    phone_number: row.recipientMasked,
    recipient_hash: row.recipientHash,
    state: row.state,
    previous_state: row.previousState,
    source: row.source,
    keyword: row.keyword,
    reason: row.reason,
    actor: row.actor,
    conversation_id: row.conversationId,
  };
}
