/**
 * What a delivery pass reads, counted at the driver (better-sqlite3 on a real SQLite file; node-postgres's
 * `Client#query` on PostgreSQL): a pass runs after every message handled,
 * so one with nothing due reads the page of due messages and nothing else, and the platform's 429 pause comes with
 * that page (another process's too): a paused pass claims nothing and the passes after it read nothing until the pause
 * is over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { deliveryOptionsFrom } from '../../src/delivery/options.js';
import { PlatformPump } from '../../src/delivery/platform-pump.js';
import { claim, enqueue, markRateLimited } from '../../src/store/outbox.repository.js';
import { dialect, type Db } from '../../src/store/prisma.js';
import { recordingAdapter } from './recording-adapter.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

// Loaded before any app opens a connection: pg-prepared.ts binds each new connection's query method as it connects.
const counter =
  process.env.KCBX_TEST_PG === '1' ? await import('../../scripts/bench/count-pg-queries.js') : await import('../../scripts/bench/count-executions.js');

/** The statements `run` sent to the database, by their first words. */
async function statementsOf(db: Db, run: () => Promise<unknown>): Promise<string[]> {
  expect(dialect(db)).toBe(process.env.KCBX_TEST_PG === '1' ? 'postgresql' : 'sqlite');
  counter.forgetTallies();
  await run();
  return counter.executedBySql().flatMap(([sql, n]) => Array.from({ length: n }, () => sql.replace(/\s+/g, ' ').slice(0, 40)));
}

const PAGE_READ = /^SELECT "id", "createdAt"/;

describe('a delivery pass', () => {
  it('with nothing due reads the page of due messages and nothing else', async () => {
    app = await makeApp({ now: new Date('2026-11-20T10:00:00+08:00').toISOString() });
    const tg = recordingAdapter('telegram');
    const pump = new PlatformPump(app.deps.db, app.clock, tg, deliveryOptionsFrom(app.deps.config, 'p1'), () => undefined);
    const read = await statementsOf(app.deps.db, () => pump.pass());
    expect(read).toHaveLength(1);
    expect(read[0]).toMatch(PAGE_READ);
  });

  it("learns another process's 429 pause from its page: no claim, no read until the pause is over, then each message once", async () => {
    app = await makeApp({ now: new Date('2026-11-20T10:00:00+08:00').toISOString() });
    const { db } = app.deps;
    const now = app.clock.now();
    const first = await enqueue(db, now, { chatRef: 'telegram:dm:1', text: 'first' });
    await enqueue(db, now, { chatRef: 'telegram:dm:2', text: 'second' });
    // process p1 claimed the first message and Telegram answered it 429, retry after 3 s
    const token = await claim(db, await db.outbox.findUniqueOrThrow({ where: { id: first } }), 'p1', now, 300_000);
    await markRateLimited(db, token!, 3, new Date(now.getTime() + 3000));

    const tg = recordingAdapter('telegram');
    const pump = new PlatformPump(db, app.clock, tg, deliveryOptionsFrom(app.deps.config, 'p2'), () => undefined);
    let claimed = -1;
    const paused = await statementsOf(db, async () => (claimed = await pump.pass()));
    expect(claimed).toBe(0);
    expect(paused).toHaveLength(1); // the page, with the pause in it: the second message is due, but not tried
    expect(paused[0]).toMatch(PAGE_READ);
    expect(await db.outbox.findFirstOrThrow({ where: { text: 'second' } })).toMatchObject({ status: 'pending', claimedBy: null });

    app.clock.advance(2000);
    expect(await statementsOf(db, async () => (claimed = await pump.pass()))).toEqual([]);
    expect(claimed).toBe(0);

    app.clock.advance(1000); // the pause is over: both go, each once
    for (let i = 0; i < 3 && (await pump.pass()) > 0; i++) await pump.idle();
    await pump.idle();
    expect(tg.sent.map((m) => m.text).sort()).toEqual(['first', 'second']);
    expect(await db.outbox.count({ where: { status: 'sent' } })).toBe(2);
    expect(tg.sent).toHaveLength(2);
  });
});
