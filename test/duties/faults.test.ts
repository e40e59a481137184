/**
 * 过错责任追究: an alert that climbs for want of a home visit records who was responsible at each step — the people it
 * was sent to before the town step, then the town officials before the county step — and the county lists them by
 * school and by person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { play, runnerFor, type Events } from '../helpers/duty-sim.js';
import { faultsBySchool } from '../../src/services/faults.js';

let app: TestApp;
let teacher: { id: number; staffId: string; name: string };
let schoolName: string;
let county: string;
let townIds: number[];

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-16T07:00:00+08:00' });
  const db = app.deps.db;
  const t = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  teacher = t;
  schoolName = (await db.school.findUniqueOrThrow({ where: { id: t.schoolId! } })).name;
  const pupils = await db.student.findMany({ where: { classId: t.classId! }, include: { village: true }, orderBy: { id: 'asc' } });
  const s = pupils.find((x) => pupils.filter((y) => y.name === x.name).length === 1)!;
  townIds = (await db.person.findMany({ where: { role: 'town', townId: s.village.townId } })).map((p) => p.id);
  county = (await db.person.findFirstOrThrow({ where: { role: 'county' } })).staffId;
  const say = (text: string) => async () => void (await app.session.say(t.staffId, 'dm', text));
  // Mon and Tue unexcused; the teacher acknowledges the two-day alert; nobody logs a visit.
  await play(
    app,
    runnerFor(app),
    '2026-11-16 07:00',
    '2026-11-20 12:00',
    new Map([
      ['11-16 09:00', say(`缺勤 ${s.name} 旷课`)],
      ['11-17 09:00', say(`缺勤 ${s.name} 旷课`)],
      ['11-17 09:30', say('收到 2')],
    ]) as Events,
  );
}, 120_000);
afterAll(async () => app?.close());

describe('fault records of an escalation', () => {
  it('the town step records everyone first alerted, with role and whether they acknowledged; the county step the town officials', async () => {
    const db = app.deps.db;
    const alert = await db.alert.findFirstOrThrow({ where: { step: 'joint_home_visit' }, include: { recipients: true } });
    expect(alert.escalation).toBe('county');
    const rows = await db.faultRecord.findMany({ where: { alertId: alert.id }, orderBy: { id: 'asc' } });
    const atTown = rows.filter((r) => r.step === 'town');
    const atCounty = rows.filter((r) => r.step === 'county');
    expect(atTown.length).toBeGreaterThan(0);
    expect(atTown.map((r) => r.role)).toContain('class_teacher');
    expect(atTown.every((r) => r.role !== 'town' && r.role !== 'county')).toBe(true);
    const teacherRow = atTown.find((r) => r.personId === teacher.id)!;
    expect(teacherRow.ackAt).not.toBeNull();
    expect(atCounty.map((r) => r.personId).sort()).toEqual([...townIds].sort());
    expect(atCounty.every((r) => r.role === 'town' && r.ackAt === null)).toBe(true);
    // One row per person and alert, whatever the number of ticks.
    expect(new Set(rows.map((r) => r.personId)).size).toBe(rows.length);
    // The officials the alert climbed to last (county) are not at fault for it.
    const countyIds = (await db.person.findMany({ where: { role: 'county' } })).map((p) => p.id);
    expect(rows.filter((r) => countyIds.includes(r.personId))).toEqual([]);
  });

  it('the county lists them: a summary, by school and by 工号', async () => {
    const all = (await app.session.say(county, 'dm', '过错记录')).delivered[0]!.text;
    expect(all).toContain('全县过错记录');
    expect(all).toContain(schoolName);
    const bySchool = (await app.session.say(county, 'dm', `过错记录 ${schoolName}`)).delivered[0]!.text;
    expect(bySchool).toContain(`${teacher.name}（班主任，工号 ${teacher.staffId}）`);
    expect(bySchool).toContain('已确认收到但未登记家访');
    expect(bySchool).toContain('升级到镇');
    const byPerson = (await app.session.say(county, 'dm', `过错记录 ${teacher.staffId}`)).delivered[0]!.text;
    expect(byPerson).toContain(`${teacher.name}（工号 ${teacher.staffId}）的过错记录 1 条`);
    expect((await app.session.say(county, 'dm', '过错记录 不存在的学校')).delivered[0]!.text).toContain('正确示例：过错记录');
  });

  it('the annual assessment gets them per school', async () => {
    const t = await app.deps.db.person.findUniqueOrThrow({ where: { id: teacher.id } });
    const m = await faultsBySchool(app.deps.db, '2026-09-01', '2027-08-31', 'Asia/Shanghai');
    const rows = await app.deps.db.faultRecord.count();
    expect(m.get(t.schoolId!)).toEqual({ records: rows, alerts: 1, reachedCounty: 1 });
    expect((await faultsBySchool(app.deps.db, '2025-09-01', '2026-08-31', 'Asia/Shanghai')).size).toBe(0);
  });

  it('only the county may list them, and only in a direct chat', async () => {
    const principal = await app.deps.db.person.findFirstOrThrow({ where: { role: 'principal' } });
    expect((await app.session.say(principal.staffId, 'dm', '过错记录')).delivered[0]!.text).toContain('「过错记录」只有县教育局可以使用');
    const out = (await app.session.say(county, '县局群', '过错记录')).delivered;
    expect(out.filter((d) => d.chat !== 'dm').every((d) => !d.text.includes(teacher.name))).toBe(true);
  });
});
