/** The product's reason to exist: two unexcused school days reach both lines, by direct message only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Delivered } from '../../src/console/session.js';

let app: TestApp;
let teacher: { staffId: string; name: string };
let principal: { staffId: string };
let cadre: { staffId: string };
let townOfficial: { staffId: string };
let student: { name: string };
const GROUP = '三年级家长群';

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  const db = app.deps.db;
  const t = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  // a student whose name is unique in the class, so the teacher can name them plainly
  const students = await db.student.findMany({ where: { classId: t.classId! }, include: { village: true } });
  const s = students.find((x) => students.filter((y) => y.name === x.name).length === 1)!;
  const cls = await db.schoolClass.findUniqueOrThrow({ where: { id: t.classId! } });
  teacher = t;
  student = s;
  principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: cls.schoolId } });
  cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: s.villageId } });
  townOfficial = await db.person.findFirstOrThrow({ where: { role: 'town', townId: s.village.townId } });
});

afterAll(async () => app?.close());

const say = async (who: string, chat: string, text: string) => (await app.session.say(who, chat, text)).delivered;
const dmsTo = (ds: Delivered[], staffId: string) => ds.filter((d) => d.chat === 'dm' && d.to === staffId);

describe('two consecutive unexcused school days', () => {
  it('the class teacher binds the class group', async () => {
    const out = await say(teacher.staffId, GROUP, '绑定班级');
    expect(out).toHaveLength(1);
    expect(out[0]!.chat).toBe(GROUP);
    expect(out[0]!.text).toContain('已把本群绑定为');
  });

  it('day one (Friday): the teacher is asked to call the family, the group sees no name', async () => {
    const out = await say(teacher.staffId, GROUP, `缺勤 ${student.name} 旷课`);
    const group = out.filter((d) => d.chat === GROUP);
    expect(group).toHaveLength(1);
    expect(group[0]!.text).toContain('旷课 1 人');
    expect(group.every((d) => !d.text.includes(student.name))).toBe(true);
    expect(dmsTo(out, teacher.staffId).some((d) => d.text.includes('缺勤提醒') && d.text.includes(student.name))).toBe(true);
    expect(dmsTo(out, principal.staffId)).toHaveLength(0);
    expect(dmsTo(out, cadre.staffId)).toHaveLength(0);
  });

  it('day two (Monday, after the weekend): principal and village cadre are alerted by DM', async () => {
    app.clock.set('2026-11-23T08:30:00+08:00');
    const out = await say(teacher.staffId, GROUP, `缺勤 ${student.name} 旷课`);
    const toPrincipal = dmsTo(out, principal.staffId);
    const toCadre = dmsTo(out, cadre.staffId);
    expect(toPrincipal).toHaveLength(1);
    expect(toCadre).toHaveLength(1);
    for (const d of [...toPrincipal, ...toCadre]) {
      expect(d.text).toContain('两天未到校预警');
      expect(d.text).toContain(student.name);
      expect(d.text).toContain('连续 2 个上学日');
      expect(d.buttons?.[0]).toContain('收到');
    }
    expect(dmsTo(out, townOfficial.staffId)).toHaveLength(0);
    expect(out.filter((d) => d.chat !== 'dm').every((d) => !d.text.includes(student.name))).toBe(true);
  });

  it('the principal acknowledges the alert', async () => {
    const alert = await app.deps.db.alert.findFirstOrThrow({ where: { step: 'joint_home_visit', status: 'open' } });
    const out = await say(principal.staffId, 'dm', `收到 ${alert.id}`);
    expect(out[0]!.text).toContain(`已确认收到预警 #${alert.id}`);
    const r = await app.deps.db.alertRecipient.findFirstOrThrow({ where: { alertId: alert.id, ackAt: { not: null } } });
    expect(r.ackAt).not.toBeNull();
    const again = await say(principal.staffId, 'dm', `收到 ${alert.id}`);
    expect(again[0]!.text).toContain('已经确认过');
  });

  it("someone else's alert cannot be acknowledged", async () => {
    const alert = await app.deps.db.alert.findFirstOrThrow({ where: { step: 'joint_home_visit' } });
    const out = await say(townOfficial.staffId, 'dm', `收到 ${alert.id}`);
    expect(out[0]!.text).toContain('不是发给您的');
  });

  it('a correction to sick leave withdraws the alert and tells everyone who was alerted', async () => {
    app.clock.set('2026-11-23T10:00:00+08:00');
    const out = await say(teacher.staffId, 'dm', `更正 ${student.name} 病假 今天`);
    expect(dmsTo(out, principal.staffId)[0]?.text).toContain('已撤销');
    expect(dmsTo(out, cadre.staffId)[0]?.text).toContain('已撤销');
    const alerts = await app.deps.db.alert.findMany({ where: { step: 'joint_home_visit' } });
    expect(alerts.map((a) => a.status)).toEqual(['withdrawn']);
    // history is kept: both marks for Monday are still there
    const marks = await app.deps.db.attendanceMark.findMany({ where: { date: '2026-11-23' }, orderBy: { id: 'asc' } });
    expect(marks.map((m) => m.status)).toEqual(['truant', 'sick']);
    expect(marks[1]!.supersedesId).toBe(marks[0]!.id);
  });

  it('three unexcused days open a suspected-dropout case and tell the town', async () => {
    app.clock.set('2026-11-24T08:30:00+08:00');
    await say(teacher.staffId, 'dm', `更正 ${student.name} 旷课 11-23`);
    const out = await say(teacher.staffId, GROUP, `缺勤 ${student.name} 旷课`);
    expect(dmsTo(out, townOfficial.staffId).some((d) => d.text.includes('疑似辍学'))).toBe(true);
    const c = await app.deps.db.dropoutCase.findFirstOrThrow({});
    expect(c.state).toBe('suspected');
  });

  it('the student comes back: alerts resolved, the case followed (跟踪中(复学后)), people told', async () => {
    app.clock.set('2026-11-25T08:30:00+08:00');
    const out = await say(teacher.staffId, 'dm', `复学 ${student.name}`);
    expect(out.some((d) => d.text.includes('已解除'))).toBe(true);
    const open = await app.deps.db.alert.count({ where: { status: 'open' } });
    expect(open).toBe(0);
    const c = await app.deps.db.dropoutCase.findFirstOrThrow({});
    expect(c.state).toBe('following');
    expect(dmsTo(out, teacher.staffId).some((d) => d.text.includes('跟踪中(复学后)'))).toBe(true);
  });
});
