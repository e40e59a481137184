/**
 * Replicas: three bot processes on one database (a SQLite file, or PostgreSQL in the pg project), ticking at the same
 * instants through the whole of November: each duty is done once, with no leader — the duty ledger decides.
 * They are real OS processes (the database's locking between them is the real thing); this test process plays the
 * people and delivers the outbox between ticks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { dutyMessages, label, line, local } from '../helpers/duty-sim.js';
import { cast, events, expected, type Cast } from './scenario.js';
import { startDutyChild, type DutyChild } from './duty-children.js';

let app: TestApp;
let c: Cast;
const procs: DutyChild[] = [];
const totals = { skipped: 0, failed: 0, ranByEach: [0, 0, 0] };
const END = '2026-11-30 23:30';

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-01T00:00:00+08:00' });
  c = await cast(app);
  const ev = events(app, c);
  procs.push(...(await Promise.all([0, 1, 2].map(() => startDutyChild(app.deps.config.DATABASE_URL, local('2026-11-01 00:00'))))));
  for (let t = local('2026-11-01 00:30').getTime(); t <= local(END).getTime(); t += 30 * 60_000) {
    app.clock.set(new Date(t));
    await ev.get(label(new Date(t)))?.();
    const rs = await Promise.all(procs.map((p) => p.ask(new Date(t))));
    rs.forEach((r, i) => {
      totals.skipped += r.skipped;
      totals.failed += r.failed.length;
      totals.ranByEach[i]! += r.ran;
    });
    await app.session.flush();
  }
}, 600_000);
afterAll(async () => {
  for (const p of procs) p.child.stdin!.end();
  await app?.close();
});

describe('three processes on one database, a month of duties', () => {
  it('send each duty once: the same messages as one process would, the ledger holding each duty once', async () => {
    const until = label(local(END));
    const want = expected(c).filter((m) => m.at <= until);
    expect((await dutyMessages(app.deps.db)).map(line).sort()).toEqual(want.map(line).sort());
    expect(totals.failed).toBe(0);
    const runs = await app.deps.db.dutyRun.findMany();
    expect(new Set(runs.map((r) => r.key)).size).toBe(runs.length);
  });
  it('all three did work, and they really raced for the same duties', () => {
    expect(totals.ranByEach.every((n) => n > 0)).toBe(true);
    expect(totals.skipped).toBeGreaterThan(0);
  });
});
