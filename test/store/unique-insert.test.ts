/**
 * An insert that meets an existing unique key answers false and writes nothing, and the transaction around it goes on
 * (on PostgreSQL a failed statement would abort it without the savepoint); outside a transaction too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { insertUnlessDuplicate } from '../../src/store/unique-insert.js';
import { withWriteTransaction } from '../../src/store/write.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => app.close());

const ledger = (key: string) => ({
  key,
  duty: 'test',
  period: '2026-11',
  target: '-',
  dueAt: new Date('2026-11-20T01:00:00Z'),
  ranAt: new Date('2026-11-20T01:00:00Z'),
  outcome: 'sent',
});

describe('insertUnlessDuplicate', () => {
  it('inside a transaction: true, then false for the same key, and the transaction still writes and commits', async () => {
    const db = app.deps.db;
    const r = await withWriteTransaction(db, async (tx) => {
      const first = await insertUnlessDuplicate(tx, () => tx.dutyRun.create({ data: ledger('u:1') }));
      const second = await insertUnlessDuplicate(tx, () => tx.dutyRun.create({ data: ledger('u:1') }));
      await tx.dutyRun.create({ data: ledger('u:after') });
      return [first, second];
    });
    expect(r).toEqual([true, false]);
    expect((await db.dutyRun.findMany({ where: { key: { startsWith: 'u:' } }, orderBy: { key: 'asc' } })).map((x) => x.key)).toEqual(['u:1', 'u:after']);
  });

  it('outside a transaction: false for a key already there, nothing written', async () => {
    const db = app.deps.db;
    expect(await insertUnlessDuplicate(db, () => db.dutyRun.create({ data: ledger('u:1') }))).toBe(false);
    expect(await insertUnlessDuplicate(db, () => db.dutyRun.create({ data: ledger('u:2') }))).toBe(true);
    expect(await db.dutyRun.count({ where: { key: { startsWith: 'u:' } } })).toBe(3);
  });

  it('another error passes through, and the transaction rolls back', async () => {
    const db = app.deps.db;
    await expect(
      withWriteTransaction(db, async (tx) => {
        await tx.dutyRun.create({ data: ledger('u:rolled-back') });
        await insertUnlessDuplicate(tx, () => Promise.reject(new Error('boom')));
      }),
    ).rejects.toThrow('boom');
    expect(await db.dutyRun.count({ where: { key: 'u:rolled-back' } })).toBe(0);
  });
});
