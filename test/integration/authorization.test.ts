/** Every command × every role, and reads/writes in and out of scope. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { COMMANDS } from '../../src/core/commands/index.js';
import { ROLES, type Role } from '../../src/domain/types.js';

let app: TestApp;
const byRole = new Map<Role, { staffId: string; classId: number | null; schoolId: number | null; villageId: number | null; townId: number | null }>();

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T09:00:00+08:00' });
  for (const role of ROLES) byRole.set(role, await app.deps.db.person.findFirstOrThrow({ where: { role }, orderBy: { id: 'asc' } }));
});
afterAll(async () => app?.close());

const say = async (who: string, chat: string, text: string) => (await app.session.say(who, chat, text)).delivered;

describe('every command × every role', () => {
  for (const def of COMMANDS) {
    for (const role of ROLES) {
      const allowed = def.roles === 'all' || def.roles.includes(role);
      it(`${def.id} as ${role}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const p = byRole.get(role)!;
        const chat = def.where === 'group' ? `群-${role}-${def.id}` : 'dm';
        const before = await app.deps.db.auditLog.count();
        const out = await say(p.staffId, chat, def.example);
        const roleRefusal = out.some((d) => d.text.includes(`「${def.words[0]}」只有`));
        expect(roleRefusal).toBe(!allowed);
        if (!allowed) expect(await app.deps.db.auditLog.count()).toBe(before);
      });
    }
  }
});

describe('where a command may be used', () => {
  it('a home visit is refused in a group chat and records nothing', async () => {
    const t = byRole.get('class_teacher')!;
    const student = await app.deps.db.student.findFirstOrThrow({ where: { classId: t.classId! } });
    const out = await say(t.staffId, '某群', `家访 ${student.name} 厌学 愿意返校`);
    expect(out[0]!.text).toContain('只能在私聊中使用');
    expect(await app.deps.db.homeVisit.count()).toBe(0);
  });
  it('binding a class is refused in a direct chat', async () => {
    const out = await say(byRole.get('class_teacher')!.staffId, 'dm', '绑定班级');
    expect(out[0]!.text).toContain('需要在班级群里发送');
  });
});

describe('scope: nobody reads or writes outside their own', () => {
  async function studentOutside(where: object) {
    return app.deps.db.student.findFirstOrThrow({ where, orderBy: { id: 'asc' } });
  }
  it('a class teacher cannot record an absence for another class', async () => {
    const t = byRole.get('class_teacher')!;
    const other = await studentOutside({ classId: { not: t.classId! } });
    const before = await app.deps.db.attendanceMark.count();
    const out = await say(t.staffId, 'dm', `缺勤 ${other.studentNo} 旷课`);
    expect(out[0]!.text).toContain('没有找到学生');
    expect(await app.deps.db.attendanceMark.count()).toBe(before);
  });
  it('a village cadre cannot log a visit for a student of another village', async () => {
    const v = byRole.get('village')!;
    const other = await studentOutside({ villageId: { not: v.villageId! } });
    const out = await say(v.staffId, 'dm', `家访 ${other.studentNo} 厌学 愿意返校`);
    expect(out[0]!.text).toContain('没有找到学生');
    expect(await app.deps.db.homeVisit.count()).toBe(0);
  });
  it('a principal cannot confirm a dropout in another school', async () => {
    const p = byRole.get('principal')!;
    const other = await studentOutside({ class: { schoolId: { not: p.schoolId! } } });
    const out = await say(p.staffId, 'dm', `确认辍学 ${other.studentNo}`);
    expect(out[0]!.text).toContain('没有找到学生');
  });
  it("a principal's status shows only their school", async () => {
    const p = byRole.get('principal')!;
    const mine = await app.deps.db.school.findUniqueOrThrow({ where: { id: p.schoolId! } });
    const others = await app.deps.db.school.findMany({ where: { id: { not: p.schoolId! } } });
    const out = await say(p.staffId, 'dm', '情况');
    expect(out[0]!.text).toContain(mine.name);
    for (const o of others) expect(out[0]!.text).not.toContain(o.name);
  });
  it('an unbound chat account gets how to bind, never data', async () => {
    const out = await say('nobody-at-all', 'dm', '情况');
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toContain('还没有绑定');
    expect(out[0]!.text).toContain('绑定 K7M2QX9P');
    expect(out[0]!.text).not.toMatch(/在籍|学校/);
  });
  it('an unbound account in a group is ignored unless it uses a command', async () => {
    expect(await say('parent-1', '家长群', '老师好')).toHaveLength(0);
    const out = await say('parent-1', '家长群', '情况');
    expect(out[0]!.text).toContain('还没有绑定');
  });
});
