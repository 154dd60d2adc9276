import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampType } from '../column-types.js';

/** The consent registry: the current state per number, and every change (append only). */
export class CreateConsents1764090000000 implements MigrationInterface {
  name = 'CreateConsents1764090000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'consents',
        columns: [
          { name: 'recipient_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'recipient', type: 'varchar', length: '20' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'source', type: 'varchar', length: '32' },
          { name: 'keyword', type: 'varchar', length: '16', isNullable: true },
          { name: 'reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'actor', type: 'varchar', length: '64' },
          { name: 'changed_at', type: ts },
          { name: 'audit_seq', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'consent_changes',
        columns: [
          { name: 'audit_seq', type: 'bigint', isPrimary: true },
          { name: 'recipient_hash', type: 'varchar', length: '64' },
          { name: 'recipient_masked', type: 'varchar', length: '16' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'previous_state', type: 'varchar', length: '16', isNullable: true },
          { name: 'source', type: 'varchar', length: '32' },
          { name: 'keyword', type: 'varchar', length: '16', isNullable: true },
          { name: 'reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'actor', type: 'varchar', length: '64' },
          { name: 'conversation_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'changed_at', type: ts },
        ],
      }),
    );
    await queryRunner.createIndices('consent_changes', [
      new TableIndex({
        name: 'idx_consent_changes_recipient',
        columnNames: ['recipient_hash', 'audit_seq'],
      }),
      new TableIndex({ name: 'idx_consent_changes_changed_at', columnNames: ['changed_at'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('consent_changes');
    await queryRunner.dropTable('consents');
  }
}
