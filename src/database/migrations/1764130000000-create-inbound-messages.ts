import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampType } from '../column-types.js';

/**
 * Messages patients send to our number, one row per provider message id (unique), so a
 * replayed delivery is recognised. Built with the columns the two-way replies will use.
 */
export class CreateInboundMessages1764130000000 implements MigrationInterface {
  name = 'CreateInboundMessages1764130000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'inbound_messages',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'provider_message_id', type: 'varchar', length: '64' },
          { name: 'recipient_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'recipient_masked', type: 'varchar', length: '16', isNullable: true },
          { name: 'matched_message_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'intent', type: 'varchar', length: '32', isNullable: true },
          { name: 'received_at', type: timestampType(queryRunner) },
          { name: 'body', type: 'text', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndices('inbound_messages', [
      new TableIndex({
        name: 'uq_inbound_messages_provider_message_id',
        columnNames: ['provider_message_id'],
        isUnique: true,
      }),
      new TableIndex({
        name: 'idx_inbound_messages_recipient_hash',
        columnNames: ['recipient_hash', 'received_at'],
      }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('inbound_messages');
  }
}
