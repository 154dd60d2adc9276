import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** What exactly-once sends need: the automatic duplicate key and the status code to replay. */
export class AddSendDedupe1764080000000 implements MigrationInterface {
  name = 'AddSendDedupe1764080000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('messages', [
      new TableColumn({ name: 'dedupe_key', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'response_status', type: 'integer', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'messages',
      new TableIndex({
        name: 'uq_messages_dedupe_key',
        columnNames: ['dedupe_key'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', 'uq_messages_dedupe_key');
    await queryRunner.dropColumns('messages', ['dedupe_key', 'response_status']);
  }
}
