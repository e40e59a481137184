/**
 * Figures the county can trust (issue 11): 缺勤 adds to the day, unknown days neither break nor extend a streak,
 * and 复学 is followed before the case is closed. Everything through the router, on a real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Delivered } from '../../src/console/session.js';
import { createDutyRunner } from '../../src/duties/runner.js';
import { attendanceReminder, followUpEnd } from '../../src/duties/daily.duty.js';

let app: TestApp;
type Teacher = { id: number; staffId: string; classId: number | null };
type Pupil = { id: number; name: string; villageId: number };
let t1: Teacher;
let t2: Teacher;
let t3: Teacher;
/** Pupils of t1's class (A, B, C) and t2's class (X, Y), each with a name unique in the county's demo. */
let A: Pupil, B: Pupil, C: Pupil, X: Pupil, Y: Pupil;
let principal2: { staffId: string };
let cadreY: { staffId: string };
let townY: { staffId: string };
const local = (s: string) => `2026-${s.replace(' ', 'T')}:00+08:00`;

beforeAll(async () => {
  app = await makeApp({ now: local('11-16 08:30'), env: { FOLLOW_UP_SCHOOL_DAYS: '3' } });
  const db = app.deps.db;
  const teachers = await db.person.findMany({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  // three classes of the same school
  const school = (await db.schoolClass.findUniqueOrThrow({ where: { id: teachers[0]!.classId! } })).schoolId;
  const inSchool = [];
  for (const t of teachers) if ((await db.schoolClass.findUniqueOrThrow({ where: { id: t.classId! } })).schoolId === school) inSchool.push(t);
  [t1, t2, t3] = inSchool as unknown as [Teacher, Teacher, Teacher];
  expect(t3).toBeDefined();
  const all = await db.student.findMany({ select: { name: true } });
  const unique = async (classId: number) => {
    const list = await db.student.findMany({ where: { classId }, orderBy: { id: 'asc' } });
    return list.filter(
      (s) => all.filter((x) => x.name === s.name).length === 1 && !all.some((x) => x.name !== s.name && (x.name.includes(s.name) || s.name.includes(x.name))),
    );
  };
  [A, B, C] = (await unique(t1.classId!)) as unknown as [Pupil, Pupil, Pupil];
  [X, Y] = (await unique(t2.classId!)) as unknown as [Pupil, Pupil];
  expect(C && Y).toBeDefined();
  const cls2 = await db.schoolClass.findUniqueOrThrow({ where: { id: t2.classId! } });
  principal2 = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: cls2.schoolId } });
  const village = await db.village.findUniqueOrThrow({ where: { id: Y.villageId } });
  cadreY = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: Y.villageId } });
  townY = await db.person.findFirstOrThrow({ where: { role: 'town', townId: village.townId } });
}, 120_000);

afterAll(async () => app?.close());

const say = async (who: string, text: string, chat = 'dm') => (await app.session.say(who, chat, text)).delivered;
const replyTo = (ds: Delivered[], staffId: string) =>
  ds
    .filter((d) => d.chat === 'dm' && d.to === staffId)
    .map((d) => d.text)
    .join('\n');
const dmsTo = (ds: Delivered[], staffId: string) => ds.filter((d) => d.chat === 'dm' && d.to === staffId);
const marksOf = (p: Pupil, date: string) => app.deps.db.attendanceMark.findMany({ where: { studentId: p.id, date }, orderBy: { id: 'asc' } });
const openAlerts = (p: Pupil) => app.deps.db.alert.findMany({ where: { studentId: p.id, status: 'open' }, orderBy: { id: 'asc' } });

