import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** An appointment reminder points at its confirmation, so canceling one cancels both. */
export class AddReminderOf1764120000000 implements MigrationInterface {
  name = 'AddReminderOf1764120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'messages',
      new TableColumn({ name: 'reminder_of', type: 'varchar', length: '36', isNullable: true }),
    );
    await queryRunner.createIndex(
      'messages',
      new TableIndex({ name: 'idx_messages_reminder_of', columnNames: ['reminder_of'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', 'idx_messages_reminder_of');
    await queryRunner.dropColumn('messages', 'reminder_of');
  }
}
