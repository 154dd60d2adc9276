import { GENESIS_HASH, hasValidHash } from './audit-chain.js';
import type { AuditEventEntity } from './audit-event.entity.js';
import type { ChainLink } from './audit-event.repository.js';
import type { ChainKeyring } from './chain-keys.js';

/** Why verification stopped, as reported in `problem`. */
export const CHAIN_PROBLEMS = [
  /** Events are missing: deleted from the middle, or from the start without a purge record. */
  'missing',
  /** An event where none belongs: inserted, or moved. */
  'out_of_place',
  /** prev_hash is not the hash of the event before. */
  'link',
  /** The event does not match its hash: edited, or written without the key. */
  'hash',
  /** Signed with a key that is not configured (AUDIT_CHAIN_KEY, AUDIT_CHAIN_KEYS_PREVIOUS). */
  'unknown_key',
  /** An unkeyed (version 1) event after the chain was keyed. */
  'unkeyed',
  /** Unkeyed events not followed by the audit.reanchored record that pins them. */
  'not_reanchored',
  /** A purge record that removed events younger than the retention allows. */
  'implausible_purge',
  /** The chain ends before the newest checkpoint's event: events were cut from the end. */
  'behind_checkpoint',
  /** The checkpointed event has another hash than the checkpoint recorded. */
  'checkpoint_mismatch',
] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

export interface ChainBreak {
  seq: number;
  problem: ChainProblem;
}

/**
 * Checks events one after the other, oldest first, from a trusted link (the genesis, a purge
 * record's boundary, a checkpoint). Each must be the next seq, link to the hash before it and
 * match its own hash. Unkeyed events are accepted only before the chain was keyed, and only
 * when the audit.reanchored record follows them: that keyed record is what pins them, so an
 * unkeyed run at the end (anyone could have written it) is not accepted either.
 */
export class ChainWalker {
  checked = 0;
  private expectedSeq: number;
  private prevHash: string;
  /** The first seq of the unkeyed events since the last keyed one, if any. */
  private unkeyedSince: number | null = null;

  constructor(
    start: ChainLink | null,
    private keyed: boolean,
    private readonly keys: ChainKeyring,
    private readonly isPlausiblePurge: (event: AuditEventEntity) => Promise<boolean>,
  ) {
    this.expectedSeq = (start?.seq ?? 0) + 1;
    this.prevHash = start?.hash ?? GENESIS_HASH;
  }

  /** The seq the next event must have. */
  get nextSeq(): number {
    return this.expectedSeq;
  }

  async accept(event: AuditEventEntity): Promise<ChainBreak | null> {
    if (event.seq !== this.expectedSeq) {
      // Missing events are reported by the first missing seq, a stray event by its own.
      return event.seq > this.expectedSeq
        ? { seq: this.expectedSeq, problem: 'missing' }
        : { seq: event.seq, problem: 'out_of_place' };
    }
    const problem = await this.problemOf(event);
    if (problem) return { seq: event.seq, problem };
    this.prevHash = event.hash;
    this.expectedSeq += 1;
    this.checked += 1;
    return null;
  }

  /** After the last event: unkeyed events that nothing keyed pins are a break. */
  finish(): ChainBreak | null {
    return this.unkeyedSince === null
      ? null
      : { seq: this.unkeyedSince, problem: 'not_reanchored' };
  }

  private async problemOf(event: AuditEventEntity): Promise<ChainProblem | null> {
    if (event.prevHash !== this.prevHash) return 'link';
    if (event.keyId === null) {
      if (this.keyed) return 'unkeyed';
    } else {
      if (this.unkeyedSince !== null && event.action !== 'audit.reanchored') {
        return 'not_reanchored';
      }
      if (!this.keys.has(event.keyId)) return 'unknown_key';
    }
    if (!hasValidHash(event, event.hash, this.keys)) return 'hash';
    if (event.keyId === null) {
      this.unkeyedSince ??= event.seq;
    } else {
      this.keyed = true;
      this.unkeyedSince = null;
    }
    // Unkeyed purge records predate the key and are pinned by the re-anchor's link.
    if (event.action === 'audit.purged' && event.keyId !== null) {
      if (!(await this.isPlausiblePurge(event))) return 'implausible_purge';
    }
    return null;
  }
}
