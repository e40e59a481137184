/** A class group cannot be taken over: only the bound class's teacher or the school's principal moves it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { groupClass } from '../../src/store/chat.repository.js';

let app: TestApp;
let teacherA: { staffId: string; classId: number; schoolId: number };
let teacherB: { staffId: string; classId: number };
let classA: string;
let classB: string;
let principal: string;
let otherPrincipal: string;
const GROUP = '一(1)班家长群';

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  const db = app.deps.db;
  const a = await db.person.findUniqueOrThrow({ where: { staffId: 'T0012' } });
  teacherA = { staffId: a.staffId, classId: a.classId!, schoolId: a.schoolId! };
  const b = await db.person.findFirstOrThrow({ where: { role: 'class_teacher', schoolId: a.schoolId, classId: { not: a.classId } }, orderBy: { id: 'asc' } });
  teacherB = { staffId: b.staffId, classId: b.classId! };
  classA = (await db.schoolClass.findUniqueOrThrow({ where: { id: teacherA.classId } })).name;
  classB = (await db.schoolClass.findUniqueOrThrow({ where: { id: teacherB.classId } })).name;
  principal = (await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: a.schoolId } })).staffId;
  otherPrincipal = (await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: { not: a.schoolId } } })).staffId;
});
afterAll(async () => app?.close());

const say = async (who: string, chat: string, text: string) => (await app.session.say(who, chat, text)).delivered;
const bound = () => groupClass(app.deps.db, `console:group:${GROUP}`);

describe('绑定班级', () => {
  it('the class teacher binds the group; binding it again is a no-op answer', async () => {
    expect((await say(teacherA.staffId, GROUP, '绑定班级'))[0]!.text).toContain(`已把本群绑定为`);
    const rows = await app.deps.db.groupBinding.count();
    const again = await say(teacherA.staffId, GROUP, `绑定班级 ${classA}`);
    expect(again).toHaveLength(1);
    expect(again[0]!.text).toContain('无需重复绑定');
    expect(await app.deps.db.groupBinding.count()).toBe(rows);
  });

  it("another class's teacher cannot take the group over, and nobody is told anything but the refusal", async () => {
    const out = await say(teacherB.staffId, GROUP, '绑定班级');
    // A refusal in a group: the group sees a neutral line, the reason and an example go to the sender by DM.
    expect(out).toHaveLength(2);
    const inGroup = out.find((o) => o.chat === GROUP)!;
    const toSender = out.find((o) => o.chat !== GROUP)!;
    expect(inGroup.text).toContain('详情已私信发给您');
    expect(toSender.text).toContain(`需要${classA}的班主任或`);
    expect(toSender.text).toContain('正确示例：');
    expect(await bound()).toBe(teacherA.classId);
  });

  it('a principal of another school cannot move it either', async () => {
    const out = await say(otherPrincipal, GROUP, `绑定班级 ${classB}`);
    expect(out[0]!.text).toMatch(/没有找到|不能直接改绑/);
    expect(await bound()).toBe(teacherA.classId);
  });

  it("the school's principal moves it; the previous class teacher and the new one are told by direct message", async () => {
    const out = await say(principal, GROUP, `绑定班级 ${classB.replace('(', '（').replace(')', '）')}`);
    expect(await bound()).toBe(teacherB.classId);
    expect(out.find((d) => d.chat === GROUP)!.text).toContain(`${classB} 班级群`);
    const toA = out.find((d) => d.chat === 'dm' && d.to === teacherA.staffId);
    expect(toA?.text).toContain('改绑');
    expect(out.find((d) => d.chat === 'dm' && d.to === teacherB.staffId)?.text).toContain(`您的${classB}班级群`);
  });

  it('the class teacher of the bound class may hand the group over to another class of the school', async () => {
    const out = await say(teacherB.staffId, GROUP, `绑定班级 ${classA}`);
    expect(await bound()).toBe(teacherA.classId);
    expect(out.find((d) => d.chat === 'dm' && d.to === teacherA.staffId)?.text).toContain(`您的${classA}班级群`);
  });

  it('a class teacher cannot bind a fresh group to a class not their own', async () => {
    const out = await say(teacherA.staffId, '新群', `绑定班级 ${classB}`);
    expect(out[0]!.text).toContain('只能绑定自己的班级');
    expect(await groupClass(app.deps.db, 'console:group:新群')).toBeUndefined();
  });

  it('a principal must name the class', async () => {
    const out = await say(principal, '新群', '绑定班级');
    expect(out[0]!.text).toContain('请写上要把本群绑定到哪个班级');
    expect(await groupClass(app.deps.db, 'console:group:新群')).toBeUndefined();
  });
});
