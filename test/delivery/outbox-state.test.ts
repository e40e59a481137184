/**
 * What the dispatcher keeps in the outbox itself, so it holds with no options, across restarts and between two
 * processes: 429 pauses, rate windows, claims; and paging, so held messages never starve the rest.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';
import { createDeps } from '../../src/app.js';
import { deliveryOptionsFrom, drainOutbox } from '../../src/delivery/dispatcher.js';
import { startDispatcher } from '../../src/delivery/loop.js';
import { claim, enqueue, markFailed, markRateLimited } from '../../src/store/outbox.repository.js';
import { RateLimitedError, type Outgoing } from '../../src/core/chat-port.js';
import { sendToPerson } from '../../src/services/messenger.js';
import type { Deps } from '../../src/services/deps.js';
import { recordingAdapter } from './recording-adapter.js';

let app: TestApp | undefined;
const others: Deps[] = [];
afterEach(async () => {
  for (const d of others.splice(0)) await d.db.$disconnect();
  await app?.close();
  app = undefined;
});

const at = (s: string) => new Date(`${s}+08:00`);
async function fresh(now: string, env: Record<string, string> = {}) {
  app = await makeApp({ now: at(now).toISOString(), env });
  return app;
}
/** A second process on the same database file: its own Prisma client, the same clock. */
async function secondProcess(a: TestApp): Promise<Deps> {
  const d = await createDeps(a.deps.config, a.clock);
  others.push(d);
  return d;
}

describe('a 429 pause', () => {
  it('holds the whole platform until retry_after, even without options and for a second process', async () => {
    const a = await fresh('2026-11-20T10:00:00');
    await enqueue(a.deps.db, a.clock.now(), { chatRef: 'telegram:dm:1', text: 'first' });
    await enqueue(a.deps.db, a.clock.now(), { chatRef: 'telegram:dm:2', text: 'second' });
    let refuse = 1;
    const tg = recordingAdapter('telegram', () => (refuse-- > 0 ? new RateLimitedError(3, 'Too Many Requests') : undefined));
    const adapters = new Map([['telegram', tg]]);
    const r = await drainOutbox(a.deps.db, a.clock, adapters);
    expect(r.rateLimited).toEqual([{ platform: 'telegram', seconds: 3 }]);
    // the two chats' messages were claimed together and sent at once: the second was on its way when the 429 came
    expect(tg.sent.map((m) => m.text)).toEqual(['second']);
    const first = await a.deps.db.outbox.findFirstOrThrow({ where: { text: 'first' } });
    expect(first).toMatchObject({ status: 'failed', attempts: 0, lastError: 'rate limited: retry after 3s' });
    expect(first.nextAttemptAt!.getTime()).toBe(a.clock.now().getTime() + 3000);

    // nothing else goes until retry_after, from this process or another
    await enqueue(a.deps.db, a.clock.now(), { chatRef: 'telegram:dm:3', text: 'third' });
    const other = await secondProcess(a);
    for (let s = 1; s < 3; s++) {
      a.clock.advance(1000);
      await drainOutbox(a.deps.db, a.clock, adapters);
      await drainOutbox(other.db, a.clock, adapters, deliveryOptionsFrom(a.deps.config, 'p2'));
      expect(tg.sent).toHaveLength(1);
    }
    a.clock.advance(1000);
    await drainOutbox(a.deps.db, a.clock, adapters);
    expect(tg.sent.map((m) => m.text)).toEqual(['second', 'first', 'third']);
    expect(await a.deps.db.outbox.count({ where: { status: 'sent', attempts: 1 } })).toBe(3);
  });
});

