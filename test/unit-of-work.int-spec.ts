import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import { rawQuery } from '../src/database/direct-sql.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { AuditLogService } from '../src/audit/audit-log.service.js';
import { MessageStore, type NewMessage } from '../src/messages/message.store.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { newMessage } from './support/message-database.js';
import { createTestApp } from './support/test-app.js';

/** Group commit: units queued together share one transaction, each in its own savepoint. */
function unitOfWorkSpec(env: () => Record<string, string>) {
  let app: INestApplication;
  let unitOfWork: UnitOfWork;
  let store: MessageStore;
  let dataSource: DataSource;
  beforeAll(async () => {
    app = await createTestApp({ env: env() });
    unitOfWork = app.get(UnitOfWork);
    store = app.get(MessageStore);
    dataSource = app.get(DataSource);
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const insert = (row: NewMessage) => (manager: EntityManager) => store.claim(manager, row);
  /** Read outside any unit: on PostgreSQL another pooled connection sees committed rows only. */
  const stored = async (id: string) =>
    (await rawQuery<unknown[]>(dataSource.manager, 'SELECT 1 FROM "messages" WHERE "id" = ?', [id]))
      .length === 1;

  it('commits the units queued in one turn in one transaction, and rolls back only the one that threw', async () => {
    const transactions = jest.spyOn(dataSource, 'transaction');
    const [a, b, c] = [newMessage(), newMessage(), newMessage()];
    const results = await Promise.allSettled([
      unitOfWork.run(insert(a)),
      unitOfWork.run(async (manager) => {
        await insert(b)(manager);
        throw new Error('refused after writing');
      }),
      unitOfWork.run(insert(c)),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(
      new Error('refused after writing'),
    );
    expect(transactions).toHaveBeenCalledTimes(1);
    expect([await stored(a.id), await stored(b.id), await stored(c.id)]).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('keeps the audit chain whole when a unit of a batch rolls back after appending', async () => {
    const audit = app.get(AuditLogService);
    const append = (manager: EntityManager, outcome: 'success' | 'failure') =>
      audit.append({ actor: 'agent', action: 'sms.requested', outcome }, manager);
    const results = await Promise.allSettled([
      unitOfWork.run((manager) => append(manager, 'success')),
      unitOfWork.run(async (manager) => {
        await append(manager, 'failure');
        throw new Error('refused after appending');
      }),
      unitOfWork.run((manager) => append(manager, 'success')),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const [first, , third] = results as PromiseFulfilledResult<{ seq: number }>[];
    expect(third.value.seq).toBe(first.value.seq + 1);
    expect(await audit.verify()).toMatchObject({ ok: true, last_seq: third.value.seq });
  });

  it('runs a unit of work opened inside another as part of it, so it never waits for itself', async () => {
    const audit = app.get(AuditLogService);
    const row = newMessage();
    const appended = await unitOfWork.run(async (manager) => {
      await insert(row)(manager);
      // append() without a manager opens a unit of work of its own: here, nested in this one.
      return audit.append({ actor: 'agent', action: 'sms.requested', outcome: 'success' });
    });
    expect(await stored(row.id)).toBe(true);
    expect(await audit.verify()).toMatchObject({ ok: true, last_seq: appended.seq });
  });

  it('answers a unit only once its batch is committed', async () => {
    const [a, b] = [newMessage(), newMessage()];
    const seenWhenResolved = unitOfWork.run(insert(a)).then(() => stored(a.id));
    const later = unitOfWork.run(insert(b));
    expect(await seenWhenResolved).toBe(true);
    await later;
  });

  it('fails every unit of a batch whose commit fails, and keeps none of their writes', async () => {
    const [a, b] = [newMessage(), newMessage()];
    const original = dataSource.transaction.bind(dataSource) as (
      work: (manager: EntityManager) => Promise<unknown>,
    ) => Promise<unknown>;
    jest.spyOn(dataSource, 'transaction').mockImplementationOnce(((
      work: (manager: EntityManager) => Promise<unknown>,
    ) =>
      original(async (manager) => {
        await work(manager);
        // What a failing COMMIT looks like to the batch: the whole transaction rolls back.
        throw new Error('disk I/O error');
      })) as never);
    const results = await Promise.allSettled([
      unitOfWork.run(insert(a)),
      unitOfWork.run(insert(b)),
    ]);
    expect(results).toEqual([
      { status: 'rejected', reason: new Error('disk I/O error') },
      { status: 'rejected', reason: new Error('disk I/O error') },
    ]);
    expect([await stored(a.id), await stored(b.id)]).toEqual([false, false]);
  });

  it("runs each unit in its caller's async context, and lets a unit open one of its own", async () => {
    const context = new AsyncLocalStorage<string>();
    const seen = await Promise.all(
      ['first request', 'second request'].map((name) =>
        context.run(name, () =>
          unitOfWork.run(async () => {
            const inner = await unitOfWork.run(() => Promise.resolve(context.getStore()));
            return [context.getStore(), inner];
          }),
        ),
      ),
    );
    expect(seen).toEqual([
      ['first request', 'first request'],
      ['second request', 'second request'],
    ]);
  });
}

describe('unit of work on SQLite (file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-uow-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  unitOfWorkSpec(() => ({ SQLITE_PATH: join(dir, 'gateway.sqlite') }));
});

describeWithPostgres('unit of work on PostgreSQL', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchPostgres('unit_of_work');
  });
  afterAll(async () => {
    await db.drop();
  });
  unitOfWorkSpec(() => ({ DATABASE_URL: db.url }));
});