describe('缺勤 adds to the day', () => {
  it('two 缺勤 in a row keep both: the first pupil stays truant and keeps the alert', async () => {
    await say(t1.staffId, `缺勤 ${A.name} 旷课`);
    expect((await openAlerts(A)).map((a) => a.step)).toEqual(['call_family']);
    app.clock.set(local('11-16 08:31'));
    const out = await say(t1.staffId, `缺勤 ${B.name} 病假`);
    const text = replyTo(out, t1.staffId);
    expect(text).toContain(`${B.name}：病假（新登记）`);
    expect(text).not.toContain(A.name);
    expect((await marksOf(A, '2026-11-16')).map((m) => m.status)).toEqual(['truant']);
    expect((await openAlerts(A)).map((a) => a.step)).toEqual(['call_family']);
  });

  it('a 缺勤 that differs from an earlier one changes nothing and says how to change it', async () => {
    const out = await say(t1.staffId, `缺勤 ${A.name} 病假 ${B.name} 病假`);
    const text = replyTo(out, t1.staffId);
    expect(text).toContain(`${A.name}：之前已登记为旷课，未改动；如要改，请发：更正 ${A.name} 病假`);
    expect(text).toContain(`${B.name}：已登记为病假，未改动`);
    expect((await marksOf(A, '2026-11-16')).map((m) => m.status)).toEqual(['truant']);
    expect((await marksOf(B, '2026-11-16')).map((m) => m.status)).toEqual(['sick']);
  });

  it('今天全到 keeps refusing while absences are recorded, and shows the whole-day list', async () => {
    const out = await say(t1.staffId, '今天全到');
    const text = replyTo(out, t1.staffId);
    expect(text).toContain('不能再记“全到”');
    expect(text).toContain('缺勤名单');
  });

  it('a whole-day list (缺勤名单) is the day: who is not on it became 到校, the change is reported', async () => {
    const out = await say(t1.staffId, `缺勤名单 ${B.name} 事假 ${C.name} 旷课`);
    const text = replyTo(out, t1.staffId);
    expect(text).toContain(`${A.name}：不在缺勤名单上，由旷课改为到校`);
    expect(text).toContain(`${B.name}：由病假改为事假`);
    expect(text).toContain(`${C.name}：旷课（新登记）`);
    expect((await marksOf(A, '2026-11-16')).map((m) => m.status)).toEqual(['truant', 'present']);
    expect(await openAlerts(A)).toEqual([]);
    expect((await openAlerts(C)).map((a) => a.step)).toEqual(['call_family']);
  });

  it('an empty whole-day list is refused with an example', async () => {
    const out = await say(t1.staffId, '缺勤名单');
    expect(replyTo(out, t1.staffId)).toContain('今天全到');
    expect((await marksOf(A, '2026-11-16')).length).toBe(2);
  });

  it('an alerted pupil not named counts as present, and a later 缺勤 the same day marks them absent without 更正', async () => {
    app.clock.set(local('11-17 08:30'));
    const first = await say(t1.staffId, `缺勤 ${B.name} 病假`);
    expect(replyTo(first, t1.staffId)).toContain(`${C.name}：这次没有报缺勤，按到校计`);
    expect(await openAlerts(C)).toEqual([]);
    expect(await marksOf(C, '2026-11-17')).toEqual([]); // implicit: no mark is written
    app.clock.set(local('11-17 10:00'));
    const later = await say(t1.staffId, `缺勤 ${C.name} 旷课`);
    expect(replyTo(later, t1.staffId)).toContain(`${C.name}：旷课（新登记）`);
    expect((await marksOf(C, '2026-11-17')).map((m) => m.status)).toEqual(['truant']);
    expect((await openAlerts(C)).map((a) => a.step)).toContain('joint_home_visit');
  });
});

