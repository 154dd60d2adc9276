import type { MigrationInterface, QueryRunner } from 'typeorm';
import { digestKeyOf, keyDigest } from '../../common/keyed-digest.js';
import { auditConfig } from '../../config/audit.config.js';
import { rawQuery } from '../direct-sql.js';

const BATCH = 500;
const COLUMNS = ['body_sha256', 'dedupe_key', 'request_fingerprint'] as const;

type DigestRow = { id: string } & Record<(typeof COLUMNS)[number], string | null>;

/**
 * Keys the digests of patient data already stored in messages (KeyedDigests): each becomes
 * HMAC(key, old digest), exactly what the service now writes, so duplicates, idempotency
 * replays and reconciliation keep matching rows written before. The key comes from
 * AUDIT_HASH_KEY in the environment of the process that migrates, i.e. the service's own.
 */
export class KeyMessageDigests1764140000001 implements MigrationInterface {
  name = 'KeyMessageDigests1764140000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const key = digestKeyOf(auditConfig().hashKey);
    const manager = queryRunner.manager;
    let afterId = '';
    for (;;) {
      const rows = await rawQuery<DigestRow[]>(
        manager,
        `SELECT "id", ${COLUMNS.map((c) => `"${c}"`).join(', ')} FROM "messages"
         WHERE "id" > ? ORDER BY "id" LIMIT ${BATCH}`,
        [afterId],
      );
      for (const row of rows) {
        await rawQuery(
          manager,
          `UPDATE "messages" SET ${COLUMNS.map((c) => `"${c}" = ?`).join(', ')} WHERE "id" = ?`,
          [...COLUMNS.map((c) => (row[c] === null ? null : keyDigest(key, row[c]))), row.id],
        );
      }
      if (rows.length < BATCH) return;
      afterId = rows[rows.length - 1].id;
    }
  }

  down(): Promise<void> {
    // An HMAC cannot be undone; the plain digests are gone.
    return Promise.resolve();
  }
}
