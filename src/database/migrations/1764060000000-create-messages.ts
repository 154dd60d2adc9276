import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampType } from '../column-types.js';

export class CreateMessages1764060000000 implements MigrationInterface {
  name = 'CreateMessages1764060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'messages',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tool', type: 'varchar', length: '64' },
          { name: 'api_key_name', type: 'varchar', length: '64' },
          { name: 'idempotency_key', type: 'varchar', length: '255', isNullable: true },
          { name: 'request_fingerprint', type: 'varchar', length: '64', isNullable: true },
          { name: 'recipient', type: 'varchar', length: '20' },
          { name: 'recipient_hash', type: 'varchar', length: '64' },
          { name: 'body_sha256', type: 'varchar', length: '64' },
          { name: 'segments', type: 'integer' },
          { name: 'encoding', type: 'varchar', length: '8' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'transport', type: 'varchar', length: '16' },
          { name: 'provider_sid', type: 'varchar', length: '64', isNullable: true },
          { name: 'error_code', type: 'varchar', length: '64', isNullable: true },
          { name: 'conversation_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'caller_id', type: 'varchar', length: '32', isNullable: true },
          { name: 'agent_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'send_at', type: ts, isNullable: true },
          { name: 'response', type: 'text', isNullable: true },
          { name: 'created_at', type: ts, default: 'CURRENT_TIMESTAMP' },
          { name: 'updated_at', type: ts, default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    );
    await queryRunner.createIndices('messages', [
      new TableIndex({
        name: 'uq_messages_idempotency',
        columnNames: ['api_key_name', 'idempotency_key'],
        isUnique: true,
      }),
      new TableIndex({ name: 'idx_messages_recipient_hash', columnNames: ['recipient_hash'] }),
      new TableIndex({ name: 'idx_messages_provider_sid', columnNames: ['provider_sid'] }),
      new TableIndex({ name: 'idx_messages_created_at', columnNames: ['created_at'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('messages');
  }
}