describe('unknown days', () => {
  it('Monday truant (class 2), Tuesday nothing recorded', async () => {
    app.clock.set(local('11-16 09:00'));
    await say(t2.staffId, `缺勤 ${X.name} 旷课 ${Y.name} 旷课 11-16`);
    expect((await openAlerts(Y)).map((a) => a.step)).toEqual(['call_family']);
  });

  it('Wednesday truant again: the two-day alert (joint home visit) goes out across the unknown Tuesday', async () => {
    app.clock.set(local('11-18 08:30'));
    const out = await say(t2.staffId, `缺勤 ${X.name} 旷课 ${Y.name} 旷课`);
    for (const p of [X, Y]) {
      const steps = (await openAlerts(p)).map((a) => a.step);
      expect(steps).toContain('joint_home_visit');
    }
    const toPrincipal = dmsTo(out, principal2.staffId).filter((d) => d.text.includes(Y.name));
    expect(toPrincipal).toHaveLength(1);
    expect(toPrincipal[0]!.text).toContain('两天未到校预警');
    expect(toPrincipal[0]!.text).toContain('连续 2 个上学日');
    expect(dmsTo(out, cadreY.staffId).some((d) => d.text.includes(Y.name) && d.text.includes('两天未到校预警'))).toBe(true);
  });

  it('the 17:00 reminder asks a silent class for today and names the earlier unknown days, to the teacher only', async () => {
    const runner = createDutyRunner(app.deps, [attendanceReminder]);
    app.clock.set(local('11-18 16:00'));
    await runner.tick();
    app.clock.set(local('11-18 17:01'));
    await runner.tick();
    const sent = await app.deps.db.outbox.findMany({ where: { kind: 'duty:attendance_reminder' }, orderBy: { id: 'asc' } });
    const to3 = sent.filter((m) => m.chatRef === `console:dm:${t3.staffId}`);
    expect(to3).toHaveLength(1);
    // the five school days before Wednesday the 18th, none taken by class 3
    expect(to3[0]!.text).toContain('11月11日、11月12日、11月13日、11月16日、11月17日的考勤也还没有收到');
    expect(to3[0]!.text).toContain('全到 11-11');
    const to1 = sent.filter((m) => m.chatRef === `console:dm:${t1.staffId}`);
    expect(to1).toHaveLength(1); // class 1 took Monday and Tuesday, not Wednesday
    expect(to1[0]!.text).toContain('11月11日、11月12日、11月13日的考勤');
    expect(to1[0]!.text).not.toContain('11月16日');
    expect(sent.filter((m) => m.chatRef === `console:dm:${t2.staffId}`)).toEqual([]); // class 2 took Wednesday
    for (const m of sent) for (const p of [A, B, C, X, Y]) expect(m.text).not.toContain(p.name);
    expect(sent.every((m) => m.chatRef.includes(':dm:'))).toBe(true);
  });

  it('filling Tuesday in on Thursday re-runs the ladder: Y reaches three days, X (not named) was present', async () => {
    app.clock.set(local('11-19 08:30'));
    const out = await say(t2.staffId, `缺勤 ${Y.name} 旷课 11-17`);
    const text = replyTo(out, t2.staffId);
    expect(text).toContain(`${Y.name}：旷课（新登记）`);
    expect((await openAlerts(Y)).map((a) => a.step)).toContain('suspected_dropout');
    expect(dmsTo(out, townY.staffId).some((d) => d.text.includes('疑似辍学') && d.text.includes(Y.name))).toBe(true);
    const c = await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: Y.id } });
    expect(c.state).toBe('suspected');
    // the class teacher's report for Tuesday took the class's attendance: X was there, so no two-day streak
    expect((await openAlerts(X)).map((a) => a.step)).toEqual(['call_family']);
    const jointX = await app.deps.db.alert.findFirstOrThrow({ where: { studentId: X.id, step: 'joint_home_visit' } });
    expect(jointX.status).toBe('withdrawn');
  });

  it('更正 of a filled-in day re-runs the ladder too', async () => {
    const out = await say(t2.staffId, `更正 ${Y.name} 病假 11-17`);
    expect(replyTo(out, t2.staffId)).toContain(`${Y.name}：由旷课改为病假`);
    expect((await openAlerts(Y)).map((a) => a.step)).not.toContain('suspected_dropout');
    await say(t2.staffId, `更正 ${Y.name} 旷课 11-17`);
    expect((await openAlerts(Y)).map((a) => a.step)).toContain('suspected_dropout');
  });
});

