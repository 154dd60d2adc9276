import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampType } from '../column-types.js';

export class CreateAuditEvents1764070000000 implements MigrationInterface {
  name = 'CreateAuditEvents1764070000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'seq', type: 'bigint', isPrimary: true },
          { name: 'at', type: timestampType(queryRunner) },
          { name: 'actor', type: 'varchar', length: '64' },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'message_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'recipient_masked', type: 'varchar', length: '16', isNullable: true },
          { name: 'recipient_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'request_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'conversation_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'details', type: 'text', isNullable: true },
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
      }),
    );
    await queryRunner.createIndices('audit_events', [
      new TableIndex({ name: 'idx_audit_events_at', columnNames: ['at'] }),
      new TableIndex({ name: 'idx_audit_events_action', columnNames: ['action', 'seq'] }),
      new TableIndex({ name: 'idx_audit_events_message', columnNames: ['message_id', 'seq'] }),
      new TableIndex({
        name: 'idx_audit_events_conversation',
        columnNames: ['conversation_id', 'seq'],
      }),
      new TableIndex({
        name: 'idx_audit_events_recipient',
        columnNames: ['recipient_hash', 'seq'],
      }),
    ]);
    // Append only at the storage layer too: no statement may change a stored event. The
    // schema builder has no triggers, hence the one dialect-specific statement per database.
    if (queryRunner.connection.driver.options.type === 'postgres') {
      await queryRunner.query(
        `CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$`,
      );
      await queryRunner.query(
        `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
         FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
      );
    } else {
      await queryRunner.query(
        `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
         BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
    if (queryRunner.connection.driver.options.type === 'postgres') {
      await queryRunner.query('DROP FUNCTION IF EXISTS audit_events_append_only()');
    }
  }
}
