import { Inject, Injectable } from '@nestjs/common';
import { auditChainConfig, type AuditChainConfig } from '../config/audit-chain.config.js';
import type { AuditEventEntity } from './audit-event.entity.js';
import { AuditEventRepository, type ChainHead, type ChainLink } from './audit-event.repository.js';
import { ChainCheckpoints, type Checkpoint } from './chain-checkpoints.js';
import { ChainKeyring } from './chain-keys.js';
import { ChainWalker, type ChainBreak } from './chain-walker.js';
import type { AuditVerifyResultDto } from './dto/audit-verify-result.dto.js';
import { cutoffOf, isPlausiblePurge, purgeBoundaryOf } from './purge-record.js';

const VERIFY_BATCH_SIZE = 1000;
const VERIFY_ATTEMPTS = 3;

/**
 * Verifies the chain: whole (from the latest purge record's boundary, or seq 1) or from a
 * checkpoint on, and against the newest checkpoint kept outside the database.
 */
@Injectable()
export class AuditChainVerifier {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly keys: ChainKeyring,
    private readonly checkpoints: ChainCheckpoints,
    @Inject(auditChainConfig.KEY) private readonly config: AuditChainConfig,
  ) {}

  /**
   * The whole chain. The oldest remaining event must be seq 1 after the genesis hash, or
   * follow exactly the seq and hash that the latest audit.purged record names (that record is
   * keyed, so only the key holder can write one). With `throughSeq`, stops there and skips
   * the checkpoint comparison (the purge checks its part before removing it).
   */
  async verify(options: { throughSeq?: number } = {}): Promise<AuditVerifyResultDto> {
    for (let attempt = 1; ; attempt++) {
      const purge = await this.events.latestPurgeRecord();
      const result = await this.walkAll(purge, options.throughSeq);
      if (result.ok || attempt === VERIFY_ATTEMPTS) return result;
      // A purge that committed during the walk moves the start; walk again before accusing.
      const now = await this.events.latestPurgeRecord();
      if (now?.seq === purge?.seq) return result;
    }
  }

  /**
   * The events after a checkpoint this service wrote (after verifying what came before), so a
   * scheduled check reads only what is new. The checkpointed event must still be there with
   * the same hash.
   */
  async verifyFrom(start: Checkpoint): Promise<AuditVerifyResultDto> {
    const head = await this.events.head();
    const report = reporter(head, start);
    const anchor = await this.events.findBySeq(start.seq);
    if (!anchor) {
      // The checkpointed event is gone: the chain was cut at or before it.
      const kept = await this.events.lastSeqBefore(start.seq);
      return report({ seq: (kept ?? 0) + 1, problem: 'behind_checkpoint' }, 0);
    }
    if (anchor.hash !== start.hash) {
      return report({ seq: start.seq, problem: 'checkpoint_mismatch' }, 0);
    }
    const walker = this.walker(start, anchor.keyId !== null);
    const last = head!.seq;
    for await (const batch of this.batches(start.seq, last)) {
      for (const event of batch) {
        const broken = await walker.accept(event);
        if (broken) return report(broken, walker.checked);
      }
    }
    if (walker.nextSeq <= last) {
      return report({ seq: walker.nextSeq, problem: 'missing' }, walker.checked);
    }
    return report(walker.finish(), walker.checked);
  }

  private async walkAll(
    purge: AuditEventEntity | null,
    throughSeq?: number,
  ): Promise<AuditVerifyResultDto> {
    const checkpoint = throughSeq === undefined ? await this.checkpoints.latest() : null;
    const head = await this.events.head();
    const report = reporter(head, checkpoint);
    const boundary = purgeBoundaryOf(purge);
    const walker = this.walker(boundary, false);
    const last = Math.min(head?.seq ?? 0, throughSeq ?? Infinity);
    // From seq 0, so an event left over before the boundary is caught as out of place.
    for await (const batch of this.batches(0, last)) {
      for (const event of batch) {
        const broken = await walker.accept(event);
        if (broken) return report(broken, walker.checked);
        if (event.seq === checkpoint?.seq && event.hash !== checkpoint.hash) {
          return report({ seq: event.seq, problem: 'checkpoint_mismatch' }, walker.checked);
        }
      }
    }
    if (walker.nextSeq <= last) {
      return report({ seq: walker.nextSeq, problem: 'missing' }, walker.checked);
    }
    // A checkpoint past the end: events were cut from the tail, or the table was emptied.
    if (checkpoint && checkpoint.seq > (boundary?.seq ?? 0) && last < checkpoint.seq) {
      return report({ seq: walker.nextSeq, problem: 'behind_checkpoint' }, walker.checked);
    }
    // A purge check stops before the re-anchor record on purpose: it cannot judge the tail.
    return report(throughSeq === undefined ? walker.finish() : null, walker.checked);
  }

  private walker(start: ChainLink | null, keyed: boolean): ChainWalker {
    return new ChainWalker(start, keyed, this.keys, async (record) => {
      const cutoff = cutoffOf(record);
      const seen = cutoff ? await this.checkpoints.firstAfter(cutoff) : [];
      return isPlausiblePurge(record, this.config.retentionFloorDays, seen);
    });
  }

  private async *batches(afterSeq: number, throughSeq: number): AsyncGenerator<AuditEventEntity[]> {
    for (;;) {
      const rows = await this.events.page({}, afterSeq, VERIFY_BATCH_SIZE, throughSeq);
      if (rows.length > 0) yield rows;
      if (rows.length < VERIFY_BATCH_SIZE) return;
      afterSeq = rows[rows.length - 1].seq;
    }
  }
}

function reporter(head: ChainHead | null, checkpoint: Checkpoint | null) {
  return (broken: ChainBreak | null, checked: number): AuditVerifyResultDto => ({
    ok: broken === null,
    checked,
    first_broken_seq: broken?.seq ?? null,
    problem: broken?.problem ?? null,
    last_seq: head?.seq ?? null,
    last_hash: head?.hash ?? null,
    checkpoint,
  });
}