describe('follow-up after 复学 (留得住)', () => {
  it('复学 opens the follow-up: the case is 跟踪中(复学后) until the 3rd school day after', async () => {
    app.clock.set(local('11-20 08:30'));
    const out = await say(t2.staffId, `复学 ${Y.name}`);
    expect(replyTo(out, t2.staffId)).toContain('跟踪中(复学后)，至11月25日');
    const c = await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: Y.id }, orderBy: { id: 'desc' } });
    expect(c.state).toBe('following');
    expect(await openAlerts(Y)).toEqual([]);
    const list = await say(t2.staffId, '个案');
    expect(replyTo(list, t2.staffId)).toContain('跟踪中(复学后)，至11月25日');
  });

  it('one unexcused day in the follow-up goes straight to the joint home visit', async () => {
    app.clock.set(local('11-23 08:30'));
    const out = await say(t2.staffId, `缺勤 ${Y.name} 旷课`);
    expect((await openAlerts(Y)).map((a) => a.step)).toEqual(['joint_home_visit']);
    const p = dmsTo(out, principal2.staffId).filter((d) => d.text.includes(Y.name));
    expect(p).toHaveLength(1);
    expect(p[0]!.text).toContain('两天未到校预警');
    expect(dmsTo(out, cadreY.staffId).some((d) => d.text.includes(Y.name))).toBe(true);
  });

  it('back the next day: the alert is resolved, the case is still followed', async () => {
    app.clock.set(local('11-24 08:30'));
    await say(t2.staffId, '今天全到');
    expect(await openAlerts(Y)).toEqual([]);
    expect((await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: Y.id }, orderBy: { id: 'desc' } })).state).toBe('following');
  });

  it('the end of the period closes the case (动态销号) once, and tells the class teacher and the town by DM', async () => {
    const runner = createDutyRunner(app.deps, [followUpEnd]);
    app.clock.set(local('11-24 17:30'));
    await runner.tick();
    expect((await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: Y.id }, orderBy: { id: 'desc' } })).state).toBe('following');
    app.clock.set(local('11-25 17:01'));
    await runner.tick();
    const c = await app.deps.db.dropoutCase.findFirstOrThrow({
      where: { studentId: Y.id },
      orderBy: { id: 'desc' },
      include: { events: { orderBy: { id: 'asc' } } },
    });
    expect(c.state).toBe('returned');
    expect(c.events.map((e) => e.type).slice(-2)).toEqual(['return', 'follow_up_end']);
    const told = await app.deps.db.outbox.findMany({ where: { kind: 'duty:follow_up_end' } });
    expect(told.map((m) => m.chatRef).sort()).toEqual([`console:dm:${t2.staffId}`, `console:dm:${townY.staffId}`].sort());
    expect(told.every((m) => m.text.includes('复学跟踪期满') && m.text.includes(Y.name))).toBe(true);
    app.clock.set(local('11-26 17:01'));
    await runner.tick();
    expect(await app.deps.db.outbox.count({ where: { kind: 'duty:follow_up_end' } })).toBe(2);
    expect(await app.deps.db.caseEvent.count({ where: { caseId: c.id, type: 'follow_up_end' } })).toBe(1);
  });
});

describe('re-placement on 复学', () => {
  it('复学 … 编入 <class> moves the pupil to that class of the same school, as a register event', async () => {
    app.clock.set(local('11-26 08:30'));
    const target = await app.deps.db.schoolClass.findUniqueOrThrow({ where: { id: t3.classId! } });
    const out = await say(t1.staffId, `复学 ${A.name} 编入 ${target.name}`);
    expect(replyTo(out, t1.staffId)).toContain(`已编入${target.name}`);
    const a = await app.deps.db.student.findUniqueOrThrow({ where: { id: A.id } });
    expect(a.classId).toBe(target.id);
    const ev = await app.deps.db.registerEvent.findMany({ where: { studentId: A.id } });
    expect(ev).toMatchObject([{ change: 'reclassed', on: '2026-11-26', fromClassId: t1.classId, toClassId: target.id }]);
  });

  it('a class the school does not have is refused with an example, and nothing changes', async () => {
    const out = await say(t1.staffId, `复学 ${B.name} 编入 六(9)班`);
    const text = replyTo(out, t1.staffId);
    expect(text).toContain('本校没有“六(9)班”');
    expect(text).toMatch(/复学 张三 编入 \S+班/);
    expect((await app.deps.db.student.findUniqueOrThrow({ where: { id: B.id } })).classId).toBe(t1.classId);
    expect(await app.deps.db.registerEvent.count({ where: { studentId: B.id } })).toBe(0);
    expect(await marksOf(B, '2026-11-26')).toEqual([]);
  });
});