describe('claims', () => {
  it('a claim made from a stale read fails: another process already tried it (attempt counted, or a 429 set a wait)', async () => {
    const a = await fresh('2026-11-20T10:00:00');
    const db = a.deps.db;
    const now = a.clock.now();
    const id = await enqueue(db, now, { chatRef: 'telegram:dm:1', text: 'x' });
    const read = await db.outbox.findUniqueOrThrow({ where: { id } });
    const t1 = await claim(db, read, 'p1', now, 300_000);
    expect(t1).toMatchObject({ id, by: 'p1' });
    expect(await claim(db, read, 'p2', now, 300_000)).toBeNull(); // already sending
    await markRateLimited(db, t1!, 5, new Date(now.getTime() + 5000));
    expect(await claim(db, read, 'p2', now, 300_000)).toBeNull(); // same attempts, but not due
    const t2 = await claim(db, read, 'p2', new Date(now.getTime() + 5000), 300_000);
    expect(t2).not.toBeNull();
    await markFailed(db, t2!, 'boom', false, now);
    expect(await claim(db, read, 'p1', new Date(now.getTime() + 6000), 300_000)).toBeNull(); // attempts moved on
    const again = await db.outbox.findUniqueOrThrow({ where: { id } });
    expect(await claim(db, again, 'p1', new Date(now.getTime() + 6000), 300_000)).not.toBeNull();
  });

  it('two deps on one SQLite file, draining concurrently for several rounds: each message once, each chat at most one a second', async () => {
    const a = await fresh('2026-11-20T10:00:00');
    const b = await secondProcess(a);
    const texts: string[] = [];
    for (let i = 0; i < 60; i++) {
      texts.push(`m${i}`);
      await enqueue(a.deps.db, a.clock.now(), { chatRef: `telegram:dm:${100 + (i % 6)}`, text: `m${i}` });
    }
    const slow = () => new Promise<undefined>((r) => setImmediate(() => r(undefined))); // let the other process in mid-send
    const one = recordingAdapter('telegram');
    const two = recordingAdapter('telegram');
    const timed: { second: number; chat: string; id: number }[] = [];
    const wrap = (rec: typeof one) => ({
      ...rec,
      send: async (m: Outgoing) => (await slow(), timed.push({ second: (a.clock.now().getTime() / 1000) | 0, chat: m.chat.id, id: m.id }), rec.send(m)),
    });
    // exact windows (no safety margin): every chat may go every second, so the two take turns each round
    const p1 = { db: a.deps.db, adapters: new Map([['telegram', wrap(one)]]), options: { ...deliveryOptionsFrom(a.deps.config, 'p1'), rateMarginMs: 0 } };
    const p2 = { db: b.db, adapters: new Map([['telegram', wrap(two)]]), options: { ...deliveryOptionsFrom(b.config, 'p2'), rateMarginMs: 0 } };
    for (let round = 0; round < 15; round++) {
      // in one Node process the first to start wins every claim of a round: take turns going first
      await Promise.all((round % 2 ? [p1, p2] : [p2, p1]).map((p) => drainOutbox(p.db, a.clock, p.adapters, p.options)));
      a.clock.advance(1000);
    }
    // both took part: what one claimed, the other left
    expect(one.sent.length).toBeGreaterThan(0);
    expect(two.sent.length).toBeGreaterThan(0);
    expect([...one.sent, ...two.sent].map((m) => m.text).sort()).toEqual([...texts].sort());
    expect(await a.deps.db.outbox.count({ where: { status: 'sent', attempts: 1 } })).toBe(60);
    const perChatSecond = new Map<string, number>();
    for (const t of timed) perChatSecond.set(`${t.chat}@${t.second}`, (perChatSecond.get(`${t.chat}@${t.second}`) ?? 0) + 1);
    expect(Math.max(...perChatSecond.values())).toBe(1);
    // and each chat's messages in the order they were written
    for (let c = 0; c < 6; c++) {
      const ids = timed.filter((t) => t.chat === String(100 + c)).map((t) => t.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    }
  });
});

describe('rate windows', () => {
  it('survive a restart: a group that had its 20 this minute gets nothing more from the new process until the minute is over', async () => {
    const a = await fresh('2026-11-20T10:00:00');
    for (let i = 0; i < 25; i++) await enqueue(a.deps.db, a.clock.now(), { chatRef: 'telegram:group:-100500', text: `g${i}` });
    const tg = recordingAdapter('telegram');
    // exact windows (no safety margin) so the arithmetic below is the platform's
    const drainSeconds = async (db: Deps['db'], seconds: number, options = { ...deliveryOptionsFrom(a.deps.config), rateMarginMs: 0 }) => {
      const before = tg.sent.length;
      for (let s = 0; s < seconds; s++) {
        await drainOutbox(db, a.clock, new Map([['telegram', tg]]), options);
        a.clock.advance(1000);
      }
      return tg.sent.length - before;
    };
    expect(await drainSeconds(a.deps.db, 30)).toBe(20);
    const restarted = await secondProcess(a);
    expect(await drainSeconds(restarted.db, 30)).toBe(0); // seconds 30–59: the first minute's 20 still count
    expect(await drainSeconds(restarted.db, 5)).toBe(5);
    expect(tg.sent.map((m) => m.text)).toEqual(Array.from({ length: 25 }, (_, i) => `g${i}`));
  });
});

describe('paging', () => {
  it('hundreds of messages held by quiet hours or a group limit do not keep an urgent alert or a reply behind them', async () => {
    const a = await fresh('2026-11-20T22:30:00');
    const db = a.deps.db;
    const now = a.clock.now();
    await db.outbox.createMany({
      data: Array.from({ length: 700 }, (_, i) => ({ createdAt: now, chatRef: `telegram:dm:${i}`, text: `⏰ 提醒 ${i}`, kind: 'duty:attendance_reminder' })),
    });
    await db.outbox.createMany({
      data: Array.from({ length: 700 }, (_, i) => ({ createdAt: now, chatRef: 'telegram:group:-100900', text: `群 ${i}`, kind: 'reply' })),
    });
    await enqueue(db, now, { chatRef: 'telegram:dm:9001', text: '⚠️ 两天未到校预警', kind: 'alert', urgent: true });
    await enqueue(db, now, { chatRef: 'telegram:dm:9002', text: '已记录', kind: 'reply' });
    const tg = recordingAdapter('telegram');
    const r = await drainOutbox(db, a.clock, new Map([['telegram', tg]]), deliveryOptionsFrom(a.deps.config));
    expect(tg.sent.map((m) => m.text)).toEqual(['群 0', '⚠️ 两天未到校预警', '已记录']);
    expect(r.held).toBe(699);
  });
});

describe('one chat', () => {
  it('in quiet hours its held reminder does not keep its urgent alert back; what goes, goes in order, one at a time', async () => {
    const a = await fresh('2026-11-20T22:00:00');
    const db = a.deps.db;
    await enqueue(db, a.clock.now(), { chatRef: 'telegram:dm:1', text: 'reminder', kind: 'duty:weekly_reminder' });
    await enqueue(db, a.clock.now(), { chatRef: 'telegram:dm:1', text: 'urgent', kind: 'alert', urgent: true });
    await enqueue(db, a.clock.now(), { chatRef: 'telegram:dm:1', text: 'reply', kind: 'reply' });
    const tg = recordingAdapter('telegram');
    const perRound: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await drainOutbox(db, a.clock, new Map([['telegram', tg]]), deliveryOptionsFrom(a.deps.config));
      perRound.push(r.sent);
      a.clock.advance(2000);
    }
    expect(tg.sent.map((m) => m.text)).toEqual(['urgent', 'reply']);
    expect(Math.max(...perRound)).toBe(1); // 1 a second per chat, with the margin: one per 2-second round
  });
});

