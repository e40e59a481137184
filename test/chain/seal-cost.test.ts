/** What sealing adds to a write transaction, counted: one query when nothing new; a page and an insert per table with new rows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { sealInTransaction } from '../../src/store/chain.repository.js';
import type { Tx } from '../../src/store/prisma.js';
import { withWriteTransaction } from '../../src/store/write.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => app?.close());

/** The transaction with every call on it (raw queries, model calls) counted. */
function counting(tx: Tx): { tx: Tx; calls: string[] } {
  const calls: string[] = [];
  const wrap = (target: object, path: string): object =>
    new Proxy(target, {
      get(t, key, receiver) {
        const v = Reflect.get(t, key, receiver) as unknown;
        if (typeof key !== 'string') return v;
        if (typeof v === 'function') return (...args: unknown[]) => (calls.push(`${path}${key}`), (v as (...a: unknown[]) => unknown).apply(t, args));
        if (v && typeof v === 'object' && !key.startsWith('_')) return wrap(v, `${key}.`);
        return v;
      },
    });
  return { tx: wrap(tx, '') as Tx, calls };
}

async function sealCounted(write: (tx: Tx) => Promise<unknown>): Promise<string[]> {
  return withWriteTransaction(
    app.deps.db,
    async (tx) => {
      await write(tx);
      const c = counting(tx);
      await sealInTransaction(app.deps.db, c.tx);
      return c.calls;
    },
    { seal: false },
  );
}

const mark = (tx: Tx, date: string) =>
  tx.attendanceMark.create({ data: { studentId: 1, date, status: 'sick', reportedById: 1, chatRef: 'console:dm:T1', recordedAt: new Date() } });

const rollCall = (tx: Tx) =>
  tx.classAttendance.create({ data: { classId: 1, date: '2026-11-20', reportedById: 1, chatRef: 'console:dm:T1', recordedAt: new Date() } });

describe('queries sealing adds to a write transaction', () => {
  it('nothing new written: one query', async () => {
    expect(await sealCounted(async () => undefined)).toEqual(['$queryRaw']);
  });

  it('the first mark and roll call: state, the layouts (read, written), a page per table, the entries; the reopen observer asks once for confirmed months', async () => {
    const calls = await sealCounted(async (tx) => {
      await mark(tx, '2026-11-18');
      await rollCall(tx);
    });
    expect(calls).toEqual(['$queryRaw', '$queryRaw', '$queryRaw', '$queryRaw', '$queryRaw', '$executeRaw', 'monthlyConfirmation.findMany']);
  });

  it('a later mark and a roll call: state, one page per table, one insert, the observer: 5 queries', async () => {
    const calls = await sealCounted(async (tx) => {
      await mark(tx, '2026-11-19');
      await mark(tx, '2026-11-20');
      await rollCall(tx);
    });
    expect(calls).toEqual(['$queryRaw', '$queryRaw', '$queryRaw', '$executeRaw', 'monthlyConfirmation.findMany']);
  });
});
