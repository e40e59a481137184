/** A return-to-school notice whose deadline passes with the student still away is referred to the town, once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { dutyMessages, play, runnerFor, type Events } from '../helpers/duty-sim.js';

let app: TestApp;
let caseId: number;
let town: string[];

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-16T08:00:00+08:00' });
  const db = app.deps.db;
  const teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  const s = await db.student.findFirstOrThrow({ where: { classId: teacher.classId! }, include: { village: true }, orderBy: { id: 'asc' } });
  const cls = await db.schoolClass.findUniqueOrThrow({ where: { id: teacher.classId! } });
  const principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: cls.schoolId } });
  const cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: s.villageId } });
  const officials = await db.person.findMany({ where: { role: 'town', townId: s.village.townId } });
  town = officials.map((p) => p.staffId);
  const say = (who: string, text: string) => async () => void (await app.session.say(who, 'dm', text));
  const ev: Events = new Map([
    ['11-16 09:00', say(teacher.staffId, `缺勤 ${s.studentNo} 旷课`)],
    ['11-17 09:00', say(teacher.staffId, `缺勤 ${s.studentNo} 旷课`)],
    ['11-18 09:00', say(teacher.staffId, `缺勤 ${s.studentNo} 旷课`)],
    ['11-18 15:00', say(cadre.staffId, `家访 ${s.studentNo} 外出务工 拒绝返校`)],
    ['11-19 09:00', say(principal.staffId, `确认辍学 ${s.studentNo}`)],
    ['11-19 10:00', say(town[0]!, `返校通知 ${s.studentNo} 2026-11-25`)],
  ]);
  await play(app, runnerFor(app), '2026-11-16 08:00', '2026-11-27 18:00', ev, 60);
  caseId = (await db.dropoutCase.findFirstOrThrow({ where: { studentId: s.id } })).id;
}, 120_000);
afterAll(async () => app?.close());

describe('the return notice deadline', () => {
  it('passes on the 25th; at the next cut-off (26th 17:00) the case is referred and the town is told, once', async () => {
    const kase = await app.deps.db.dropoutCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(kase.state).toBe('referred');
    const told = (await dutyMessages(app.deps.db)).filter((m) => m.kind === 'duty:notice_deadline');
    expect(told.every((m) => m.at === '11-26 17:00')).toBe(true);
    expect(town.every((t) => told.some((m) => m.to === t))).toBe(true);
    expect(new Set(told.map((m) => m.to)).size).toBe(told.length);
  });
});
