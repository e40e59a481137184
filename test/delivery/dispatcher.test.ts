/** The dispatcher on a real SQLite file with a manual clock: limits, backoff, dead letters, quiet hours, claims. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatRef } from '../../src/core/chat-port.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { deliveryOptionsFrom, drainOutbox } from '../../src/delivery/dispatcher.js';
import { platformLimits } from '../../src/delivery/options.js';
import { RateLimiter } from '../../src/delivery/rate-limits.js';
import { enqueue } from '../../src/store/outbox.repository.js';
import { createDeps } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { recordingAdapter } from './recording-adapter.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const at = (s: string) => new Date(`${s}+08:00`);
async function fresh(now: string, env: Record<string, string> = {}) {
  app = await makeApp({ now: at(now).toISOString(), env });
  return app;
}
const optionsOf = (a: TestApp, id = 'p1') => deliveryOptionsFrom(a.deps.config, id);

describe('rate limiter', () => {
  // each platform's limits as its descriptor states them (adapters/<platform>/platform.ts), from the configuration
  const limits = platformLimits(loadConfig({ WECHAT_MAX_PER_DAY: '10' }));
  const tg = (id: string, kind: 'dm' | 'group' = 'dm') => ({ platform: 'telegram', kind, id });

  it('telegram: 1/s per chat and 20/min per group (a negative id is a group)', () => {
    const l = new RateLimiter(limits);
    for (const group of [tg('-100', 'group'), tg('-200')]) {
      let sent = 0;
      for (let t = 0; t < 60_000; t += 100) {
        if (l.waitMs(group, t) === 0) {
          l.record(group, t);
          sent++;
        }
      }
      expect(sent).toBe(20);
      // the 21st waits for the first to leave the minute
      expect(l.waitMs(group, 59_900)).toBe(100);
    }
    // a direct chat has no minute limit: one a second
    const dm = tg('42');
    let sent = 0;
    for (let t = 0; t < 60_000; t += 100) if (l.waitMs(dm, t) === 0 && (l.record(dm, t), true)) sent++;
    expect(sent).toBe(60);
  });

  it('telegram: 30/s overall; the 31st chat waits for the second to end', () => {
    const l = new RateLimiter(limits);
    const chats = Array.from({ length: 40 }, (_, i) => tg(String(i)));
    const ok = chats.filter((c) => l.waitMs(c, 100_000) === 0 && (l.record(c, 100_000), true));
    expect(ok).toHaveLength(30);
    expect(l.waitMs(chats[35]!, 100_400)).toBe(600);
    expect(l.waitMs(chats[35]!, 101_000)).toBe(0);
  });

  it('wecom: 30 a minute to one member, 20 a minute per group robot; dingtalk: 20 a minute per group, 20/s overall', () => {
    const l = new RateLimiter(limits);
    const count = (chat: ChatRef, step: number, until: number) => {
      let sent = 0;
      for (let t = 0; t < until; t += step) if (l.waitMs(chat, t) === 0 && (l.record(chat, t), true)) sent++;
      return sent;
    };
    expect(count({ platform: 'wecom', kind: 'dm', id: 'zhangsan' }, 100, 60_000)).toBe(30);
    expect(count({ platform: 'wecom', kind: 'group', id: 'robot:三(2)班' }, 100, 60_000)).toBe(20);
    expect(count({ platform: 'dingtalk', kind: 'group', id: 'cidXYZ' }, 100, 60_000)).toBe(20);
    const people = Array.from({ length: 25 }, (_, i) => ({ platform: 'dingtalk', kind: 'dm' as const, id: `u${i}` }));
    expect(people.filter((c) => l.waitMs(c, 200_000) === 0 && (l.record(c, 200_000), true))).toHaveLength(20);
    expect(l.historySince('wecom', 100_000, 0)).toEqual(new Date(40_000));
  });

  it('slack per channel, wechat overall; the console has no limits; calls recorded out of order still count', () => {
    const l = new RateLimiter(limits);
    const c1 = { platform: 'slack', kind: 'group' as const, id: 'T1:C1' };
    const c2 = { platform: 'slack', kind: 'group' as const, id: 'T1:C2' };
    l.record(c1, 1000);
    expect(l.waitMs(c1, 1500)).toBe(500);
    expect(l.waitMs(c2, 1500)).toBe(0);
    const w1 = { platform: 'wechat', kind: 'dm' as const, id: 'a' };
    l.record(w1, 2000);
    l.record(w1, 1200); // e.g. another process's claim read from the database
    expect(l.waitMs({ platform: 'wechat', kind: 'group' as const, id: 'room-b' }, 2100)).toBe(900);
    expect(l.dailyCap('wechat')).toBe(10);
    expect(l.dailyCap('telegram')).toBeUndefined();
    const con = { platform: 'console', kind: 'dm' as const, id: 'x' };
    for (let i = 0; i < 100; i++) l.record(con, 0);
    expect(l.waitMs(con, 0)).toBe(0);
    expect(l.hasLimits('console')).toBe(false);
  });
});

describe('dispatcher', () => {
  it('30 messages to one Telegram group go one per second and at most 20 a minute, in order', async () => {
    const a = await fresh('2026-11-20T10:00:00');
    for (let i = 0; i < 30; i++) await enqueue(a.deps.db, a.clock.now(), { chatRef: 'telegram:group:-100', text: `m${i}` });
    const tg = recordingAdapter('telegram');
    const opts = optionsOf(a);
    const perSecond: number[] = [];
    for (let s = 0; s < 90; s++) {
      const before = tg.sent.length;
      await drainOutbox(a.deps.db, a.clock, new Map([['telegram', tg]]), opts);
      perSecond.push(tg.sent.length - before);
      a.clock.advance(1000);
    }
    expect(Math.max(...perSecond)).toBe(1);
    expect(perSecond.slice(0, 60).reduce((x, y) => x + y, 0)).toBe(20);
    expect(tg.sent.map((m) => m.text)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`));
  });

  it('a failing message backs off 30 s, 60 s, 120 s, 240 s, is dead after 5 tries, and the county admin is told once', async () => {
    const a = await fresh('2026-11-20T10:00:00');
    await enqueue(a.deps.db, a.clock.now(), { chatRef: 'telegram:dm:777', text: '⚠️ 两天未到校预警 #9\n…', kind: 'alert' });
    const tg = recordingAdapter('telegram', () => new Error('403: Forbidden: bot was blocked by the user'));
    const opts = optionsOf(a);
    const triedAt: number[] = [];
    const start = a.clock.now().getTime();
    for (let s = 0; s <= 600; s += 5) {
      const r = await drainOutbox(a.deps.db, a.clock, new Map([['telegram', tg]]), opts);
      if (r.failed || r.dead) triedAt.push((a.clock.now().getTime() - start) / 1000);
      a.clock.advance(5000);
    }
    expect(triedAt).toEqual([0, 30, 90, 210, 450]);
    const m = await a.deps.db.outbox.findFirstOrThrow({ where: { chatRef: 'telegram:dm:777' } });
    expect(m).toMatchObject({ status: 'dead', attempts: 5 });
    const reports = await a.deps.db.outbox.findMany({ where: { kind: 'delivery_report' } });
    const county = await a.deps.db.person.findMany({ where: { role: 'county' } });
    expect(reports.map((r) => r.chatRef).sort()).toEqual(county.map((p) => `console:dm:${p.staffId}`).sort());
    expect(reports[0]!.text).toContain('已尝试 5 次');
    expect(reports[0]!.text).toContain('bot was blocked');
  });

  it('a dead delivery report is not reported again', async () => {
    const a = await fresh('2026-11-20T10:00:00', { OUTBOX_MAX_ATTEMPTS: '1' });
    await enqueue(a.deps.db, a.clock.now(), { chatRef: 'telegram:dm:1', text: '📮 消息未能送达', kind: 'delivery_report' });
    await drainOutbox(a.deps.db, a.clock, new Map([['telegram', recordingAdapter('telegram', () => new Error('down'))]]), optionsOf(a));
    expect(await a.deps.db.outbox.count({ where: { status: 'dead' } })).toBe(1);
    expect(await a.deps.db.outbox.count()).toBe(1);
  });

  it('quiet hours: a reminder waits until 07:00; an urgent alert and a reply go at once', async () => {
    const a = await fresh('2026-11-20T22:00:00');
    const db = a.deps.db;
    await enqueue(db, a.clock.now(), { chatRef: 'telegram:dm:1', text: '⏰ 提醒', kind: 'duty:weekly_reminder' });
    await enqueue(db, a.clock.now(), { chatRef: 'telegram:dm:2', text: '⚠️ 预警', kind: 'alert', urgent: true });
    await enqueue(db, a.clock.now(), { chatRef: 'telegram:dm:3', text: '已记录', kind: 'reply' });
    const tg = recordingAdapter('telegram');
    const opts = optionsOf(a);
    await drainOutbox(db, a.clock, new Map([['telegram', tg]]), opts);
    expect(tg.sent.map((m) => m.text).sort()).toEqual(['⚠️ 预警', '已记录'].sort());
    a.clock.set(at('2026-11-21T06:59:00'));
    await drainOutbox(db, a.clock, new Map([['telegram', tg]]), opts);
    expect(tg.sent).toHaveLength(2);
    a.clock.set(at('2026-11-21T07:00:00'));
    await drainOutbox(db, a.clock, new Map([['telegram', tg]]), opts);
    expect(tg.sent.at(-1)!.text).toBe('⏰ 提醒');
  });

  it('QUIET_HOURS_HOLD_URGENT=true holds urgent alerts too', async () => {
    const a = await fresh('2026-11-20T23:00:00', { QUIET_HOURS_HOLD_URGENT: 'true' });
    await enqueue(a.deps.db, a.clock.now(), { chatRef: 'telegram:dm:2', text: '⚠️ 预警', kind: 'alert', urgent: true });
    const tg = recordingAdapter('telegram');
    await drainOutbox(a.deps.db, a.clock, new Map([['telegram', tg]]), optionsOf(a));
    expect(tg.sent).toHaveLength(0);
  });

  it('two processes draining the same database deliver each message exactly once', async () => {
    const a = await fresh('2026-11-20T10:00:00');
    for (let i = 0; i < 200; i++) await enqueue(a.deps.db, a.clock.now(), { chatRef: `console:dm:T${String(i % 12).padStart(4, '0')}`, text: `m${i}` });
    // Real OS processes: SQLite locking between them is the real thing.
    const procs = ['p1', 'p2'].map((id) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/delivery/drain-process.ts', a.clock.now().toISOString(), id], {
        cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
        env: { ...process.env, DATABASE_URL: a.deps.config.DATABASE_URL },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      return { child, next: async () => JSON.parse((await lines.next()).value as string) as { ready?: boolean; sent?: string[] } };
    });
    try {
      await Promise.all(procs.map((p) => p.next()));
      const sent: string[][] = [[], []];
      for (let round = 0; round < 3; round++) {
        const rs = await Promise.all(procs.map((p) => (p.child.stdin!.write(`${JSON.stringify({ at: a.clock.now().toISOString() })}\n`), p.next())));
        rs.forEach((r, i) => sent[i]!.push(...r.sent!));
      }
      expect([...sent[0]!, ...sent[1]!].sort()).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`).sort());
      expect(await a.deps.db.outbox.count({ where: { status: 'sent' } })).toBe(200);
    } finally {
      for (const p of procs) p.child.stdin!.end();
    }
  });

  it('a message left "sending" by a process that died goes out after the lease; one within the lease is left alone', async () => {
    const a = await fresh('2026-11-20T10:00:00');
    const db = a.deps.db;
    const old = await enqueue(db, a.clock.now(), { chatRef: 'console:dm:T0001', text: 'stale' });
    const recent = await enqueue(db, a.clock.now(), { chatRef: 'console:dm:T0002', text: 'in flight' });
    await db.outbox.update({
      where: { id: old },
      data: { status: 'sending', claimedBy: 'dead-process', claimedAt: new Date(a.clock.now().getTime() - 10 * 60_000) },
    });
    await db.outbox.update({
      where: { id: recent },
      data: { status: 'sending', claimedBy: 'busy-process', claimedAt: new Date(a.clock.now().getTime() - 60_000) },
    });
    const c = recordingAdapter('console');
    await drainOutbox(db, a.clock, new Map([['console', c]]), optionsOf(a));
    expect(c.sent.map((m) => m.text)).toEqual(['stale']);
  });

  it('the WeChat daily cap holds across a restart and opens the next day', async () => {
    const a = await fresh('2026-11-20T10:00:00', { WECHAT_MAX_PER_DAY: '3' });
    for (let i = 0; i < 5; i++) await enqueue(a.deps.db, a.clock.now(), { chatRef: `wechat:dm:u${i}`, text: `w${i}` });
    const wx = recordingAdapter('wechat');
    const drainFor = async (deps: { db: typeof a.deps.db }, seconds: number) => {
      const opts = optionsOf(a);
      for (let s = 0; s < seconds; s++) {
        await drainOutbox(deps.db, a.clock, new Map([['wechat', wx]]), opts);
        a.clock.advance(1000);
      }
    };
    await drainFor(a.deps, 10);
    expect(wx.sent).toHaveLength(3);
    const restarted = await createDeps(a.deps.config, a.clock);
    try {
      await drainFor(restarted, 10);
      expect(wx.sent).toHaveLength(3);
      a.clock.set(at('2026-11-21T08:00:00'));
      await drainFor(restarted, 5);
      expect(wx.sent.map((m) => m.text)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
    } finally {
      await restarted.db.$disconnect();
    }
  });
});
