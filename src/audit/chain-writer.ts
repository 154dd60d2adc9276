import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { canonicalJson, GENESIS_HASH, hashEvent, type ChainedEvent } from './audit-chain.js';
import { SYSTEM_ACTOR, type AppendedAuditEvent } from './audit-event.js';
import type { PreparedEvent } from './audit-event-input.js';
import { AuditEventRepository, type ChainHead, type ChainLink } from './audit-event.repository.js';
import { AuditChainState } from './chain-state.js';
import { ChainKeyring } from './chain-keys.js';

/** The chain's head as this transaction last wrote it, in the unit of work's memo. */
const CHAIN_HEAD = Symbol('audit chain head');

/**
 * Adds events to the end of the chain under the chain lock, each signed with the current
 * chain key. seq is assigned as last + 1 (not by a database sequence, which leaves gaps on
 * rollback), and never at or below the newest checkpoint, so a gap proves a deletion.
 */
@Injectable()
export class ChainWriter {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly keys: ChainKeyring,
    private readonly state: AuditChainState,
    private readonly clock: Clock,
  ) {}

  /**
   * Lock, read the last link, chain the event to it, insert. `head` when already read. A
   * transaction that appended before holds the lock still and knows the head it wrote (the
   * units of one batch): unless a unit rolled back since, it skips both statements.
   */
  async appendLocked(
    manager: EntityManager,
    prepared: PreparedEvent,
    head?: ChainHead | null,
  ): Promise<AppendedAuditEvent> {
    const memo = this.unitOfWork.memo(manager);
    if (head === undefined && memo?.has(CHAIN_HEAD)) head = memo.get(CHAIN_HEAD) as ChainHead;
    if (head === undefined) {
      if (!this.unitOfWork.holdsChainLock(manager)) await this.events.lockChain(manager);
      head = await this.events.head(manager);
    }
    // Rows cut from the end do not free their numbers: continue after the checkpoint.
    const floor = this.state.floor;
    const afterCheckpoint = floor !== null && (!head || head.seq < floor.seq);
    let base: ChainLink | null = afterCheckpoint ? floor : head;
    if (!afterCheckpoint && head?.keyId === null) {
      base = await this.insert(manager, reanchorEvent(head), head);
    }
    const appended = await this.insert(manager, prepared, base);
    memo?.set(CHAIN_HEAD, appended);
    return { seq: appended.seq, at: appended.at, hash: appended.hash };
  }

  /**
   * Once, when this release first meets a chain of unkeyed events: records audit.reanchored,
   * keyed and linked to the old head, so those events stay verifiable and none may follow.
   */
  async reanchorIfUnkeyed(): Promise<void> {
    await this.unitOfWork.run(async (manager) => {
      await this.events.lockChain(manager);
      const head = await this.events.head(manager);
      if (head?.keyId === null) await this.insert(manager, reanchorEvent(head), head);
    });
  }

  private async insert(
    manager: EntityManager,
    prepared: PreparedEvent,
    base: ChainLink | null,
  ): Promise<ChainHead & { at: Date }> {
    const chained: ChainedEvent = {
      ...prepared,
      seq: (base?.seq ?? 0) + 1,
      at: this.clock.now(),
      prevHash: base?.hash ?? GENESIS_HASH,
      keyId: this.keys.current.id,
    };
    const hash = hashEvent(chained, this.keys)!;
    await this.events.insert(manager, { ...chained, hash });
    return { seq: chained.seq, hash, keyId: chained.keyId, at: chained.at };
  }
}

function reanchorEvent(head: ChainLink): PreparedEvent {
  return {
    actor: SYSTEM_ACTOR,
    action: 'audit.reanchored',
    outcome: 'success',
    messageId: null,
    recipientMasked: null,
    recipientHash: null,
    requestId: null,
    conversationId: null,
    details: canonicalJson({
      chain_version: 2,
      previous_seq: head.seq,
      previous_hash: head.hash,
    }),
  };
}
