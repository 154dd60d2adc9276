import type { AuditEventEntity } from './audit-event.entity.js';
import type { ChainLink } from './audit-event.repository.js';
import type { Checkpoint } from './chain-checkpoints.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What an audit.purged record says it did. */
export interface PurgeDetails {
  cutoff: string;
  retention_days: number;
  purged_count: number;
  /** The last event removed, by this purge or (when it removed nothing) an earlier one. */
  purged_through_seq: number | null;
  purged_through_hash: string | null;
}

function detailsOf(record: Pick<AuditEventEntity, 'details'> | null): Partial<PurgeDetails> {
  if (!record?.details) return {};
  try {
    return JSON.parse(record.details) as Partial<PurgeDetails>;
  } catch {
    return {};
  }
}

/** Where the chain continues after the events a purge removed; null when none were. */
export function purgeBoundaryOf(
  record: Pick<AuditEventEntity, 'details'> | null,
): ChainLink | null {
  const { purged_through_seq: seq, purged_through_hash: hash } = detailsOf(record);
  return typeof seq === 'number' && typeof hash === 'string' ? { seq, hash } : null;
}

/**
 * Whether a purge record could be honest: it kept at least `floorDays`, its cutoff is that far
 * before the purge itself, and no checkpoint taken after the cutoff saw a chain too short to
 * hold the last event removed (that event would then have been younger than the cutoff).
 * Only a key holder can write a purge record that the chain accepts; this bounds what even
 * they can hide.
 */
export function isPlausiblePurge(
  record: Pick<AuditEventEntity, 'seq' | 'at' | 'details'>,
  floorDays: number,
  checkpointsAfterCutoff: Checkpoint[],
): boolean {
  const details = detailsOf(record);
  const cutoff = typeof details.cutoff === 'string' ? Date.parse(details.cutoff) : NaN;
  const retention = details.retention_days;
  if (Number.isNaN(cutoff) || !Number.isSafeInteger(retention) || retention! < floorDays) {
    return false;
  }
  if (cutoff > new Date(record.at).getTime() - retention! * DAY_MS) return false;
  const through = details.purged_through_seq;
  if (through === null || through === undefined) return true;
  if (!Number.isSafeInteger(through) || through >= record.seq) return false;
  return checkpointsAfterCutoff.every((checkpoint) => checkpoint.seq >= through);
}

export function cutoffOf(record: Pick<AuditEventEntity, 'details'>): Date | null {
  const cutoff = detailsOf(record).cutoff;
  return typeof cutoff === 'string' && !Number.isNaN(Date.parse(cutoff)) ? new Date(cutoff) : null;
}
