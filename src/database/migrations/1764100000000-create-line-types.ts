import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampType } from '../column-types.js';

/** The line type cache, keyed by recipient hash: no phone number is stored. */
export class CreateLineTypes1764100000000 implements MigrationInterface {
  name = 'CreateLineTypes1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'line_types',
        columns: [
          { name: 'recipient_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'type', type: 'varchar', length: '16' },
          { name: 'carrier', type: 'varchar', length: '128', isNullable: true },
          { name: 'checked_at', type: timestampType(queryRunner) },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('line_types');
  }
}
