/**
 * Property: any sequence of write transactions (marks, corrections, roll calls, weekly counts, register changes, some
 * rolled back) leaves a chain that verifies intact; then any single edit of one cell of one sealed row, made with plain
 * SQL, is named by verify as exactly that row.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { verifyChain } from '../../src/services/audit-chain.js';
import { withWriteTransaction } from '../../src/store/write.js';
import type { Tx } from '../../src/store/prisma.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => app?.close());

type Write = (tx: Tx, n: number) => Promise<unknown>;
const at = new Date('2026-11-20T01:00:00Z');
const WRITES: Write[] = [
  (tx, n) => tx.attendanceMark.create({ data: { studentId: n, date: '2026-11-20', status: 'truant', reportedById: 1, chatRef: 'console:dm', recordedAt: at } }),
  (tx, n) =>
    tx.attendanceMark.create({
      data: { studentId: n, date: '2026-11-19', status: 'sick', note: `备注${n}`, reportedById: 2, chatRef: 'console:群', recordedAt: at, supersedesId: n },
    }),
  (tx, n) => tx.classAttendance.create({ data: { classId: n, date: '2026-11-20', reportedById: 1, chatRef: 'console:群', recordedAt: at } }),
  (tx, n) =>
    tx.weeklyCount.create({
      data: { classId: n, week: '2026-W47', enrolled: 40 + n, present: 40, rawText: `应到${40 + n}`, reportedById: 1, chatRef: 'console:群', recordedAt: at },
    }),
  (tx, n) => tx.registerEvent.create({ data: { studentId: n, change: 'suspended', on: '2026-11-20', byId: 3, recordedAt: at } }),
];
const TABLES = ['AttendanceMark', 'ClassAttendance', 'WeeklyCount', 'RegisterEvent'];

const step = fc.record({
  kinds: fc.array(fc.nat(WRITES.length - 1), { minLength: 1, maxLength: 6 }),
  n: fc.integer({ min: 1, max: 99 }),
  rollBack: fc.boolean(),
});

describe('any writes, then verify', () => {
  it('is intact after any sequence of writes; any single-cell edit of a sealed row is named', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), fc.nat(), fc.nat(), async (steps, pickRow, pickCol) => {
        for (const s of steps) {
          await withWriteTransaction(app.deps.db, async (tx) => {
            for (const k of s.kinds) await WRITES[k]!(tx, s.n);
            if (s.rollBack) throw new Error('rolled back');
          }).catch((e: Error) => expect(e.message).toBe('rolled back'));
        }
        const intact = await verifyChain(app.deps.db);
        expect(intact.problem).toBeUndefined();
        expect(intact.unsealed).toBe(0);
        const sealed = await app.deps.db.chainEntry.findMany({ where: { tableName: { in: TABLES } }, orderBy: { id: 'asc' } });
        fc.pre(sealed.length > 0);
        const e = sealed[pickRow % sealed.length]!;
        const db = new Database(path.join(app.dir, 'test.db'));
        try {
          const columns = (db.prepare(`PRAGMA table_info("${e.tableName}")`).all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id');
          const col = columns[pickCol % columns.length]!;
          const before = (db.prepare(`SELECT "${col}" AS v FROM "${e.tableName}" WHERE "id" = ?`).get(e.rowId) as { v: unknown }).v;
          db.prepare(
            `UPDATE "${e.tableName}" SET "${col}" = CASE typeof("${col}") WHEN 'integer' THEN "${col}" + 1 WHEN 'real' THEN "${col}" + 0.5 WHEN 'text' THEN "${col}" || 'x' ELSE 'x' END WHERE "id" = ?`,
          ).run(e.rowId);
          const r = await verifyChain(app.deps.db);
          expect(r.problem).toEqual({ what: 'edited', entryId: e.id, table: e.tableName, rowId: e.rowId });
          db.prepare(`UPDATE "${e.tableName}" SET "${col}" = ? WHERE "id" = ?`).run(before, e.rowId);
        } finally {
          db.close();
        }
        expect((await verifyChain(app.deps.db)).problem).toBeUndefined();
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
