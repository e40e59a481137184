/**
 * PostgreSQL statements with bound values go as named (prepared) statements (pg-prepared.ts): a connection parses each
 * text once; a statement without values (several in one text, like the write lock's) or taking every column (`SELECT *`)
 * goes as before; a connection names at most PREPARED_PER_CONNECTION texts. The naming is checked on a stand-in pool; the "pg" project also checks
 * that the server keeps the statements a transaction ran, and what they give.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { onPostgres } from '../helpers/pg.js';
import { queryRows } from '../../src/store/direct.js';
import { PREPARED_PER_CONNECTION, prepareRepeated } from '../../src/store/pg-prepared.js';
import { withWriteTransaction } from '../../src/store/write.js';

type Sent = { config: unknown; values: unknown };

/** A pool that opens stand-in connections recording what they are asked to run. */
function standInPool() {
  let onConnect: ((client: { query: (...a: unknown[]) => unknown }) => void) | undefined;
  const pool = { on: (_event: 'connect', listener: typeof onConnect) => (onConnect = listener) };
  const open = () => {
    const sent: Sent[] = [];
    const client = { query: (config: unknown, values?: unknown) => sent.push({ config, values }) };
    onConnect!(client);
    return { run: (config: unknown, values?: unknown) => client.query(config, values), sent };
  };
  return { pool, open };
}
const nameOf = (s: Sent) => (s.config as { name?: string }).name;

describe('prepared statements on PostgreSQL', () => {
  it('names each text with values once per connection, leaves statements without values unnamed, and stops at the cap', () => {
    expect(prepareRepeated(undefined)).toBe(false);
    const { pool, open } = standInPool();
    expect(prepareRepeated(pool)).toBe(true);
    const a = open();
    const select = 'SELECT "id" FROM "Student" WHERE "classId" = $1';
    a.run({ text: select, values: [1], rowMode: 'array' }, [1]);
    a.run({ text: 'SELECT 1 WHERE $1 = 1' }, [1]);
    a.run({ text: select, values: [2] }, [2]);
    a.run({ text: 'SET LOCAL lock_timeout = 10; SELECT pg_advisory_xact_lock(1)', values: [] }, []);
    a.run('BEGIN');
    // Every column (the table's, which a migration may change): left unnamed; COUNT(*) is not that.
    a.run({ text: 'SELECT * FROM "AttendanceMark" WHERE "id" > $1' }, [1]);
    a.run({ text: 'SELECT m.* FROM "AttendanceMark" m WHERE "id" > $1' }, [1]);
    a.run({ text: 'INSERT INTO "Outbox" ("text") VALUES ($1) RETURNING *' }, ['x']);
    a.run({ text: 'SELECT COUNT(*) AS "n" FROM "Student" WHERE "classId" = $1' }, [1]);
    expect(a.sent.map(nameOf)).toEqual(['kcbx_0', 'kcbx_1', 'kcbx_0', undefined, undefined, undefined, undefined, undefined, 'kcbx_2']);
    // What the driver is asked stays as given, with the name added.
    expect(a.sent[0]!.config).toEqual({ text: select, values: [1], rowMode: 'array', name: 'kcbx_0' });
    // Another connection has its own names.
    const b = open();
    b.run({ text: 'SELECT 1 WHERE $1 = 1' }, [1]);
    expect(b.sent.map(nameOf)).toEqual(['kcbx_0']);
    for (let i = 0; i < PREPARED_PER_CONNECTION + 5; i++) b.run({ text: `SELECT ${i} WHERE $1 = 1` }, [1]);
    expect(new Set(b.sent.map(nameOf).filter((n) => n !== undefined)).size).toBe(PREPARED_PER_CONNECTION);
    expect(b.sent.slice(-5).map(nameOf)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    // A text named before the cap keeps its name after it.
    b.run({ text: 'SELECT 1 WHERE $1 = 1' }, [1]);
    expect(nameOf(b.sent.at(-1)!)).toBe('kcbx_0');
  });

  describe.skipIf(!onPostgres())('on the server', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await makeApp();
    });
    afterAll(async () => app.close());

    it("a transaction's statements with values are kept by its connection and give the same rows each time", async () => {
      const classId = (await app.deps.db.schoolClass.findFirstOrThrow({ orderBy: { id: 'asc' } })).id;
      const expected = (await app.deps.db.student.findMany({ where: { classId }, orderBy: { id: 'asc' }, select: { id: true } })).map((s) => s.id);
      const { runs, kept } = await withWriteTransaction(app.deps.db, async (tx) => {
        const q = Prisma.sql`SELECT "id" FROM "Student" WHERE "classId" = ${classId} ORDER BY "id" ASC`;
        const runs: number[][] = [];
        for (let i = 0; i < 7; i++) runs.push((await queryRows<{ id: number }>(tx, q)).map((r) => Number(r.id)));
        const kept = await queryRows<{ statement: string }>(tx, Prisma.sql`SELECT "statement" FROM pg_prepared_statements WHERE "name" LIKE ${'kcbx_%'}`);
        return { runs, kept: kept.map((k) => k.statement) };
      });
      expect(expected.length).toBeGreaterThan(0);
      for (const r of runs) expect(r).toEqual(expected);
      expect(kept).toContain('SELECT "id" FROM "Student" WHERE "classId" = $1 ORDER BY "id" ASC');
    });
  });
});
