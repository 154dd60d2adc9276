import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/*
 * Plain parametrised statements for the few writes and reads on every send (claim, settle, the
 * audit chain head and append, the consent check), built from TypeORM's own entity metadata.
 * Measured on the send path (bench/RESULTS.md): the query builder spent about 1 ms a send
 * building SQL and re-reading each inserted row, and TypeORM's SQLite driver writes numeric
 * parameters into the SQL text, so every audit INSERT (a new seq) was a statement better-sqlite3
 * had to prepare again. Values still go through the driver's preparePersistentValue, so a row
 * is stored exactly as the repository API would store it. Everything else uses TypeORM as usual.
 */

const statements = new WeakMap<EntityMetadata, Map<string, string>>();

/** The statement for this entity and shape, built once. */
function cached(metadata: EntityMetadata, shape: string, build: () => string): string {
  let byShape = statements.get(metadata);
  if (!byShape) statements.set(metadata, (byShape = new Map()));
  let sql = byShape.get(shape);
  if (sql === undefined) byShape.set(shape, (sql = build()));
  return sql;
}

function placeholder(manager: EntityManager, index: number): string {
  return manager.connection.driver.options.type === 'postgres' ? `$${index + 1}` : '?';
}

function columnsOf(metadata: EntityMetadata, properties: string[]) {
  return properties.map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no column for "${property}"`);
    return column;
  });
}

function definedKeys(values: ObjectLiteral): string[] {
  return Object.keys(values).filter((key) => values[key] !== undefined);
}

/**
 * `?` placeholders in, the driver's out ($1, $2… on PostgreSQL). For hand-written SQL that
 * quotes its identifiers ("seq") so it reads the same on both databases; every `?` is taken
 * for a placeholder, so the SQL must hold no `?` in a literal.
 */
export function rawQuery<T>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<T> {
  let index = 0;
  const text =
    manager.connection.driver.options.type === 'postgres'
      ? sql.replace(/\?/g, () => placeholder(manager, index++))
      : sql;
  return manager.query<T>(text, parameters);
}

/**
 * INSERT of the given properties (undefined ones are left to the column default). Unlike
 * manager.insert() it does not read the row back: the caller already holds its values.
 */
export async function insertRow<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  values: Partial<Entity>,
): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const properties = definedKeys(values);
  const columns = columnsOf(metadata, properties);
  const sql = cached(metadata, `insert:${properties.join(',')}`, () => {
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    const slots = columns.map((_, index) => placeholder(manager, index)).join(', ');
    return `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES (${slots})`;
  });
  const parameters = columns.map((column, index) =>
    driver.preparePersistentValue(values[properties[index] as keyof Entity], column),
  );
  await manager.query(sql, parameters);
}

/**
 * UPDATE of the given properties on the row with this primary key; bumps the entity's
 * @UpdateDateColumn the way the repository API does.
 */
export async function updateRow<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  id: string | number,
  values: Partial<Entity>,
): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const [primary] = metadata.primaryColumns;
  if (metadata.primaryColumns.length !== 1) {
    throw new Error(`${metadata.name} needs a single-column primary key for updateRow()`);
  }
  const properties = definedKeys(values);
  const columns = columnsOf(metadata, properties);
  const sql = cached(metadata, `update:${properties.join(',')}`, () => {
    const assignments = columns.map(
      (column, index) => `${driver.escape(column.databaseName)} = ${placeholder(manager, index)}`,
    );
    const updated = metadata.updateDateColumn;
    if (updated && !columns.includes(updated)) {
      assignments.push(`${driver.escape(updated.databaseName)} = CURRENT_TIMESTAMP`);
    }
    const where = `${driver.escape(primary.databaseName)} = ${placeholder(manager, columns.length)}`;
    return `UPDATE ${driver.escape(metadata.tableName)} SET ${assignments.join(', ')} WHERE ${where}`;
  });
  const parameters = columns.map((column, index) =>
    driver.preparePersistentValue(values[properties[index] as keyof Entity], column),
  );
  parameters.push(driver.preparePersistentValue(id, primary));
  await manager.query(sql, parameters);
}

/**
 * The first row whose `where` columns equal the given values, with the given properties read
 * back as the repository API would hydrate them (dates as Date on both databases); null when
 * there is none. For the reads on every send, where findOneBy's query building costs more
 * than the read.
 */
export async function findRow<Entity extends ObjectLiteral, K extends keyof Entity & string>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  where: Partial<Entity>,
  properties: readonly K[],
): Promise<Pick<Entity, K> | null> {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const keys = definedKeys(where);
  const selected = columnsOf(metadata, [...properties]);
  const filters = columnsOf(metadata, keys);
  const sql = cached(metadata, `find:${properties.join(',')}:${keys.join(',')}`, () => {
    const names = selected.map((column) => driver.escape(column.databaseName)).join(', ');
    const conditions = filters
      .map(
        (column, index) => `${driver.escape(column.databaseName)} = ${placeholder(manager, index)}`,
      )
      .join(' AND ');
    return `SELECT ${names} FROM ${driver.escape(metadata.tableName)} WHERE ${conditions} LIMIT 1`;
  });
  const parameters = filters.map((column, index) =>
    driver.preparePersistentValue(where[keys[index] as keyof Entity], column),
  );
  const [raw] = await manager.query<Record<string, unknown>[]>(sql, parameters);
  if (!raw) return null;
  const row = {} as Pick<Entity, K>;
  selected.forEach((column, index) => {
    row[properties[index]] = driver.prepareHydratedValue(raw[column.databaseName], column);
  });
  return row;
}
