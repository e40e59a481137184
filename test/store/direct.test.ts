/**
 * direct.ts: statements that skip Prisma's client (on SQLite the driver's connection, on PostgreSQL the driver adapter)
 * give the rows Prisma's raw queries give, hash the same for the chain, run inside the transaction whose client they
 * were given (its rollback undoes them), and fail once that transaction has ended instead of running outside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { executeStatement, queryRows } from '../../src/store/direct.js';
import type { Tx } from '../../src/store/prisma.js';
import { withWriteTransaction } from '../../src/store/write.js';
import { SEALED_TABLES } from '../../src/store/chain.repository.js';
import { canonicalJson } from '../../src/domain/chain-hash.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: true });
});
afterAll(async () => app.close());

const at = new Date('2026-11-18T00:30:00.123Z');
const audit = (action: string) =>
  Prisma.sql`INSERT INTO "AuditLog" ("at", "action", "detail", "actorId", "chatRef") VALUES (${at}, ${action}, ${'{}'}, ${null}, ${'test:dm:1'})`;
const audits = (db: Tx, action: string) => db.auditLog.findMany({ where: { action }, select: { at: true, action: true, chatRef: true } });

describe('direct statements', () => {
  it('give the same rows as $queryRaw: integers as numbers, DATETIME as Date, BOOLEAN as boolean, NULL as null', async () => {
    const db = app.deps.db;
    const queries = [
      Prisma.sql`SELECT "id", "name", "role", "active", "townId", "createdAt" FROM "Person" ORDER BY "id" LIMIT 20`,
      Prisma.sql`SELECT "id", "classId", "name", "status", "updatedAt" FROM "Student" WHERE "classId" = ${1} ORDER BY "id"`,
      Prisma.sql`SELECT COUNT(*) AS "n", max("id") AS "top" FROM "Student"`,
    ];
    for (const q of queries) {
      const direct = await queryRows<Record<string, unknown>>(db, q);
      const prisma = await db.$queryRaw<Record<string, unknown>[]>(q);
      expect(direct.length).toBeGreaterThan(0);
      expect(direct.map(numbers)).toEqual(prisma.map(numbers));
    }
    const [person] = await queryRows<{ active: unknown; createdAt: unknown; id: unknown }>(db, queries[0]!);
    expect(typeof person!.id).toBe('number');
    expect(typeof person!.active).toBe('boolean');
    expect(person!.createdAt).toBeInstanceOf(Date);
  });

  it("hash the same: every sealed table's rows (and the roster's) read directly give the chain's canonical JSON Prisma's do", async () => {
    const db = app.deps.db;
    await db.attendanceMark.create({ data: { studentId: 1, date: '2026-11-18', status: 'sick', reportedById: 1, chatRef: 'console:dm:T1', recordedAt: at } });
    await db.classAttendance.create({ data: { classId: 1, date: '2026-11-18', reportedById: 1, chatRef: 'console:dm:T1', recordedAt: at } });
    let compared = 0;
    for (const table of [...SEALED_TABLES.map((t) => t.table), 'Student', 'Person', 'Outbox']) {
      const q = Prisma.sql`SELECT * FROM ${Prisma.raw(`"${table}"`)} ORDER BY "id" LIMIT 200`;
      const prisma = await db.$queryRaw<Record<string, unknown>[]>(q);
      const direct = await queryRows<Record<string, unknown>>(db, q);
      expect(direct.length).toBe(prisma.length);
      prisma.forEach((row, i) => expect(canonicalJson(direct[i]!, Object.keys(row))).toBe(canonicalJson(row, Object.keys(row))));
      compared += prisma.length;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('write values as Prisma does: an instant written directly reads back equal through the Prisma client', async () => {
    const db = app.deps.db;
    expect(await executeStatement(db, audit('direct:root'))).toBe(1);
    expect(await audits(db, 'direct:root')).toEqual([{ at, action: 'direct:root', chatRef: 'test:dm:1' }]);
    const later = await queryRows<{ n: number }>(db, Prisma.sql`SELECT COUNT(*) AS "n" FROM "AuditLog" WHERE "action" = ${'direct:root'} AND "at" >= ${at}`);
    expect(later.map(numbers)).toEqual([{ n: 1 }]);
  });

  it('inside a transaction: runs in it (seen by it, undone by its rollback)', async () => {
    const db = app.deps.db;
    await expect(
      withWriteTransaction(db, async (tx) => {
        expect(await executeStatement(tx, audit('direct:rolled-back'))).toBe(1);
        expect(await queryRows(tx, Prisma.sql`SELECT "action" FROM "AuditLog" WHERE "action" = ${'direct:rolled-back'}`)).toEqual([
          { action: 'direct:rolled-back' },
        ]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await audits(db, 'direct:rolled-back')).toEqual([]);
    await withWriteTransaction(db, async (tx) => void (await executeStatement(tx, audit('direct:committed'))));
    expect(await audits(db, 'direct:committed')).toHaveLength(1);
  });

  it('a transaction opened without the helpers (db.$transaction) is found by the marker and runs in it too', async () => {
    const db = app.deps.db;
    await expect(
      db.$transaction(async (tx) => {
        await executeStatement(tx, audit('direct:plain'));
        expect(await queryRows(tx, Prisma.sql`SELECT "action" FROM "AuditLog" WHERE "action" = ${'direct:plain'}`)).toEqual([{ action: 'direct:plain' }]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await audits(db, 'direct:plain')).toEqual([]);
  });

  it("a transaction's client used after the transaction ended fails and writes nothing", async () => {
    const db = app.deps.db;
    let stale: Tx | undefined;
    await withWriteTransaction(db, async (tx) => {
      stale = tx;
      await queryRows(tx, Prisma.sql`SELECT 1 AS "one"`);
    });
    await expect(executeStatement(stale!, audit('direct:late'))).rejects.toThrow(/direct statement after its transaction ended/);
    expect(await audits(db, 'direct:late')).toEqual([]);
  });

  it('two transactions side by side each get their own rows (the marker names each)', async () => {
    const db = app.deps.db;
    const one = withWriteTransaction(db, async (tx) => {
      await executeStatement(tx, audit('direct:one'));
      return queryRows<{ action: string }>(tx, Prisma.sql`SELECT "action" FROM "AuditLog" WHERE "action" LIKE ${'direct:t%'} OR "action" = ${'direct:one'}`);
    });
    const two = withWriteTransaction(db, async (tx) => {
      await executeStatement(tx, audit('direct:two'));
      return queryRows<{ action: string }>(tx, Prisma.sql`SELECT "action" FROM "AuditLog" WHERE "action" = ${'direct:two'}`);
    });
    const [a, b] = await Promise.all([one, two]);
    expect(a).toEqual([{ action: 'direct:one' }]);
    expect(b).toEqual([{ action: 'direct:two' }]);
  });
});

/** bigint and number compare equal (Prisma's raw queries may give either for an integer column). */
function numbers(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
}
