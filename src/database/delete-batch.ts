import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** A condition on one row of a table, with named parameters (`:cutoff`, `:...states`). */
export interface RowCondition {
  /** The SQL, given how to name the row's table: `${row}."created_at" < :cutoff`. */
  sql: (row: string) => string;
  parameters: ObjectLiteral;
}

/**
 * Deletes at most `limit` rows of `target` that match `condition`, in one statement on both
 * databases (SQLite has no DELETE ... LIMIT): a subquery picks the rows by primary key, and
 * the DELETE applies the condition to each row again, so on PostgreSQL a row that a concurrent
 * transaction changed after the subquery read it (an opt-in that became an opt-out, say) is
 * deleted only if it still matches. Returns how many rows went.
 */
export async function deleteBatch<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  condition: RowCondition,
  limit: number,
): Promise<number> {
  const metadata = manager.connection.getMetadata(target);
  if (metadata.primaryColumns.length !== 1) {
    throw new Error(`${metadata.name} needs a single-column primary key for deleteBatch()`);
  }
  const table = `"${metadata.tableName}"`;
  const key = `"${metadata.primaryColumns[0].databaseName}"`;
  const picked =
    `SELECT "picked".${key} FROM ${table} "picked" ` +
    `WHERE ${condition.sql('"picked"')} LIMIT ${Math.trunc(limit)}`;
  const result = await manager
    .createQueryBuilder()
    .delete()
    .from(target)
    .where(`${table}.${key} IN (${picked}) AND ${condition.sql(table)}`)
    .setParameters(condition.parameters)
    .execute();
  return result.affected ?? 0;
}
