/**
 * Writes that share one commit (direct.ts): a batch is all or nothing and says what each statement changed; writes
 * asked for in the same turn of the event loop are batched, each caller answered with its own count, and a statement
 * that fails fails only its own caller; a durable one is synced to the disk before its caller hears back. A pass's claims
 * go in one batch, each counting the ones before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { executeBatch, executeCoalesced } from '../../src/store/direct.js';
import { claimMany, enqueue } from '../../src/store/outbox.repository.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => app.close());

const at = new Date('2026-11-18T00:30:00.123Z');
const audit = (action: string) =>
  Prisma.sql`INSERT INTO "AuditLog" ("at", "action", "detail", "actorId", "chatRef") VALUES (${at}, ${action}, ${'{}'}, ${null}, ${'test:dm:1'})`;
const broken = Prisma.sql`INSERT INTO "AuditLog" ("at", "action", "noSuchColumn") VALUES (${at}, ${'x'}, ${1})`;
const count = (action: string) => app.deps.db.auditLog.count({ where: { action } });

describe('batched writes', () => {
  it('a batch commits all of its statements or none, and gives what each changed', async () => {
    const db = app.deps.db;
    expect(await executeBatch(db, [audit('b'), audit('b'), Prisma.sql`UPDATE "AuditLog" SET "chatRef" = ${'test:dm:2'} WHERE "action" = ${'b'}`])).toEqual([
      1, 1, 2,
    ]);
    await expect(executeBatch(db, [audit('none'), broken, audit('none')])).rejects.toThrow();
    expect(await count('none')).toBe(0);
    expect(await count('b')).toBe(2);
  });

  it('writes asked for in one turn share a batch; each caller gets its own count, and only a bad one fails', async () => {
    const db = app.deps.db;
    const asked = [
      ...Array.from({ length: 5 }, () => executeCoalesced(db, audit('together'))),
      executeCoalesced(db, broken),
      executeCoalesced(db, Prisma.sql`UPDATE "AuditLog" SET "chatRef" = ${'x'} WHERE "action" = ${'nothing-like-it'}`),
    ];
    const settled = await Promise.allSettled(asked);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(settled.slice(0, 5).map((s) => (s as PromiseFulfilledResult<number>).value)).toEqual([1, 1, 1, 1, 1]);
    expect((settled[6] as PromiseFulfilledResult<number>).value).toBe(0);
    expect(await count('together')).toBe(5);
    // later turns: batches of their own
    expect(await executeCoalesced(db, audit('later'))).toBe(1);
    expect(await executeCoalesced(db, audit('later'))).toBe(1);
    expect(await count('later')).toBe(2);
  });

  it('a durable write is synced before its caller hears back: on SQLite its commit runs with synchronous FULL, the others as set', async () => {
    if (process.env.KCBX_TEST_PG === '1') return; // PostgreSQL syncs every commit (synchronous_commit on, its default)
    const db = app.deps.db;
    // Each row keeps the connection's `synchronous` while it was written (2 FULL, 1 NORMAL).
    const probe = (action: string) =>
      Prisma.sql`INSERT INTO "AuditLog" ("at", "action", "detail", "actorId", "chatRef") SELECT ${at}, ${action}, CAST("synchronous" AS TEXT), NULL, ${'test:dm:1'} FROM pragma_synchronous`;
    await Promise.all([
      executeCoalesced(db, probe('sync-durable'), 'durable'),
      executeCoalesced(db, probe('sync-durable'), 'durable'),
      executeCoalesced(db, probe('sync-logged'), 'logged'),
      executeCoalesced(db, probe('sync-logged')),
    ]);
    expect(await executeCoalesced(db, probe('sync-durable-alone'), 'durable')).toBe(1);
    expect(await executeCoalesced(db, probe('sync-after'))).toBe(1);
    const rows = await db.auditLog.findMany({ where: { action: { startsWith: 'sync-' } }, orderBy: { id: 'asc' }, select: { action: true, detail: true } });
    const byAction = (a: string) => rows.filter((r) => r.action === a).map((r) => r.detail);
    expect(byAction('sync-durable')).toEqual(['2', '2']);
    expect(byAction('sync-logged')).toEqual(['1', '1']);
    expect(byAction('sync-durable-alone')).toEqual(['2']);
    expect(byAction('sync-after')).toEqual(['1']);
  });

  it('claims in one batch: each counts the ones before it in a platform window, and a stale one fails alone', async () => {
    const db = app.deps.db;
    const now = new Date('2026-11-18T02:00:00Z');
    const ids = [];
    for (const chat of ['telegram:dm:1', 'telegram:dm:2', 'telegram:dm:3']) ids.push(await enqueue(db, now, { chatRef: chat, text: 'x' }));
    const guard = { platform: 'telegram', quiet: null, windows: [{ scope: 'platform' as const, since: new Date(now.getTime() - 1000), max: 2 }] };
    const tokens = await claimMany(
      db,
      [
        { m: { id: ids[0]!, attempts: 0, chatRef: 'telegram:dm:1' }, guard },
        { m: { id: ids[1]!, attempts: 5, chatRef: 'telegram:dm:2' }, guard }, // read before another process tried it
        { m: { id: ids[2]!, attempts: 0, chatRef: 'telegram:dm:3' }, guard },
      ],
      'p1',
      now,
      60_000,
    );
    expect(tokens.map((t) => t?.id ?? null)).toEqual([ids[0], null, ids[2]]);
    // the window (2 a second) is full now: a third claim in it fails
    const more = await enqueue(db, now, { chatRef: 'telegram:dm:4', text: 'x' });
    expect(await claimMany(db, [{ m: { id: more, attempts: 0, chatRef: 'telegram:dm:4' }, guard }], 'p1', now, 60_000)).toEqual([null]);
    const rows = await db.outbox.findMany({ where: { id: { in: [...ids, more] } }, orderBy: { id: 'asc' }, select: { status: true, claimedBy: true } });
    expect(rows.map((r) => r.status)).toEqual(['sending', 'pending', 'sending', 'pending']);
  });
});
