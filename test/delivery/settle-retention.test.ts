/**
 * A result is written only by the process that still holds the claim; old delivered, cancelled and dead messages
 * are pruned; the hot outbox queries use their indexes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { onPostgres } from '../helpers/pg.js';
import { waitFor } from '../helpers/wait-for.js';
import { createDeps } from '../../src/app.js';
import { deliveryOptionsFrom, drainOutbox } from '../../src/delivery/dispatcher.js';
import { startDispatcher } from '../../src/delivery/loop.js';
import { claim, enqueue, markFailed, markSent } from '../../src/store/outbox.repository.js';
import { pruneOutbox } from '../../src/store/outbox-upkeep.repository.js';
import { claimStatement } from '../../src/store/outbox-claim.repository.js';
import { sqliteValue } from '../../src/store/direct.js';
import type { ChatAdapter, Outgoing } from '../../src/core/chat-port.js';
import type { Deps } from '../../src/services/deps.js';
import { recordingAdapter } from './recording-adapter.js';

let app: TestApp | undefined;
const others: Deps[] = [];
afterEach(async () => {
  for (const d of others.splice(0)) await d.db.$disconnect();
  await app?.close();
  app = undefined;
});
const fresh = async () => (app = await makeApp({ now: '2026-11-20T10:00:00+08:00', demo: false }));

describe('settling a message', () => {
  it('only the holder of the current claim writes the result; a stale holder changes nothing', async () => {
    const a = await fresh();
    const db = a.deps.db;
    const t0 = a.clock.now();
    const id = await enqueue(db, t0, { chatRef: 'telegram:dm:1', text: 'x' });
    const row = await db.outbox.findUniqueOrThrow({ where: { id } });
    const p1 = (await claim(db, row, 'p1', t0, 60_000))!;
    // p1 hangs past its lease; p2 takes the message over and sends it
    const later = new Date(t0.getTime() + 61_000);
    const p2 = (await claim(db, row, 'p2', later, 60_000))!;
    expect(p2).toMatchObject({ id, by: 'p2' });
    expect(await markSent(db, p1, later)).toBe(false);
    expect(await markFailed(db, p1, 'timeout', false, later)).toBe(false);
    expect(await db.outbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sending', claimedBy: 'p2', attempts: 0 });
    expect(await markSent(db, p2, later)).toBe(true);
    // p1 wakes up again: still nothing
    expect(await markFailed(db, p1, 'late', true)).toBe(false);
    expect(await db.outbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', claimedBy: 'p2', attempts: 1, lastError: null });
  });

  it('a dispatcher whose send outlived its lease reports the lost claim and leaves the other process’s result', async () => {
    const a = await fresh();
    const id = await enqueue(a.deps.db, a.clock.now(), { chatRef: 'console:dm:T1', text: '慢' });
    let release: () => void = () => undefined;
    const slow: ChatAdapter = { ...recordingAdapter('console'), send: (_m: Outgoing) => new Promise<void>((r) => (release = r)) };
    const options = { ...deliveryOptionsFrom(a.deps.config, 'p1'), leaseMs: 60_000 };
    const first = drainOutbox(a.deps.db, a.clock, new Map([['console', slow]]), options);
    await waitFor(async () => (await a.deps.db.outbox.findUniqueOrThrow({ where: { id } })).status === 'sending', { what: `message #${id} claimed (sending)` });
    a.clock.advance(61_000);
    const other = await createDeps(a.deps.config, a.clock);
    others.push(other);
    const fast = recordingAdapter('console');
    expect((await drainOutbox(other.db, a.clock, new Map([['console', fast]]), { ...options, processId: 'p2' })).sent).toBe(1);
    release();
    const r = await first;
    expect(r).toMatchObject({ sent: 0, lostClaims: 1 });
    expect(await a.deps.db.outbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', claimedBy: 'p2', attempts: 1 });
  });
});

describe('outbox retention', () => {
  it('prunes delivered, cancelled and dead messages older than the setting, in batches; keeps the rest', async () => {
    const a = await fresh();
    const db = a.deps.db;
    const now = a.clock.now().getTime();
    const day = 86_400_000;
    const rows = [];
    for (const status of ['sent', 'cancelled', 'dead', 'pending', 'failed', 'sending']) {
      for (const age of [40, 31, 29, 1]) rows.push({ createdAt: new Date(now - age * day), chatRef: 'telegram:dm:1', text: `${status} ${age}`, status });
    }
    await db.outbox.createMany({ data: rows });
    expect(await pruneOutbox(db, new Date(now - 30 * day), 2)).toBe(6);
    const left = (await db.outbox.findMany({ select: { text: true } })).map((r) => r.text).sort();
    expect(left).toEqual(
      rows
        .map((r) => r.text)
        .filter((t) => !/^(sent|cancelled|dead) (40|31)$/.test(t))
        .sort(),
    );
  });

  it('the dispatcher loop prunes on its own, by OUTBOX_RETENTION_DAYS', async () => {
    app = await makeApp({ now: '2026-11-20T10:00:00+08:00', demo: false, env: { OUTBOX_RETENTION_DAYS: '7' } });
    const db = app.deps.db;
    const now = app.clock.now().getTime();
    await db.outbox.createMany({
      data: [8, 6].map((d) => ({ createdAt: new Date(now - d * 86_400_000), chatRef: 'console:dm:T1', text: `${d} 天前`, status: 'sent' })),
    });
    const lines: string[] = [];
    const loop = startDispatcher(db, app.clock, new Map(), (l) => lines.push(l), deliveryOptionsFrom(app.deps.config), 3_600_000);
    await waitFor(() => lines.some((l) => l.includes('pruned')), { what: () => `the pruning line (lines: ${lines.join(' | ')})` });
    loop.stop();
    expect(lines).toContain('delivery: pruned 1 delivered, cancelled or dead message(s) older than 7 day(s)');
    expect((await db.outbox.findMany()).map((r) => r.text)).toEqual(['6 天前']);
  });

  it.skipIf(onPostgres())('the hot outbox queries read their indexes, not the whole table (SQLite only: reads EXPLAIN QUERY PLAN)', async () => {
    const a = await fresh();
    const plan = async (sql: string) =>
      ((await a.deps.db.$queryRawUnsafe(`EXPLAIN QUERY PLAN ${sql}`)) as { detail: string }[]).map((r) => r.detail).join(' | ');
    const queries = [
      // the daily cap and the per-platform window: today's / this second's claims only
      `SELECT COUNT(*) FROM "Outbox" WHERE "claimedAt" > '2026-11-20' AND "chatRef" LIKE 'wechat:%'`,
      // the per-chat window and the one-in-flight check
      `SELECT COUNT(*) FROM "Outbox" WHERE "claimedAt" > '2026-11-20' AND "chatRef" = 'telegram:dm:1'`,
      `SELECT 1 FROM "Outbox" WHERE "chatRef" = 'telegram:dm:1' AND "status" = 'sending'`,
      // retention and the last digest
      `SELECT "id" FROM "Outbox" WHERE "status" IN ('sent', 'cancelled', 'dead') AND "createdAt" < '2026-10-20' LIMIT 500`,
      `SELECT "createdAt" FROM "Outbox" WHERE "kind" = 'delivery_report' ORDER BY "createdAt" DESC LIMIT 1`,
      // a running 429 pause
      `SELECT 1 FROM "Outbox" WHERE "status" = 'failed' AND "nextAttemptAt" > '2026-11-20' AND "lastError" LIKE 'rate limited%'`,
    ];
    for (const q of queries) {
      const p = await plan(q);
      expect(p, q).toMatch(/USING (COVERING )?INDEX/);
      expect(p, q).not.toMatch(/SCAN "?Outbox"?(?! USING)/);
    }
    // The claim itself, as the pump sends it: a chat's unfinished messages by (chatRef, status), not its whole history.
    const now = new Date('2026-11-20T02:00:00Z');
    const guard = {
      platform: 'telegram',
      quiet: null,
      windows: [
        { scope: 'platform' as const, since: new Date(now.getTime() - 1500), max: 30 },
        { scope: 'chat' as const, since: new Date(now.getTime() - 60_000), max: 20 },
      ],
    };
    const q = claimStatement([{ m: { id: 7, attempts: 0, chatRef: 'telegram:group:-1' }, guard }], 'p1', now, 300_000);
    const steps = ((await a.deps.db.$queryRawUnsafe(`EXPLAIN QUERY PLAN ${q.sql}`, ...q.values.map(sqliteValue))) as { detail: string }[]).map((r) => r.detail);
    expect(steps[0]).toMatch(/USING INTEGER PRIMARY KEY/);
    expect(steps.filter((s) => /SEARCH e /.test(s))).toEqual([expect.stringMatching(/Outbox_chatRef_status_idx \(chatRef=\? AND status=\?/)]);
    for (const s of steps) expect(s).not.toMatch(/^SCAN/);
  });
});
