import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const hasPostgres = Boolean(process.env.DATABASE_URL);

/** describe() when DATABASE_URL is set, describe.skip() otherwise (npm test says which were skipped). */
export const describeWithPostgres = hasPostgres ? describe : describe.skip;

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on the server DATABASE_URL points at, so suites never share tables and
 * can run in parallel; dropped afterwards.
 */
export async function createScratchPostgres(prefix = 'test'): Promise<ScratchDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
