import type { QueryRunner } from 'typeorm';

/** Timestamps with a zone on PostgreSQL; SQLite has one datetime type. */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
}
