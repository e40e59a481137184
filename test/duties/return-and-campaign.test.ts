/**
 * Start of term (September 2026, a campaign month): the return check student by student, a missing student becomes
 * a case at the cut-off, and the Monday digest of open cases reaches everyone responsible, once each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { dutyMessages, play, runnerFor, type Events } from '../helpers/duty-sim.js';

let app: TestApp;
let teacher: { staffId: string; classId: number | null };
let student: { id: number; name: string; villageId: number };
let people: { principal: string; cadre: string; town: string[] };

beforeAll(async () => {
  app = await makeApp({ now: '2026-08-31T12:00:00+08:00' });
  const db = app.deps.db;
  teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  const pupils = await db.student.findMany({ where: { classId: teacher.classId! }, include: { village: true }, orderBy: { id: 'asc' } });
  const s = pupils.find((x) => pupils.filter((y) => y.name === x.name).length === 1)!;
  student = s;
  const cls = await db.schoolClass.findUniqueOrThrow({ where: { id: teacher.classId! } });
  people = {
    principal: (await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: cls.schoolId } })).staffId,
    cadre: (await db.person.findFirstOrThrow({ where: { role: 'village', villageId: s.villageId } })).staffId,
    town: (await db.person.findMany({ where: { role: 'town', townId: s.village.townId } })).map((p) => p.staffId),
  };
  const ev: Events = new Map([['09-01 10:00', async () => void (await app.session.say(teacher.staffId, 'dm', `缺勤 ${s.name} 旷课`))]]);
  await play(app, runnerFor(app), '2026-08-31 12:00', '2026-09-07 12:00', ev);
}, 120_000);
afterAll(async () => app?.close());

describe('start of term', () => {
  it('every class teacher gets the return check at 08:30 on the first school day, with the class list', async () => {
    const checks = (await dutyMessages(app.deps.db)).filter((m) => m.kind === 'duty:return_check');
    expect(checks.every((m) => m.at === '09-01 08:30')).toBe(true);
    expect(checks).toHaveLength(await app.deps.db.person.count({ where: { role: 'class_teacher' } }));
    const mine = await app.deps.db.outbox.findFirstOrThrow({ where: { kind: 'duty:return_check', chatRef: `console:dm:${teacher.staffId}` } });
    expect(mine.text).toContain('开学返校核查');
    expect(mine.text).toContain(student.name);
  });

  it('a student absent without leave that day is a suspected-dropout case at the cut-off, told to both lines by DM', async () => {
    const kase = await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: student.id } });
    expect(kase.openedOn).toBe('2026-09-01');
    const told = (await dutyMessages(app.deps.db)).filter((m) => m.kind === 'duty:return_cases');
    expect(told.map((m) => m.to).sort()).toEqual([teacher.staffId, people.principal, people.cadre].sort());
    expect(told.every((m) => m.at === '09-01 17:00')).toBe(true);
  });

  it('the Monday digest of open cases (劝返周 and 控辍保学月) reaches each responsible person once', async () => {
    const digests = (await dutyMessages(app.deps.db)).filter((m) => m.kind === 'duty:campaign_digest');
    expect(digests.map((m) => m.to).sort()).toEqual([teacher.staffId, people.principal, people.cadre, ...people.town].sort());
    expect(digests.every((m) => m.at === '09-07 09:00')).toBe(true);
    const one = await app.deps.db.outbox.findFirstOrThrow({ where: { kind: 'duty:campaign_digest' } });
    expect(one.text).toContain(student.name);
    expect(one.text).toMatch(/控辍保学月|劝返周/);
  });

  it('nothing went to a group chat', async () => {
    expect((await dutyMessages(app.deps.db)).filter((m) => !/^T\d+$/.test(m.to))).toEqual([]);
  });
});
