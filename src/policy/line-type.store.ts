import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { deleteBatch } from '../database/delete-batch.js';
import { findRow } from '../database/direct-sql.js';
import type { LineTypeAnswer } from '../providers/sms-provider.js';
import { LineTypeEntity } from './line-type.entity.js';

/** The line type cache every instance shares (the line_types table). */
@Injectable()
export class LineTypeStore {
  constructor(
    @InjectRepository(LineTypeEntity) private readonly repo: Repository<LineTypeEntity>,
  ) {}

  /** The cached answer when it was checked after `freshAfter`. */
  async find(recipientHash: string, freshAfter: Date): Promise<LineTypeAnswer | undefined> {
    const row = await findRow(this.repo.manager, LineTypeEntity, { recipientHash }, [
      'type',
      'carrier',
      'checkedAt',
    ]);
    if (!row || new Date(row.checkedAt) <= freshAfter) return undefined;
    return { type: row.type as LineTypeAnswer['type'], carrier: row.carrier };
  }

  async save(recipientHash: string, answer: LineTypeAnswer, checkedAt: Date): Promise<void> {
    await this.repo.upsert(
      { recipientHash, type: answer.type, carrier: answer.carrier, checkedAt },
      ['recipientHash'],
    );
  }

  /** Retention: deletes up to `limit` answers checked before `cutoff`. */
  purgeCheckedBefore(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      LineTypeEntity,
      { sql: (row) => `${row}."checked_at" < :cutoff`, parameters: { cutoff } },
      limit,
    );
  }
}
