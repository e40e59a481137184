/**
 * Declared arguments end to end: 帮助 lists a command's accepted labels from its declaration; a student not in the
 * sender's scope, a 工号 of nobody, a future date and a word that is no label are refused with the example, and
 * nothing is written; a synonym is read as its label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
let principal: { staffId: string; schoolId: number | null };
let pupil: { id: number; name: string; studentNo: string };
let outsider: { name: string; studentNo: string };

const say = async (who: string, text: string) => (await app.session.say(who, 'dm', text)).delivered.map((d) => d.text).join('\n');
const audits = () => app.deps.db.auditLog.count();

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-18T08:30:00+08:00' });
  const db = app.deps.db;
  principal = await db.person.findFirstOrThrow({ where: { role: 'principal' }, orderBy: { id: 'asc' } });
  const mine = await db.student.findMany({ where: { class: { schoolId: principal.schoolId! }, status: 'enrolled' }, orderBy: { id: 'asc' } });
  pupil = mine.find((x) => mine.filter((y) => y.name === x.name).length === 1)!;
  outsider = await db.student.findFirstOrThrow({ where: { class: { schoolId: { not: principal.schoolId! } } } });
});
afterAll(() => app.close());

describe('declared arguments', () => {
  it('帮助 lists the accepted labels of a command from its declaration', async () => {
    const help = await say(principal.staffId, '帮助');
    expect(help).toContain('可写：原因：贫困、厌学');
    expect(help).toContain('或 其他:具体结果');
  });

  it('refusals carry the reason and the example, and write nothing', async () => {
    const before = await audits();
    const future = await say(principal.staffId, `休学 ${pupil.studentNo.slice(-6)} 11-25`);
    expect(future).toContain('不能登记未来日期的学籍变动');
    expect(future).toContain('正确示例：休学 张三');
    const elsewhere = await say(principal.staffId, `确认辍学 ${outsider.studentNo}`);
    expect(elsewhere).toContain('在您负责的范围内没有找到学生');
    expect(elsewhere).toContain('正确示例：确认辍学 张三');
    const nobody = await say(principal.staffId, `包保 ${pupil.studentNo.slice(-6)} T99999999`);
    expect(nobody).toContain('没有工号为“T99999999”的在职人员');
    expect(nobody).toContain('正确示例：');
    const label = await say(principal.staffId, `家访 ${pupil.studentNo.slice(-6)} 走亲戚 同意返校`);
    expect(label).toContain('不认识原因“走亲戚”');
    expect(label).toContain('正确示例：家访 张三 厌学 同意返校');
    const extra = await say(principal.staffId, '辍学名单 表格 csv');
    expect(extra).toContain('正确示例：辍学名单 表格');
    expect(await audits()).toBe(before);
    expect(await app.deps.db.student.findUniqueOrThrow({ where: { id: pupil.id } })).toMatchObject({ status: 'enrolled' });
  });

  it('a synonym is read as its label', async () => {
    const out = await say(principal.staffId, `家访 ${pupil.studentNo.slice(-6)} 打工 答应返校`);
    expect(out).toContain('原因：外出务工，结果：同意返校');
  });
});

describe('declared arguments of the attendance commands', () => {
  it('更正 reads a synonym as its status and 全到 refuses anything but a date, with the example, writing nothing', async () => {
    const teacher = await app.deps.db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
    const kids = await app.deps.db.student.findMany({ where: { classId: teacher.classId!, status: 'enrolled' }, orderBy: { id: 'asc' } });
    const kid = kids.find((x) => kids.filter((y) => y.name === x.name).length === 1)!;
    await say(teacher.staffId, `缺勤 ${kid.name} 旷课`);
    const fixed = await say(teacher.staffId, `更正 ${kid.name} 生病`);
    expect(fixed).toContain('病假');
    const marks = await app.deps.db.attendanceMark.findMany({ where: { studentId: kid.id }, orderBy: { id: 'asc' } });
    expect(marks.at(-1)!.status).toBe('sick');
    const before = await audits();
    const noStatus = await say(teacher.staffId, `更正 ${kid.name}`);
    expect(noStatus).toContain('请写改成什么');
    expect(noStatus).toContain('正确示例：更正 张三 病假 11-20');
    const notDate = await say(teacher.staffId, '全到 明天见');
    expect(notDate).toContain('正确示例：今天全到 或 全到 11-20');
    expect(await audits()).toBe(before);
  });
});
