/**
 * Two bot processes on one database file, ticking at the same instants: each duty is done once.
 * They are real OS processes (SQLite locking between them is the real thing); this test process plays the people
 * and delivers the outbox between ticks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { dutyMessages, label, line, local } from '../helpers/duty-sim.js';
import { cast, events, expected, type Cast } from './scenario.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let app: TestApp;
let c: Cast;
const procs: { child: ChildProcess; ask(at: Date): Promise<{ ran: number; skipped: number; failed: unknown[] }> }[] = [];
const totals = { skipped: 0, failed: 0, ranByEach: [0, 0] };
const END = '2026-11-08 23:30';

function start(startAt: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/duties/duty-process.ts', local(startAt).toISOString()], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: app.deps.config.DATABASE_URL },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value as string);
  const ready = next();
  return {
    ready,
    proc: {
      child,
      async ask(at: Date) {
        child.stdin!.write(`${JSON.stringify({ at: at.toISOString() })}\n`);
        return next();
      },
    },
  };
}

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-01T00:00:00+08:00' });
  c = await cast(app);
  const ev = events(app, c);
  const started = [start('2026-11-01 00:00'), start('2026-11-01 00:00')];
  await Promise.all(started.map((s) => s.ready));
  procs.push(...started.map((s) => s.proc));
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
}, 240_000);
afterAll(async () => {
  for (const p of procs) p.child.stdin!.end();
  await app?.close();
});

describe('two processes on one database', () => {
  it('send each duty once: the same messages as one process would', async () => {
    const until = label(local(END));
    const want = expected(c).filter((m) => m.at <= until);
    expect((await dutyMessages(app.deps.db)).map(line).sort()).toEqual(want.map(line).sort());
    expect(totals.failed).toBe(0);
  });
  it('both did work, and they really raced for the same duties', () => {
    expect(totals.ranByEach.every((n) => n > 0)).toBe(true);
    expect(totals.skipped).toBeGreaterThan(0);
  });
});
