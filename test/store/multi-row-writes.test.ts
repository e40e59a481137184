/**
 * Writes that share one statement (direct.ts, MultiRow): webhook updates that arrive together are recorded by one
 * INSERT, sends that finish together are settled by one UPDATE, and a pass's claims of different chats go in one
 * conditional UPDATE. Each caller still learns its own outcome: a redelivered update, an update repeated within the
 * burst, a claim that ran out, a message that is stale or behind an older one of its chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { executeBatchWithRows, executeCoalesced, type MultiRow, returning } from '../../src/store/direct.js';
import { recordUpdate } from '../../src/store/inbound.repository.js';
import { openDatabase } from '../../src/store/prisma.js';
import { claimMany, enqueue, markSent } from '../../src/store/outbox.repository.js';
import { claimStatement } from '../../src/store/outbox-claim.repository.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => app.close());

const at = new Date('2026-11-18T00:30:00.123Z');

describe('multi-row writes', () => {
  it('callers of one turn with the same key share one statement; each gets its own count, and a full statement starts another', async () => {
    const db = app.deps.db;
    const statements: number[] = [];
    const audit = (action: string): MultiRow<string> => ({
      key: 'audit',
      row: action,
      maxRows: 3,
      statement: (rows) => {
        statements.push(rows.length);
        const values = rows.map((a) => Prisma.sql`(${at}, ${a}, ${'{}'}, ${null}, ${'test:dm:1'})`);
        return Prisma.sql`INSERT INTO "AuditLog" ("at", "action", "detail", "actorId", "chatRef") VALUES ${Prisma.join(values)} RETURNING "action"`;
      },
      // only the actions starting with "ok" count as written for their callers
      changed: (rows, returned) => rows.map((a, i) => (a.startsWith('ok') && String(returned[i]?.action) === a ? 1 : 0)),
    });
    const counts = await Promise.all([
      executeCoalesced(db, audit('ok-1')),
      executeCoalesced(db, audit('no-2')),
      executeCoalesced(db, Prisma.sql`UPDATE "AuditLog" SET "chatRef" = ${'x'} WHERE "action" = ${'nothing-like-it'}`),
      executeCoalesced(db, audit('ok-3')),
      executeCoalesced(db, audit('ok-4')),
      executeCoalesced(db, audit('ok-5')),
    ]);
    expect(counts).toEqual([1, 0, 0, 1, 1, 1]);
    expect(statements).toEqual([3, 2]);
    expect(await db.auditLog.count({ where: { action: { in: ['ok-1', 'no-2', 'ok-3', 'ok-4', 'ok-5'] } } })).toBe(5);
  });

  it('a burst of webhook updates: one INSERT; a redelivery and a repeat within the burst are not recorded again', async () => {
    const db = app.deps.db;
    const update = (updateId: string) => ({ platform: 'telegram', updateId, chatRef: 'telegram:dm:1', payload: `{"u":${updateId}}`, at });
    expect(await recordUpdate(db, update('100'))).toBe(true);
    const burst = await Promise.all(['101', '100', '102', '101', '103'].map((id) => recordUpdate(db, update(id))));
    expect(burst).toEqual([true, false, true, false, true]);
    const rows = await db.inboundUpdate.findMany({ where: { platform: 'telegram' }, orderBy: { id: 'asc' }, select: { updateId: true, payload: true } });
    expect(rows.map((r) => r.updateId)).toEqual(['100', '101', '102', '103']);
  });

  it('two replicas given the same burst at once (two clients of one database, as a redelivery reaching the other replica): each update recorded once, one told so', async () => {
    const first = app.deps.db;
    const second = await openDatabase(app.deps.config.DATABASE_URL);
    try {
      const update = (updateId: string) => ({ platform: 'slack', updateId, chatRef: 'slack:dm:U1', payload: `{"u":"${updateId}"}`, at });
      const ids = Array.from({ length: 60 }, (_, i) => `E${i}`);
      // Both receive every update, in opposite orders, all at once: each process's burst shares its statements.
      const [a, b] = await Promise.all([
        Promise.all(ids.map((id) => recordUpdate(first, update(id)))),
        Promise.all([...ids].reverse().map((id) => recordUpdate(second, update(id)))),
      ]);
      const told = ids.map((_, i) => Number(a[i]) + Number(b[ids.length - 1 - i]!));
      expect(told).toEqual(ids.map(() => 1));
      const rows = await first.inboundUpdate.findMany({ where: { platform: 'slack' }, select: { updateId: true } });
      expect(rows.map((r) => r.updateId).sort()).toEqual([...ids].sort());
    } finally {
      await second.$disconnect();
    }
  });

  it('sends settled together: one UPDATE, each at its own instant, and a claim that is no longer held changes nothing', async () => {
    const db = app.deps.db;
    const now = new Date('2026-11-18T02:00:00Z');
    const ids: number[] = [];
    for (const chat of ['telegram:dm:11', 'telegram:dm:12', 'telegram:dm:13']) ids.push(await enqueue(db, now, { chatRef: chat, text: 'x' }));
    const tokens = await claimMany(
      db,
      ids.map((id, i) => ({ m: { id, attempts: 0, chatRef: `telegram:dm:${11 + i}` } })),
      'p1',
      now,
      60_000,
    );
    expect(tokens.every((t) => t !== null)).toBe(true);
    const sentAt = (ms: number) => new Date(now.getTime() + ms);
    const stale = { ...tokens[1]!, at: new Date(now.getTime() - 1) }; // another claim than the row's
    expect(await Promise.all([markSent(db, tokens[0]!, sentAt(7)), markSent(db, stale, sentAt(8)), markSent(db, tokens[2]!, sentAt(9))])).toEqual([
      true,
      false,
      true,
    ]);
    const rows = await db.outbox.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' }, select: { status: true, sentAt: true, attempts: true } });
    expect(rows).toEqual([
      { status: 'sent', sentAt: sentAt(7), attempts: 1 },
      { status: 'sending', sentAt: null, attempts: 0 },
      { status: 'sent', sentAt: sentAt(9), attempts: 1 },
    ]);
    // the one still held settles later, on its own
    expect(await markSent(db, tokens[1]!, sentAt(20))).toBe(true);
  });

  it('claims of different chats in one statement: each checked on its own, the platform window counted once with room for all', async () => {
    const db = app.deps.db;
    const now = new Date('2026-11-18T03:00:00Z');
    const older = await enqueue(db, now, { chatRef: 'telegram:dm:23', text: 'first' });
    const ids: number[] = [];
    for (const chat of ['telegram:dm:21', 'telegram:dm:22', 'telegram:dm:23', 'telegram:dm:24']) ids.push(await enqueue(db, now, { chatRef: chat, text: 'x' }));
    const wanted = (max: number) => {
      const guard = { platform: 'telegram', quiet: null, windows: [{ scope: 'platform' as const, since: new Date(now.getTime() - 1000), max }] };
      return [
        { m: { id: ids[0]!, attempts: 0, chatRef: 'telegram:dm:21' }, guard },
        { m: { id: ids[1]!, attempts: 3, chatRef: 'telegram:dm:22' }, guard }, // stale: read before another attempt
        { m: { id: ids[2]!, attempts: 0, chatRef: 'telegram:dm:23' }, guard }, // an older message of its chat goes first
        { m: { id: ids[3]!, attempts: 0, chatRef: 'telegram:dm:24' }, guard },
      ];
    };
    const claimed = async (max: number) => {
      const [rows] = await executeBatchWithRows(db, [returning(claimStatement(wanted(max), 'p1', now, 60_000))]);
      return (rows as { id: unknown }[]).map((r) => Number(r.id)).sort((a, b) => a - b);
    };
    // room for three of the four: the statement takes none (the claims one by one would take two)
    expect(await claimed(3)).toEqual([]);
    expect(await claimed(4)).toEqual([ids[0], ids[3]]);
    expect(await db.outbox.count({ where: { id: { in: [older, ...ids] }, status: 'sending' } })).toBe(2);
    // claimMany falls back to one by one when the statement found no room for all: each counts the ones before it
    const more: number[] = [];
    for (const chat of ['telegram:dm:31', 'telegram:dm:32', 'telegram:dm:33']) more.push(await enqueue(db, now, { chatRef: chat, text: 'x' }));
    const guard = { platform: 'telegram', quiet: null, windows: [{ scope: 'platform' as const, since: new Date(now.getTime() - 1000), max: 4 }] };
    const tokens = await claimMany(
      db,
      more.map((id, i) => ({ m: { id, attempts: 0, chatRef: `telegram:dm:${31 + i}` }, guard })),
      'p1',
      now,
      60_000,
    );
    expect(tokens.map((t) => t?.id ?? null)).toEqual([more[0], more[1], null]);
  });
});
