import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampType } from '../column-types.js';

/** The outbox of events for the clinic's endpoint (Standard Webhooks), one row per event. */
export class CreateEventOutbox1764150000000 implements MigrationInterface {
  name = 'CreateEventOutbox1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'event_outbox',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'payload', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer' },
          { name: 'next_attempt_at', type: timestamp },
          { name: 'claimed_until', type: timestamp, isNullable: true },
          { name: 'give_up_at', type: timestamp },
          { name: 'last_error', type: 'varchar', length: '120', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'delivered_at', type: timestamp, isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'event_outbox',
      new TableIndex({ name: 'idx_event_outbox_due', columnNames: ['status', 'next_attempt_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('event_outbox');
  }
}
