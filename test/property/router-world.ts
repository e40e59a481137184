/**
 * Generated lines through the whole router (ConsoleSession → handleIncoming → commands → outbox → console) on a real
 * SQLite file with the demo county, from every role. For each line: nothing throws (no line reaches the error
 * boundary), every answer is Chinese, no group hears a student's or guardian's name, and the line takes less than
 * ROUTER_BUDGET_MS — generous next to the reader's 50 ms because each line is one or two SQLite transactions plus
 * delivery; a line answered with a file (a chart, an .xlsx or a PDF rendered in-process) has FILE_BUDGET_MS. A line
 * over its budget is sent twice more and its fastest time counts: a machine busy elsewhere does not fail the test, a
 * line that is slow by nature still does.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { CJK, line, type Roster } from './grammar.js';

export const ROUTER_BUDGET_MS = 500;
export const FILE_BUDGET_MS = 5_000;
export const GROUP = '一(1)班家长群';

export interface World {
  app: TestApp;
  roster: Roster;
  /** One person of every role (the bound class's teacher twice: the busiest sender), and an unbound account. */
  senders: string[];
  /** Students' and guardians' names, less those shared with a member of staff (who may rightly be named). */
  privateNames: string[];
}

export async function makeWorld(): Promise<World> {
  const app = await makeApp({ now: '2026-11-20T09:00:00+08:00' });
  const db = app.deps.db;
  const teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  expect((await app.session.say(teacher.staffId, GROUP, '绑定班级')).result?.handled).toBe('command');
  const students = await db.student.findMany({ orderBy: { id: 'asc' } });
  const own = students.filter((s) => s.classId === teacher.classId);
  const some = [...own, ...students.filter((s) => s.classId !== teacher.classId).filter((_, i) => i % 25 === 0)];
  const staffNames = new Set((await db.person.findMany()).map((p) => p.name));
  const firstOf = async (role: string, where: object = {}) => (await db.person.findFirstOrThrow({ where: { role, ...where }, orderBy: { id: 'asc' } })).staffId;
  return {
    app,
    roster: { names: some.map((s) => s.name), tails: some.flatMap((s) => [s.studentNo.slice(-6), s.studentNo.slice(-4)]) },
    senders: [
      teacher.staffId,
      teacher.staffId,
      await firstOf('class_teacher', { id: { not: teacher.id } }),
      await firstOf('subject_teacher', { classId: teacher.classId }),
      await firstOf('principal'),
      await firstOf('village'),
      await firstOf('town'),
      await firstOf('county'),
      'stranger-account',
    ],
    privateNames: [...new Set(students.flatMap((s) => [s.name, s.guardian ?? '']))].filter((n) => n.length >= 2 && !staffNames.has(n)),
  };
}

/** Sends `lines` generated lines into the given chats and checks each; returns what was seen, for the log. */
export async function fuzzRouter(world: World, chats: string[], lines: number): Promise<string> {
  const { app, senders, privateNames } = world;
  let slowest = 0;
  let slowestFile = 0;
  const outcomes = new Map<string, number>();
  const send = async (who: string, chat: string, text: string) => {
    const t0 = performance.now();
    const r = await app.session.say(who, chat, text);
    return { ...r, ms: performance.now() - t0 };
  };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...senders), fc.constantFrom(...chats), line(world.roster), async (who, chat, text) => {
      const { result, delivered, ms } = await send(who, chat, text);
      const handled = result?.handled ?? 'none';
      outcomes.set(handled, (outcomes.get(handled) ?? 0) + 1);
      expect(handled, `"${text.slice(0, 80)}" reached the error boundary`).not.toBe('failed');
      expect(handled).not.toBe('none');
      for (const d of delivered) {
        expect(d.text, `answer to "${text.slice(0, 40)}"`).toMatch(CJK);
        if (d.chat !== 'dm') for (const n of privateNames) expect(d.text.includes(n), `group message names ${n}: ${d.text}`).toBe(false);
      }
      const file = delivered.some((d) => d.attachment);
      const budget = file ? FILE_BUDGET_MS : ROUTER_BUDGET_MS;
      let best = ms;
      for (let again = 0; again < 2 && best >= budget; again++) best = Math.min(best, (await send(who, chat, text)).ms);
      expect(best, `"${text.slice(0, 60)}" took ${best.toFixed(0)} ms`).toBeLessThan(budget);
      if (file) slowestFile = Math.max(slowestFile, best);
      else slowest = Math.max(slowest, best);
    }),
    { numRuns: lines, endOnFailure: true },
  );
  return `${lines} lines, slowest ${slowest.toFixed(1)} ms, slowest with a file ${slowestFile.toFixed(1)} ms, outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`;
}
