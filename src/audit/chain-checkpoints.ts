import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { auditChainConfig, type AuditChainConfig } from '../config/audit-chain.config.js';
import { canonicalJson } from './audit-chain.js';
import type { ChainLink } from './audit-event.repository.js';
import { ChainKeyring } from './chain-keys.js';
import { CheckpointFiles } from './checkpoint-files.js';

/** The chain's head as this service saw it, verified, at a time (ISO 8601 UTC). */
export interface Checkpoint extends ChainLink {
  at: string;
}

interface CheckpointLine extends Checkpoint {
  v: 1;
  k: string;
  mac: string;
}

/**
 * Signed checkpoints of the chain's head, kept outside the database: what catches events cut
 * from the end of the chain (or the whole table emptied), which a chain alone cannot show.
 * Each line carries an HMAC with the chain key, so a line written by someone without the key
 * is ignored.
 */
@Injectable()
export class ChainCheckpoints {
  private readonly files: CheckpointFiles | null;

  constructor(
    @Inject(auditChainConfig.KEY) config: AuditChainConfig,
    private readonly keys: ChainKeyring,
  ) {
    this.files = config.checkpointDir ? new CheckpointFiles(config.checkpointDir) : null;
  }

  /** The directory, or null when checkpoints are off. */
  get dir(): string | null {
    return this.files?.dir ?? null;
  }

  /** Fails the boot when the directory cannot be written: the tail would go unprotected. */
  async prepare(): Promise<void> {
    await this.files?.prepare();
  }

  async write(link: ChainLink, at: Date): Promise<Checkpoint | null> {
    if (!this.files) return null;
    const checkpoint: Checkpoint = { seq: link.seq, hash: link.hash, at: at.toISOString() };
    const k = this.keys.current.id;
    const line: CheckpointLine = { v: 1, ...checkpoint, k, mac: this.mac(checkpoint, k)! };
    await this.files.append(JSON.stringify(line), at);
    return checkpoint;
  }

  /** The authentic checkpoint with the highest seq, from the newest file that has one. */
  async latest(): Promise<Checkpoint | null> {
    if (!this.files) return null;
    for await (const lines of this.files.newestFirst()) {
      const found = this.authentic(lines);
      if (found.length > 0) return found.reduce((a, b) => (b.seq > a.seq ? b : a));
    }
    return null;
  }

  /**
   * The authentic checkpoints taken after `time`, from the first file that has any: the
   * earliest evidence of how far the chain had grown by then.
   */
  async firstAfter(time: Date): Promise<Checkpoint[]> {
    if (!this.files) return [];
    for await (const lines of this.files.from(time)) {
      const after = this.authentic(lines).filter((c) => new Date(c.at) > time);
      if (after.length > 0) return after;
    }
    return [];
  }

  private authentic(lines: string[]): Checkpoint[] {
    const found: Checkpoint[] = [];
    for (const text of lines) {
      const line = parse(text);
      if (!line) continue;
      const expected = this.mac(line, line.k);
      if (expected === null || expected.length !== line.mac.length) continue;
      if (!timingSafeEqual(Buffer.from(expected), Buffer.from(line.mac))) continue;
      found.push({ seq: line.seq, hash: line.hash, at: line.at });
    }
    return found;
  }

  private mac(checkpoint: Checkpoint, keyId: string): string | null {
    const { seq, hash, at } = checkpoint;
    const text = canonicalJson({ type: 'audit-checkpoint', v: 1, seq, hash, at, k: keyId });
    return this.keys.sign(text, keyId);
  }
}

function parse(text: string): CheckpointLine | null {
  try {
    const line = JSON.parse(text) as Partial<CheckpointLine>;
    const valid =
      line.v === 1 &&
      Number.isSafeInteger(line.seq) &&
      typeof line.hash === 'string' &&
      typeof line.at === 'string' &&
      !Number.isNaN(Date.parse(line.at)) &&
      typeof line.k === 'string' &&
      typeof line.mac === 'string';
    return valid ? (line as CheckpointLine) : null;
  } catch {
    return null;
  }
}
