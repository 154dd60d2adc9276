import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deleteBatch } from '../database/delete-batch.js';
import type { ConsentState } from './consent-state.js';
import { ConsentChangeEntity, ConsentEntity } from './consent.entity.js';

const OPTED_IN: ConsentState = 'opted_in';

/**
 * What retention may remove from the consent registry, and what it may not: an opt-out is
 * honoured for ever, so its consents row is never deleted, and each number keeps its latest
 * consent_changes row (the evidence for the state the service acts on).
 */
@Injectable()
export class ConsentRetentionStore {
  /**
   * Deletes up to `limit` opted-in state rows last changed before `cutoff`. Sending treats a
   * number with no row as it treats an opt-in, so nothing changes for the patient.
   */
  purgeOptedIn(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      ConsentEntity,
      {
        sql: (row) => `${row}."state" = :optedIn AND ${row}."changed_at" < :cutoff`,
        parameters: { optedIn: OPTED_IN, cutoff },
      },
      limit,
    );
  }

  /** Deletes up to `limit` changes recorded before `cutoff` that a later change of the number replaced. */
  purgeSupersededChanges(manager: EntityManager, cutoff: Date, limit: number): Promise<number> {
    return deleteBatch(
      manager,
      ConsentChangeEntity,
      {
        sql: (row) =>
          `${row}."changed_at" < :cutoff AND EXISTS (SELECT 1 FROM "consent_changes" "later" ` +
          `WHERE "later"."recipient_hash" = ${row}."recipient_hash" AND "later"."audit_seq" > ${row}."audit_seq")`,
        parameters: { cutoff },
      },
      limit,
    );
  }
}
