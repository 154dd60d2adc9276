import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The text of a scheduled message, kept only until it goes out, is canceled or expires: the
 * dispatcher must send it later, and messages never holds a text.
 */
export class CreateScheduledTexts1764110000000 implements MigrationInterface {
  name = 'CreateScheduledTexts1764110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'scheduled_texts',
        columns: [
          { name: 'message_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'body', type: 'text' },
          { name: 'media_url', type: 'varchar', length: '2048', isNullable: true },
        ],
      }),
    );
    // The dispatcher's query: due rows by status and time.
    await queryRunner.createIndex(
      'messages',
      new TableIndex({ name: 'idx_messages_status_send_at', columnNames: ['status', 'send_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', 'idx_messages_status_send_at');
    await queryRunner.dropTable('scheduled_texts');
  }
}
