/**
 * What sealing adds to a write transaction, counted as the statements SQLite runs (sorted): one query when nothing new;
 * a page and an insert per table with new rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { sealInTransaction } from '../../src/store/chain.repository.js';
import type { Tx } from '../../src/store/prisma.js';
import { queryRows } from '../../src/store/direct.js';
import { Prisma } from '../../generated/prisma/client.js';
import { executedBySql } from '../../scripts/bench/count-executions.js';
import { withWriteTransaction } from '../../src/store/write.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => app?.close());

/** The statements SQLite ran while sealing (their first words), but the one that finds the transaction (direct.ts). */
async function sealCounted(write: (tx: Tx) => Promise<unknown>): Promise<string[]> {
  return withWriteTransaction(
    app.deps.db,
    async (tx) => {
      await write(tx);
      await queryRows(tx, Prisma.sql`SELECT 1 AS "one"`); // the transaction found before counting
      const before = new Map(executedBySql());
      await sealInTransaction(app.deps.db, tx);
      return executedBySql()
        .filter(([sql, n]) => n > (before.get(sql) ?? 0))
        .flatMap(([sql, n]) => Array.from({ length: n - (before.get(sql) ?? 0) }, () => kind(sql)))
        .sort();
    },
    { seal: false },
  );
}

/** A statement by what it does: the chain's state, or its verb and first table (SELECT AttendanceMark, INSERT ChainEntry). */
function kind(sql: string): string {
  if (/ AS "t"/.test(sql)) return 'state';
  const verb = /^\s*(\w+)/.exec(sql)?.[1] ?? '?';
  const table = /(?:FROM|INTO)\s+[`"]?(?:main[`"]?\.[`"]?)?(\w+)/i.exec(sql)?.[1] ?? '?';
  return `${verb} ${table}`;
}

const mark = (tx: Tx, date: string) =>
  tx.attendanceMark.create({ data: { studentId: 1, date, status: 'sick', reportedById: 1, chatRef: 'console:dm:T1', recordedAt: new Date() } });

const rollCall = (tx: Tx) =>
  tx.classAttendance.create({ data: { classId: 1, date: '2026-11-20', reportedById: 1, chatRef: 'console:dm:T1', recordedAt: new Date() } });

describe('queries sealing adds to a write transaction', () => {
  it('nothing new written: one query', async () => {
    expect(await sealCounted(async () => undefined)).toEqual(['state']);
  });

  it('the first mark and roll call: state, the layouts (read, written), a page per table, the entries; the reopen observer asks once for confirmed months', async () => {
    const calls = await sealCounted(async (tx) => {
      await mark(tx, '2026-11-18');
      await rollCall(tx);
    });
    expect(calls).toEqual([
      'INSERT ChainEntry',
      'INSERT ChainLayout',
      'SELECT AttendanceMark',
      'SELECT ChainLayout',
      'SELECT ClassAttendance',
      'SELECT MonthlyConfirmation',
      'state',
    ]);
  });

  it('a later mark and a roll call: state, one page per table, one insert, the observer: 5 queries', async () => {
    const calls = await sealCounted(async (tx) => {
      await mark(tx, '2026-11-19');
      await mark(tx, '2026-11-20');
      await rollCall(tx);
    });
    expect(calls).toEqual(['INSERT ChainEntry', 'SELECT AttendanceMark', 'SELECT ClassAttendance', 'SELECT MonthlyConfirmation', 'state']);
  });
});
