/**
 * Care for pupils needing attention (重点关注) and the people responsible for them (包保), through the router:
 * the attention tag in alert DMs; ATTENTION_ESCALATE sends a left-behind child's first-day alert to the village cadre
 * too (and not another pupil's); 包保 add / list / remove with its refusals, and the named person's next alert;
 * 家访 with 其他:说明, stored and shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Delivered } from '../../src/console/session.js';
import { DETAIL_SENT_PRIVATELY } from '../../src/core/group-privacy.js';

interface P {
  id: number;
  staffId: string;
  name: string;
}
interface S {
  id: number;
  name: string;
  studentNo: string;
  villageId: number;
}
let app: TestApp;
let teacher: P & { classId: number | null };
let subject: P;
let principal: P;
let otherPrincipal: P;
let otherTeacher: P;
let cadre: P;
let town: P;
let a: S; // left-behind
let b: S; // no attention kind, same village as a when the class has one
let tail: (s: S) => string;

const GROUP = '一(1)班家长群';
const say = async (who: string, text: string, chat = 'dm') => (await app.session.say(who, chat, text)).delivered;
const to = (ds: Delivered[], id: string) =>
  ds
    .filter((d) => d.to === id && d.chat === 'dm')
    .map((d) => d.text)
    .join('\n');
const day = (d: string) => app.clock.set(`${d}T08:30:00+08:00`);

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-18T08:30:00+08:00' });
  const db = app.deps.db;
  teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  const pupils = await db.student.findMany({
    where: { classId: teacher.classId!, status: 'enrolled' },
    include: { class: true, village: true },
    orderBy: { id: 'asc' },
  });
  const unique = pupils.filter((x) => pupils.filter((y) => y.name === x.name).length === 1);
  a = unique[0]!;
  b = unique.slice(1).find((x) => x.villageId === a.villageId) ?? unique[1]!;
  await db.student.update({ where: { id: a.id }, data: { attention: 'left_behind,poor' } });
  await db.student.update({ where: { id: b.id }, data: { attention: '' } });
  const schoolId = pupils[0]!.class.schoolId;
  subject = await db.person.findFirstOrThrow({ where: { role: 'subject_teacher', classId: teacher.classId } });
  principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId } });
  otherPrincipal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: { not: schoolId } } });
  otherTeacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher', schoolId: { not: schoolId } } });
  cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: a.villageId } });
  town = await db.person.findFirstOrThrow({ where: { role: 'town', townId: pupils[0]!.village.townId } });
  tail = (s) => s.studentNo.slice(-6);
});
afterAll(async () => app?.close());

describe('包保: naming the people responsible for a pupil', () => {
  it('the principal names the subject teacher for b; the named person is told by DM; the list shows them', async () => {
    const out = await say(principal.staffId, `包保 ${b.name} ${subject.staffId}`);
    expect(to(out, principal.staffId)).toContain(`已指定 ${b.name} 的包保人`);
    expect(to(out, principal.staffId)).toContain(subject.staffId);
    expect(to(out, subject.staffId)).toContain('包保责任人');
    const list = await say(town.staffId, `包保 ${tail(b)}`);
    expect(to(list, town.staffId)).toContain(`包保人 1 人：${subject.name}`);
    const rows = await app.deps.db.studentGuarantor.findMany({ where: { studentId: b.id } });
    expect(rows.map((r) => r.action)).toEqual(['add']);
  });

  it('naming the same person again adds no row', async () => {
    const out = await say(principal.staffId, `包保 ${b.name} ${subject.staffId}`);
    expect(to(out, principal.staffId)).toContain('本来就是');
    expect(await app.deps.db.studentGuarantor.count({ where: { studentId: b.id } })).toBe(1);
  });

  it('refusals say why, show an example and write nothing', async () => {
    const before = await app.deps.db.studentGuarantor.count();
    const unknown = to(await say(principal.staffId, `包保 ${b.name} T99999999`), principal.staffId);
    expect(unknown).toContain('没有工号为“T99999999”');
    expect(unknown).toContain('正确示例');
    const outOfScope = to(await say(principal.staffId, `包保 ${b.name} ${otherTeacher.staffId}`), principal.staffId);
    expect(outOfScope).toContain('不负责');
    expect(outOfScope).toContain('正确示例');
    const wrongSchool = to(await say(otherPrincipal.staffId, `包保 ${b.name} ${otherPrincipal.staffId}`), otherPrincipal.staffId);
    expect(wrongSchool).toContain('在您负责的范围内没有找到');
    const notAllowed = to(await say(teacher.staffId, `包保 ${b.name} ${subject.staffId}`), teacher.staffId);
    expect(notAllowed).toContain('只有');
    const notNamed = to(await say(principal.staffId, `包保 ${b.name} 取消 ${cadre.staffId}`), principal.staffId);
    expect(notNamed).toContain('无需取消');
    expect(await app.deps.db.studentGuarantor.count()).toBe(before);
  });

  it('sent in a group: the group hears no pupil name, the sender gets the detail by DM, nothing is written', async () => {
    expect((await app.session.say(teacher.staffId, GROUP, '绑定班级')).result?.handled).toBe('command');
    const before = await app.deps.db.studentGuarantor.count();
    const out = await say(principal.staffId, `包保 ${a.name} ${cadre.staffId}`, GROUP);
    const group = out.filter((d) => d.chat !== 'dm');
    expect(group.length).toBeGreaterThan(0);
    for (const g of group) {
      expect(g.text).not.toContain(a.name);
      expect(g.text).toContain(DETAIL_SENT_PRIVATELY);
    }
    expect(to(out, principal.staffId)).toContain('私聊');
    expect(await app.deps.db.studentGuarantor.count()).toBe(before);
  });
});

describe('alerts: 重点关注 and the priority rule', () => {
  it("day 1: a left-behind child's alert reaches the village cadre too, tagged; b's does not, and reaches b's 包保 person", async () => {
    const out = await say(teacher.staffId, `缺勤 ${a.studentNo} 旷课 ${b.studentNo} 旷课`);
    const teacherGot = to(out, teacher.staffId);
    expect(teacherGot).toContain('【重点关注：贫困家庭、留守儿童】');
    const cadreGot = to(out, cadre.staffId);
    expect(cadreGot).toContain('缺勤提醒');
    expect(cadreGot).toContain(a.name);
    expect(cadreGot).toContain('【重点关注：');
    expect(cadreGot).not.toContain(b.name);
    // b's first-day alert: the class teacher, and the person named by 包保 — not the cadre of b's village
    const bAlert = await app.deps.db.alert.findFirstOrThrow({ where: { studentId: b.id, step: 'call_family' }, include: { recipients: true } });
    const bCadres = await app.deps.db.person.findMany({ where: { role: 'village', villageId: b.villageId } });
    const got = bAlert.recipients.map((r) => r.personId);
    expect(got).toContain(subject.id);
    expect(got).toContain(teacher.id);
    for (const c of bCadres) expect(got).not.toContain(c.id);
    expect(to(out, subject.staffId)).toContain(b.name);
    // the tag appears only with pupils who have a kind
    const bText = out.find((d) => d.to === teacher.staffId && d.text.includes(b.name) && d.text.includes('缺勤提醒'))!.text;
    expect(bText).not.toContain('重点关注');
    expect(out.filter((d) => d.chat !== 'dm')).toEqual([]);
  });

  it("after removal the named person is no longer a recipient of b's next alert; history keeps both rows", async () => {
    const out = await say(town.staffId, `包保 ${tail(b)} 取消 ${subject.staffId}`);
    expect(to(out, town.staffId)).toContain('已取消');
    expect(to(out, town.staffId)).toContain('还没有指定包保人');
    expect((await app.deps.db.studentGuarantor.findMany({ where: { studentId: b.id }, orderBy: { id: 'asc' } })).map((r) => r.action)).toEqual([
      'add',
      'remove',
    ]);
    day('2026-11-19');
    await say(teacher.staffId, `缺勤 ${b.studentNo} 旷课`);
    const two = await app.deps.db.alert.findFirstOrThrow({ where: { studentId: b.id, step: 'joint_home_visit' }, include: { recipients: true } });
    expect(two.recipients.map((r) => r.personId)).not.toContain(subject.id);
  });

  it("without the rule (ATTENTION_ESCALATE=off) the left-behind child's first day reaches the class teacher only", async () => {
    const off = await makeApp({ now: '2026-11-18T08:30:00+08:00', env: { ATTENTION_ESCALATE: 'off' } });
    try {
      await off.deps.db.student.update({ where: { id: a.id }, data: { attention: 'left_behind' } });
      await off.session.say(teacher.staffId, 'dm', `缺勤 ${a.studentNo} 旷课`);
      const alert = await off.deps.db.alert.findFirstOrThrow({ where: { studentId: a.id }, include: { recipients: true } });
      expect(alert.recipients.map((r) => r.personId)).toEqual([teacher.id]);
    } finally {
      await off.close();
    }
  });
});

describe('家访 with 其他', () => {
  it('其他:说明 is stored with the visit and shown in the reply', async () => {
    const out = await say(cadre.staffId, `家访 ${a.studentNo} 其他:外出打工跟随父母 同意返校 下周一送回`);
    const reply = to(out, cadre.staffId);
    expect(reply).toContain('原因：其他');
    expect(reply).toContain('结果：同意返校');
    expect(reply).toContain('外出打工跟随父母');
    const v = await app.deps.db.homeVisit.findFirstOrThrow({ where: { studentId: a.id }, orderBy: { id: 'desc' } });
    expect(v.reason).toBe('other');
    expect(v.outcome).toBe('will_return');
    expect(v.note).toBe('其他原因：外出打工跟随父母；下周一送回');
  });

  it('the domain labels are the ones read and listed; 其他 without a word of explanation is refused', async () => {
    const before = await app.deps.db.homeVisit.count();
    const bare = to(await say(cadre.staffId, `家访 ${a.studentNo} 其他 同意返校`), cadre.staffId);
    expect(bare).toContain('冒号后写明');
    expect(bare).toContain('家访 张三 其他:外出打工跟随父母 同意返校');
    const bad = to(await say(cadre.staffId, `家访 ${a.studentNo} 厌学 走亲戚`), cadre.staffId);
    expect(bad).toContain('不认识结果');
    expect(bad).toContain('未见到学生或家长'); // the domain's label, not a copy of its own
    expect(bad).toContain('其他:具体结果');
    expect(await app.deps.db.homeVisit.count()).toBe(before);
    const synonym = to(await say(cadre.staffId, `家访 ${a.studentNo} 打工 不在家`), cadre.staffId);
    expect(synonym).toContain('原因：外出务工，结果：未见到学生或家长');
  });

  it('个案 lists the pupil with their 重点关注 kinds and the latest visit', async () => {
    // a needs a case: three unexcused days
    for (const d of ['2026-11-19', '2026-11-20']) {
      day(d);
      await say(teacher.staffId, `缺勤 ${a.studentNo} 旷课`);
    }
    await say(cadre.staffId, `家访 ${a.studentNo} 其他:外出打工跟随父母 其他:答应寒假后返校`);
    const list = to(await say(principal.staffId, '个案'), principal.staffId);
    const line = list.split('\n').find((l) => l.includes(a.name))!;
    expect(line).toContain('【重点关注：贫困家庭、留守儿童】');
    expect(line).toContain('其他原因：外出打工跟随父母；其他结果：答应寒假后返校');
  });
});
