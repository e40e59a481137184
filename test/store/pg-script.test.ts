/**
 * A batch as one PostgreSQL simple query (pg-script.ts): its values written in as literals. Checked without a
 * database: which values have a literal and how it reads. In the "pg" project: any text, instant, number or boolean
 * comes back as it went in, through a column and as a bare value, in one round trip; a value without a literal (a NUL)
 * sends the batch statement by statement, all or nothing, and the connection works on; a statement after the
 * platform lock sees what the lock's last holder committed (each statement its own snapshot, as in a transaction).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Prisma } from '../../generated/prisma/client.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { onPostgres } from '../helpers/pg.js';
import { waitFor } from '../helpers/wait-for.js';
import { executeBatchWithRows, returning } from '../../src/store/direct.js';
import { inlined, parserOf, quoteLiteral } from '../../src/store/pg-script.js';

describe('values written into a statement', () => {
  it('quotes text (backslashes as an E string), instants as the adapter binds them, and has no literal for a NUL or bytes', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    const at = new Date('2026-11-18T00:30:00.120Z');
    expect(inlined(Prisma.sql`SELECT ${1}, ${'张三'}, ${at}, ${true}, ${null}, ${10n}`)).toBe(
      "SELECT '1', '张三', '2026-11-18 00:30:00.120', 'true', NULL, '10'",
    );
    expect(inlined(Prisma.sql`SELECT ${new Date('2026-11-18T00:30:00Z')}`)).toBe("SELECT '2026-11-18 00:30:00'");
    expect(inlined(Prisma.sql`SELECT ${'a\0b'}`)).toBeUndefined();
    expect(inlined(Prisma.sql`SELECT ${Buffer.from('x')}`)).toBeUndefined();
    expect(inlined(Prisma.sql`SELECT ${new Date(Number.NaN)}`)).toBeUndefined();
  });

  it('reads integers, booleans and instants as the direct statements give them, other types as text', () => {
    expect(parserOf(23)('42')).toBe(42);
    expect(parserOf(20)('9007199254740993')).toBe(9007199254740993n);
    expect(parserOf(16)('t')).toBe(true);
    expect(parserOf(1114)('2026-11-18 00:30:00.12')).toEqual(new Date('2026-11-18T00:30:00.120Z'));
    expect(parserOf(1184)('2026-11-18 08:30:00+08')).toEqual(new Date('2026-11-18T00:30:00Z'));
    expect(parserOf(25)('x')).toBe('x');
  });
});

describe.runIf(onPostgres())('a batch as one simple query (PostgreSQL)', () => {
  let app: TestApp;
  let sent: () => number;
  beforeAll(async () => {
    // before the app: each connection keeps the query method it had when it opened (pg-prepared.ts wraps it)
    sent = (await import('../../scripts/bench/count-pg-queries.js')).executions;
    app = await makeApp({ demo: false });
  });
  afterAll(async () => app.close());

  const insert = (at: Date, action: string, detail: string) =>
    Prisma.sql`INSERT INTO "AuditLog" ("at", "action", "detail", "actorId", "chatRef") VALUES (${at}, ${action}, ${detail}, ${null}, ${'test:dm:1'}) RETURNING "id", "detail", "at"`;

  it('gives back any text, instant, number and boolean as it went in, in one round trip', async () => {
    const db = app.deps.db;
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('\'; DROP TABLE "Student"; --', '\\', "E'\\''", '$1', '?'))
          .filter((s) => !s.includes('\0')),
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer(),
        fc.boolean(),
        async (text, at, n, b) => {
          const before = sent();
          const [written, bare] = (await executeBatchWithRows(db, [
            returning(insert(at, 'script', text)),
            returning(Prisma.sql`SELECT ${text} AS "text", CAST(${n} AS INTEGER) AS "n", CAST(${b} AS BOOLEAN) AS "b", CAST(${at} AS TIMESTAMP(3)) AS "at"`),
          ])) as Record<string, unknown>[][];
          expect(sent() - before).toBe(1);
          expect(written![0]).toMatchObject({ detail: text, at });
          expect(bare![0]).toEqual({ text, n, b, at });
          const row = await db.auditLog.findUnique({ where: { id: Number(written![0]!.id) } });
          expect(row).toMatchObject({ detail: text, at });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sends a batch with a NUL statement by statement: refused as a whole, nothing written, the connection works on', async () => {
    const db = app.deps.db;
    const at = new Date('2026-11-18T00:30:00Z');
    await expect(executeBatchWithRows(db, [insert(at, 'nul', 'fine'), insert(at, 'nul', 'a\0b')])).rejects.toThrow();
    expect(await db.auditLog.count({ where: { action: 'nul' } })).toBe(0);
    expect(await executeBatchWithRows(db, [insert(at, 'after', 'x'), insert(at, 'after', 'y')])).toEqual([1, 1]);
  });

  it('a statement after a lock in the batch sees what the lock holder committed before', async () => {
    const db = app.deps.db;
    const at = new Date('2026-11-18T00:30:00Z');
    const lock = Prisma.sql`SELECT pg_advisory_xact_lock(${4242}::int4, hashtext(${'script-test'}))`;
    const holder = executeBatchWithRows(db, [lock, insert(at, 'locked', 'first'), Prisma.sql`SELECT pg_sleep(${1})`]);
    // the holder has the lock (not a guess at how long that takes): the batch below waits for its commit
    await waitFor(
      async () =>
        (await db.$queryRaw<{ n: number }[]>`SELECT COUNT(*)::int AS "n" FROM pg_locks WHERE "locktype" = 'advisory' AND "granted" AND "classid" = 4242`)[0]!
          .n > 0,
      { what: "the holder's advisory lock" },
    );
    const [, seen] = await executeBatchWithRows(db, [lock, returning(Prisma.sql`SELECT COUNT(*) AS "n" FROM "AuditLog" WHERE "action" = ${'locked'}`)]);
    await holder;
    expect(seen).toEqual([{ n: 1 }]);
  });
});
