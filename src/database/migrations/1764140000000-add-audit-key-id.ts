import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The chain becomes an HMAC with a key outside the database: each event names the key that
 * signed it. Existing rows keep key_id NULL (unkeyed, version 1); the service re-anchors the
 * chain on them at its next start (audit.reanchored). A plain ADD COLUMN on both databases:
 * TypeORM's addColumn would rebuild the SQLite table and drop its append-only trigger.
 */
export class AddAuditKeyId1764140000000 implements MigrationInterface {
  name = 'AddAuditKeyId1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE audit_events ADD COLUMN key_id varchar(16) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE audit_events DROP COLUMN key_id');
  }
}