describe('dead letters', () => {
  it('the report names the person, quotes the first line cut to 40 characters, the tries and the last error, and says what to check', async () => {
    const a = await fresh('2026-11-20T10:00:00', { OUTBOX_MAX_ATTEMPTS: '2', OUTBOX_RETRY_BASE_SECONDS: '10' });
    const db = a.deps.db;
    const teacher = await db.person.findUniqueOrThrow({ where: { staffId: 'T0012' } });
    const first = '⚠️ 两天未到校预警 #7 学生：余小龙（青石镇中心小学 一(1)班），已连续两天未到校，请学校与村里联合入户家访';
    await sendToPerson(db, a.clock.now(), teacher.id, `${first}\n第二行`, { kind: 'alert', urgent: true });
    const con = recordingAdapter('console', (m) => (m.chat.id === 'T0012' ? new Error('ETIMEDOUT 连接超时') : undefined));
    const lines: string[] = [];
    const loop = startDispatcher(db, a.clock, new Map([['console', con]]), (l) => lines.push(l), deliveryOptionsFrom(a.deps.config), 3_600_000);
    const until = (re: RegExp) => waitFor(() => lines.find((l) => re.test(l)), { what: () => `a log line matching ${re} (lines: ${lines.join(' | ')})` });
    try {
      expect(await until(/failed/)).toMatch(/message #\d+ failed: ETIMEDOUT 连接超时; it will be retried with backoff/);
      a.clock.advance(10_000);
      loop.kick();
      expect(await until(/is dead/)).toMatch(/message #\d+ \(alert\) to console:dm:T0012 is dead after 2 attempt\(s\): ETIMEDOUT 连接超时/);
      loop.kick();
      expect(await until(/dead-letter digest of/)).toContain('dead-letter digest of 1 message(s) written for 1 county admin(s): console:dm:T0001');
    } finally {
      loop.stop();
      await loop.idle();
    }
    const reports = await db.outbox.findMany({ where: { kind: 'delivery_report' } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ chatRef: 'console:dm:T0001', urgent: false });
    const text = reports[0]!.text;
    expect(text).toContain(`${teacher.name}（T0012）的控制台私聊`);
    expect(text).toContain(`“${[...first].slice(0, 40).join('')}…”`);
    expect(text).not.toContain('第二行');
    expect(text).toContain('已尝试 2 次');
    expect(text).toContain('ETIMEDOUT 连接超时');
    expect(text).toContain('请确认此人的账号仍可用');
    expect(text).toContain('npm run cli -- dead-letters');
  });
});
