/**
 * Write transactions asked for together share one (write-group.ts): one transaction for the lot, each caller gets its
 * own result after the commit; one that fails has its writes undone and its error, the others keep theirs, also when
 * its failure breaks the statement (on PostgreSQL an error aborts the transaction until rolled back to a savepoint);
 * a batch that cannot commit runs each alone; a batch that has run its time leaves the rest to the next. On both
 * databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { executeStatement } from '../../src/store/direct.js';
import type { Tx } from '../../src/store/prisma.js';
import { BATCH_BUDGET_MS, withSharedWriteTransaction } from '../../src/store/write-group.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => app.close());

const at = new Date('2026-11-18T00:30:00.123Z');
const audit = (tx: Tx, action: string) =>
  executeStatement(
    tx,
    Prisma.sql`INSERT INTO "AuditLog" ("at", "action", "detail", "actorId", "chatRef") VALUES (${at}, ${action}, ${'{}'}, ${null}, ${'test:dm:1'})`,
  );
const count = (action: string) => app.deps.db.auditLog.count({ where: { action } });

describe('shared write transactions', () => {
  it('asked for together: one transaction, each caller its own result once committed', async () => {
    const db = app.deps.db;
    const seen: Tx[] = [];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        withSharedWriteTransaction(db, async (tx) => {
          seen.push(tx);
          await audit(tx, 'shared');
          return i * 10;
        }),
      ),
    );
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
    expect(new Set(seen).size).toBe(1);
    expect(await count('shared')).toBe(6);
  });

  it('a batch that has run its time takes no more: the rest share the next one, each still answered', async () => {
    const db = app.deps.db;
    const seen: Tx[] = [];
    const slow = (i: number) =>
      withSharedWriteTransaction(db, async (tx) => {
        seen.push(tx);
        await audit(tx, 'slow');
        await new Promise((r) => setTimeout(r, BATCH_BUDGET_MS * 0.6));
        return i;
      });
    expect(await Promise.all([slow(0), slow(1), slow(2), slow(3)])).toEqual([0, 1, 2, 3]);
    // 0 and 1 start within the budget, 2 does not: two transactions of two.
    expect(seen.map((tx) => seen.indexOf(tx))).toEqual([0, 0, 2, 2]);
    expect(await count('slow')).toBe(4);
  });

  it('one that fails (a thrown error, a statement the database rejects) is undone alone and gets its own error', async () => {
    const db = app.deps.db;
    let keptRuns = 0;
    const settled = await Promise.allSettled([
      withSharedWriteTransaction(db, (tx) => (keptRuns++, audit(tx, 'kept'))),
      withSharedWriteTransaction(db, async (tx) => {
        await audit(tx, 'undone');
        throw new Error('refused on purpose');
      }),
      withSharedWriteTransaction(db, async (tx) => {
        await audit(tx, 'undone');
        // On PostgreSQL this aborts the whole transaction until it is rolled back to this caller's savepoint.
        await executeStatement(tx, Prisma.sql`INSERT INTO "AuditLog" ("at", "noSuchColumn") VALUES (${at}, ${1})`);
      }),
      withSharedWriteTransaction(db, async (tx) => {
        keptRuns++;
        await audit(tx, 'kept');
        return 'after the failures';
      }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(((settled[1] as PromiseRejectedResult).reason as Error).message).toBe('refused on purpose');
    expect((settled[3] as PromiseFulfilledResult<string>).value).toBe('after the failures');
    expect(await count('kept')).toBe(2);
    expect(keptRuns).toBe(2); // in the one transaction, not again alone
    expect(await count('undone')).toBe(0);
  });

  it('a batch that cannot commit runs each function again alone', async () => {
    const db = app.deps.db;
    const runs = { good: 0, breaking: 0 };
    const settled = await Promise.allSettled([
      withSharedWriteTransaction(db, async (tx) => {
        runs.good++;
        await audit(tx, 'alone');
      }),
      withSharedWriteTransaction(db, async (tx) => {
        runs.breaking++;
        // Ends the transaction under everyone's feet: its savepoint is gone, so the batch cannot go on.
        await executeStatement(tx, Prisma.raw('ROLLBACK'));
        throw new Error('broke the transaction');
      }),
      withSharedWriteTransaction(db, async (tx) => {
        runs.good++;
        await audit(tx, 'alone');
      }),
    ]);
    expect(settled[0]!.status).toBe('fulfilled');
    expect(settled[1]!.status).toBe('rejected');
    expect(settled[2]!.status).toBe('fulfilled');
    expect(runs.breaking).toBeGreaterThanOrEqual(2); // in the batch, then alone
    expect(await count('alone')).toBe(2);
    // Still usable afterwards.
    expect(await withSharedWriteTransaction(db, async (tx) => (await audit(tx, 'after'), 'ok'))).toBe('ok');
    expect(await count('after')).toBe(1);
  });
});
