/**
 * Catch-up after downtime: what was missed and is still meaningful runs at start; what is no longer meaningful is
 * recorded as missed and not sent late as if new.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { dutyMessages, line, local, runnerFor } from '../helpers/duty-sim.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(at: string) {
  app = await makeApp({ now: local(at).toISOString() });
  const t = await app.deps.db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  await app.session.say(t.staffId, '班级群', '绑定班级');
  return app;
}

/** A process that starts at `at` (its runner looks back for what it missed), ticks once and delivers. */
async function processStartsAt(a: TestApp, at: string, log: string[] = []) {
  a.clock.set(local(at));
  const r = await runnerFor(a, log).tick();
  await a.session.flush();
  return r;
}

describe('catch-up after downtime', () => {
  it('a Friday prompt missed until Monday is not sent late; the ledger says it was missed', async () => {
    const a = await start('2026-11-27 14:00');
    await processStartsAt(a, '2026-11-27 14:00');
    const before = (await dutyMessages(a.deps.db)).length;
    const log: string[] = [];
    // down from Friday 14:00 to Monday 09:00
    const r = await processStartsAt(a, '2026-11-30 09:00', log);
    const after = (await dutyMessages(a.deps.db)).slice(before);
    expect(after.filter((m) => m.kind.startsWith('duty:weekly') || m.kind === 'duty:attendance_reminder')).toEqual([]);
    const missed = r.ran.filter((x) => x.outcome === 'too_late').map((x) => x.key);
    expect(missed.some((k) => k.startsWith('weekly_prompt:2026-W48:'))).toBe(true);
    expect(missed.some((k) => k.startsWith('weekly_reminder:2026-W48:'))).toBe(true);
    expect(missed.some((k) => k.startsWith('weekly_cutoff:2026-W48:'))).toBe(true);
    expect(log.some((l) => l.includes('too late'))).toBe(true);
  });

  it('a report reminder due on the 22nd at 09:00 still goes out on the 22nd when the bot is back at 12:00', async () => {
    const a = await start('2026-12-21 07:00');
    await processStartsAt(a, '2026-12-21 07:00');
    await processStartsAt(a, '2026-12-22 12:00');
    const reminders = (await dutyMessages(a.deps.db)).filter((m) => m.kind === 'duty:school_report_reminder');
    expect(reminders.map((m) => m.at)).toEqual(['12-22 12:00', '12-22 12:00', '12-22 12:00']);
  });

  it('down all of the 22nd: that reminder is missed, the 23rd one goes at 08:00', async () => {
    const a = await start('2026-12-21 07:00');
    await processStartsAt(a, '2026-12-21 07:00');
    const r = await processStartsAt(a, '2026-12-23 07:00');
    expect(r.ran.filter((x) => x.key.startsWith('school_report_reminder:2026-12@2026-12-22')).map((x) => x.outcome)).toEqual([
      'too_late',
      'too_late',
      'too_late',
    ]);
    await processStartsAt(a, '2026-12-23 08:00');
    const reminders = (await dutyMessages(a.deps.db)).filter((m) => m.kind === 'duty:school_report_reminder').map(line);
    expect(reminders).toHaveLength(3);
    expect(reminders.every((l) => l.startsWith('12-23 08:00'))).toBe(true);
  });
});
