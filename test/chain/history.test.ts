/** 历史: who changed what, when (local time) and where, within the asker's scope; by DM only, never a pupil's name in a group. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Delivered } from '../../src/console/session.js';

let app: TestApp;
let teacher: { staffId: string; name: string; classId: number | null };
let otherTeacher: { staffId: string };
let principal: { staffId: string };
let county: { staffId: string };
let otherTown: { staffId: string };
let pupil: { name: string; studentNo: string };
let className: string;
let schoolName: string;
let allNames: string[];
const GROUP = '家长群';
const groupTexts: string[] = [];

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-18T08:30:00+08:00' });
  const db = app.deps.db;
  teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  otherTeacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher', classId: { not: teacher.classId } }, orderBy: { id: 'asc' } });
  const cls = await db.schoolClass.findUniqueOrThrow({ where: { id: teacher.classId! }, include: { school: true } });
  className = cls.name;
  schoolName = cls.school.name;
  principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: cls.schoolId } });
  county = await db.person.findFirstOrThrow({ where: { role: 'county' } });
  otherTown = await db.person.findFirstOrThrow({ where: { role: 'town', townId: { not: cls.school.townId } } });
  pupil = await db.student.findFirstOrThrow({ where: { classId: teacher.classId! }, orderBy: { id: 'asc' } });
  allNames = (await db.student.findMany({ select: { name: true } })).map((s) => s.name);
  await say(teacher.staffId, '绑定班级', GROUP);
});
afterAll(async () => app?.close());

async function say(who: string, text: string, chat = 'dm'): Promise<Delivered[]> {
  const out = (await app.session.say(who, chat, text)).delivered;
  groupTexts.push(...out.filter((d) => d.chat !== 'dm').map((d) => d.text));
  return out;
}
const dmTo = (ds: Delivered[], who: string) =>
  ds
    .filter((d) => d.chat === 'dm' && d.to === who)
    .map((d) => d.text)
    .join('\n');

describe('历史', () => {
  it('a pupil: each mark and correction with who, local time and the kind of chat (never its id)', async () => {
    await say(teacher.staffId, `缺勤 ${pupil.studentNo.slice(-6)} 病假`);
    app.clock.set('2026-11-18T10:05:00+08:00');
    await say(teacher.staffId, `更正 ${pupil.studentNo.slice(-6)} 旷课`, GROUP);
    const text = dmTo(await say(teacher.staffId, `历史 ${pupil.name}`), teacher.staffId);
    expect(text).toContain(`${pupil.name}（`);
    expect(text).toContain(`08:30 ${teacher.name}（班主任） 在控制台私聊：登记 11月18日病假`);
    expect(text).toMatch(new RegExp(`10:05 ${teacher.name}（班主任） 在控制台群聊：更正 11月18日考勤为旷课（原为病假）`));
    expect(text).not.toContain(GROUP);
    expect(text).not.toContain('console:');
  });

  it('a class on a day, for the principal; the county must name the school when the class name is not unique', async () => {
    const text = dmTo(await say(principal.staffId, `历史 ${className} 11-18`), principal.staffId);
    expect(text).toContain(`${schoolName} ${className} 11月18日`);
    expect(text).toContain(`更正 ${pupil.name} 11月18日考勤为旷课`);
    const ambiguous = dmTo(await say(county.staffId, `历史 ${className} 2026-11-18`), county.staffId);
    expect(ambiguous).toMatch(/所学校都有|的记录/);
    const named = dmTo(await say(county.staffId, `历史 ${schoolName} ${className} 2026-11-18`), county.staffId);
    expect(named).toContain(pupil.name);
  });

  it('a register change has no chat of its own: its place comes from the message that recorded it', async () => {
    const second = await app.deps.db.student.findFirstOrThrow({ where: { classId: teacher.classId! }, orderBy: { id: 'asc' }, skip: 1 });
    app.clock.set('2026-11-18T11:00:00+08:00');
    await say(principal.staffId, `休学 ${second.studentNo.slice(-6)}`);
    const text = dmTo(await say(principal.staffId, `历史 ${second.studentNo.slice(-6)}`), principal.staffId);
    expect(text).toMatch(/11:00 .+（校长） 在控制台私聊：学籍变动：休学（11月18日起）/);
  });

  it('out of scope: another class teacher, a town official of another town', async () => {
    const t = dmTo(await say(otherTeacher.staffId, `历史 ${pupil.studentNo.slice(-6)}`), otherTeacher.staffId);
    expect(t).toContain('在您负责的范围内没有找到');
    expect(t).toContain('正确示例');
    const town = dmTo(await say(otherTown.staffId, `历史 ${schoolName} ${className} 11-18`), otherTown.staffId);
    expect(town).toContain('没有找到班级');
    expect(town).not.toContain(pupil.name);
  });

  it('in a group: refused by DM with an example; nothing said in the group names a pupil', async () => {
    const out = await say(teacher.staffId, `历史 ${pupil.name}`, GROUP);
    const dm = dmTo(out, teacher.staffId);
    expect(dm).toContain('只能在私聊中使用');
    expect(dm).toContain('示例：历史 ');
    expect(out.some((d) => d.chat === GROUP)).toBe(true);
    await say(teacher.staffId, `历史 ${className} 今天`, GROUP);
    expect(groupTexts.length).toBeGreaterThan(0);
    for (const text of groupTexts) for (const n of allNames) expect(text.includes(n), `group text names ${n}: ${text}`).toBe(false);
  });
});
