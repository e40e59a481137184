/**
 * The weekly class count in a bound class group, as teachers really reply: checked against the class's roll and the
 * week's daily marks, asked about when they disagree, stored only when possible or confirmed with a reason. Every
 * message that reaches the group is scanned for pupils' names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { farFromRoll } from '../../src/domain/weekly-count-checks.js';
import type { Delivered } from '../../src/console/session.js';

let app: TestApp;
let teacher: { id: number; staffId: string; classId: number | null };
let other: { staffId: string };
let roll: number;
let pupils: { name: string }[];
const GROUP = '班级群';
const seenInGroup: string[] = [];

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T15:10:00+08:00' });
  teacher = await app.deps.db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  other = await app.deps.db.person.findFirstOrThrow({ where: { role: 'subject_teacher' } });
  pupils = await app.deps.db.student.findMany({ where: { classId: teacher.classId!, status: 'enrolled' }, orderBy: { id: 'asc' } });
  roll = pupils.length;
  await app.session.say(teacher.staffId, GROUP, '绑定班级');
});
afterAll(async () => app?.close());

async function sayAll(who: string, text: string, chat = GROUP): Promise<Delivered[]> {
  const out = (await app.session.say(who, chat, text)).delivered;
  for (const d of out) if (d.chat === GROUP) seenInGroup.push(d.text);
  return out;
}
const say = async (who: string, text: string, chat = GROUP) => (await sayAll(who, text, chat)).filter((d) => d.chat === chat);
const counts = () => app.deps.db.weeklyCount.findMany({ where: { classId: teacher.classId! }, orderBy: { id: 'asc' } });
const openQuestions = () => app.deps.db.pendingConfirmation.count({ where: { kind: 'weekly_count', resolvedAt: null } });

describe('weekly count', () => {
  it('the class has a realistic roll to check against', () => {
    expect(roll).toBeGreaterThan(10);
    expect(roll).toBeLessThanOrEqual(60);
  });

  it('chatter is neither recorded nor answered', async () => {
    expect(await say(teacher.staffId, '收到')).toHaveLength(0);
    expect(await say(teacher.staffId, '好的，明天下午3点开会')).toHaveLength(0);
    expect(await say(teacher.staffId, '大概3点左右到')).toHaveLength(0);
    expect(await counts()).toHaveLength(0);
  });

  it('an impossible count is refused with the reason and an example; nothing recorded', async () => {
    for (const text of [`应到${roll} 实到${roll + 3}`, '应到-3 实到2', '应到90 实到90', `应到${roll} 缺2（病假1 事假2）`, `应到${roll} 实到${roll - 2} 缺3`]) {
      const out = await say(teacher.staffId, text);
      expect(out, text).toHaveLength(1);
      expect(out[0]!.text).toContain('没有记录');
      expect(out[0]!.text).toMatch(/请这样回复：应到\d+ 实到\d+/);
    }
    expect(await counts()).toHaveLength(0);
  });

  it('an approximate figure is never taken as exact: the bot asks for the exact one', async () => {
    for (const text of [
      `应到${roll} 实到四十来个`,
      '全班三十多人，基本都到了',
      '应到约40 实到40',
      `应到${roll}，实到大概${roll - 1}`,
      '差不多都到了',
      `应到${roll} 病假一两个`,
    ]) {
      const out = await say(teacher.staffId, text);
      expect(out, text).toHaveLength(1);
      expect(out[0]!.text).toContain('准确人数');
    }
    expect(await counts()).toHaveLength(0);
  });

  it('全勤 alone records the whole roll present', async () => {
    const out = await say(teacher.staffId, '本周全勤！');
    expect(out[0]!.text).toContain(`应到${roll} 实到${roll}`);
    const rows = await counts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ week: '2026-W47', enrolled: roll, present: roll, leave: null, truant: null, note: null });
  });

  it('a roll far from the register is refused, whatever the teacher adds', async () => {
    const far = roll + farFromRoll(roll) + 3;
    const out = await say(teacher.staffId, `应到${far} 实到${far}`);
    expect(out[0]!.text).toContain('没有记录');
    expect(out[0]!.text).toContain(`在籍 ${roll} 人`);
    expect(out[0]!.text).toContain(`应到${roll} 实到${roll - 1}`);
    expect(await counts()).toHaveLength(1);
    expect(await say(teacher.staffId, '确认 名册不对')).toHaveLength(0);
    expect(await counts()).toHaveLength(1);
  });

  it('a roll that differs from the register is asked about and stored only once confirmed with a reason', async () => {
    const out = await say(teacher.staffId, `应到${roll + 1} 实到${roll + 1}`);
    expect(out[0]!.text).toContain('还没有记录');
    expect(out[0]!.text).toContain(`在籍 ${roll} 人`);
    expect(out[0]!.text).toContain('确认 原因');
    expect(await counts()).toHaveLength(1);
    const bare = await say(teacher.staffId, '确认');
    expect(bare[0]!.text).toContain('请写上原因');
    expect(await counts()).toHaveLength(1);
    const ok = await say(teacher.staffId, '确认 本周转入1人，学籍还在办');
    expect(ok[0]!.text).toContain('已记录');
    expect(ok[0]!.text).toContain('已更正');
    const rows = await counts();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ enrolled: roll + 1, present: roll + 1, note: '本周转入1人，学籍还在办', supersedesId: rows[0]!.id });
    expect(await openQuestions()).toBe(0);
    // the question is closed as answered, not as replaced by the count it led to
    const question = await app.deps.db.pendingConfirmation.findFirst({ where: { kind: 'weekly_count' }, orderBy: { id: 'desc' } });
    expect(question).toMatchObject({ resolution: 'confirmed' });
  });

  it('a question left unanswered stores nothing, and a corrected count replaces the question', async () => {
    await say(teacher.staffId, `应到${roll - 1} 实到${roll - 1}`);
    expect(await openQuestions()).toBe(1);
    const out = await say(teacher.staffId, `应到${roll} 实到${roll}`);
    expect(out[0]!.text).toContain('已记录');
    expect(await openQuestions()).toBe(0);
    expect(await say(teacher.staffId, '确认 晚了')).toHaveLength(0);
    const rows = await counts();
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.enrolled)).toEqual([roll, roll + 1, roll]);
  });

  it('病假 and 事假 are kept apart; 缺N with its reasons in brackets is read', async () => {
    const out = await say(teacher.staffId, `应到${roll} 缺2（病假1 事假1）`);
    expect(out[0]!.text).toContain(`实到${roll - 2} 请假2（病假1 事假1）`);
    expect((await counts()).at(-1)).toMatchObject({ enrolled: roll, present: roll - 2, leave: 2, sick: 1, personal: 1 });
    await say(teacher.staffId, `在册${roll}人，到校${roll - 3}人，1人病假，事假2人`);
    expect((await counts()).at(-1)).toMatchObject({ enrolled: roll, present: roll - 3, leave: 3, sick: 1, personal: 2 });
  });

  it('a bare 请假 total is stored with 病假 and 事假 unknown', async () => {
    await say(teacher.staffId, `应到${roll}，实到${roll - 2}，请假2`);
    expect((await counts()).at(-1)).toMatchObject({ enrolled: roll, present: roll - 2, leave: 2, sick: null, personal: null });
  });

  it('absences that do not add up are asked about and recorded after 确认', async () => {
    const before = (await counts()).length;
    const out = await say(teacher.staffId, `应到${roll} 实到${roll - 2} 病假1`);
    expect(out[0]!.text).toContain('对不上');
    expect(await counts()).toHaveLength(before);
    const ok = await say(teacher.staffId, '确认');
    expect(ok[0]!.text).toContain('已记录');
    expect(await counts()).toHaveLength(before + 1);
  });

  it('a pupil marked 旷课 this week but a count of all present is asked about: no name in the group, the name by DM', async () => {
    const pupil = pupils[0]!.name;
    await sayAll(teacher.staffId, `缺勤 ${pupil} 旷课`, 'dm');
    const before = (await counts()).length;
    const out = await sayAll(teacher.staffId, '全勤');
    const inGroup = out.filter((d) => d.chat === GROUP);
    const dm = out.filter((d) => d.chat === 'dm' && d.to === teacher.staffId);
    expect(inGroup).toHaveLength(1);
    expect(inGroup[0]!.text).toContain('1 名学生旷课');
    expect(inGroup[0]!.text).toContain('已私信');
    expect(inGroup[0]!.text).not.toContain(pupil);
    expect(dm).toHaveLength(1);
    expect(dm[0]!.text).toContain(pupil);
    expect(await counts()).toHaveLength(before);
    // 旷课0 is the same contradiction
    const zero = await say(teacher.staffId, `应到${roll} 实到${roll - 1} 病假1 旷课0`);
    expect(zero[0]!.text).toContain('1 名学生旷课');
    expect(await counts()).toHaveLength(before);
    // the corrected count agrees with the marks: stored at once
    const fixed = await say(teacher.staffId, `应到${roll} 实到${roll - 1} 旷课1`);
    expect(fixed[0]!.text).toContain('已记录');
    expect((await counts()).at(-1)).toMatchObject({ truant: 1, note: null });
  });

  it('fewer absences than the week marked is asked about, and a confirmation keeps the reason', async () => {
    // the day's absence list, in one message (a second 缺勤 message would replace the first)
    await sayAll(teacher.staffId, `缺勤 ${pupils[0]!.name} 旷课 ${pupils[1]!.name} 病假`, 'dm');
    const before = (await counts()).length;
    const out = await say(teacher.staffId, `应到${roll} 实到${roll - 1} 旷课1`);
    expect(out[0]!.text).toContain('2 名学生缺勤');
    expect(await counts()).toHaveLength(before);
    await say(teacher.staffId, '确认：病假的学生下午已返校');
    const last = (await counts()).at(-1)!;
    expect(await counts()).toHaveLength(before + 1);
    expect(last).toMatchObject({ present: roll - 1, truant: 1, note: '病假的学生下午已返校' });
  });

  it('another teacher posting figures in the group is not recorded', async () => {
    const before = (await counts()).length;
    expect(await say(other.staffId, `应到${roll} 实到${roll}`)).toHaveLength(0);
    expect(await say(other.staffId, '全勤')).toHaveLength(0);
    expect(await say(other.staffId, '都到了')).toHaveLength(0);
    expect(await counts()).toHaveLength(before);
  });

  it('the count works by direct message too (Telegram privacy mode)', async () => {
    const out = await say(teacher.staffId, `周统计 应到${roll} 实到${roll - 2} 缺2（病假2）`, 'dm');
    expect(out[0]!.text).toContain('已记录');
    expect((await counts()).at(-1)).toMatchObject({ sick: 2, personal: 0, leave: 2, chatRef: expect.stringContaining('dm') });
  });

  it('the principal sees which classes have not reported', async () => {
    const cls = await app.deps.db.schoolClass.findUniqueOrThrow({ where: { id: teacher.classId! } });
    const p = await app.deps.db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: cls.schoolId } });
    const out = await say(p.staffId, '情况', 'dm');
    const missing = /本周未报统计的班级：(.*)/.exec(out[0]!.text)?.[1]?.split('、') ?? [];
    expect(missing.length).toBeGreaterThan(0);
    expect(missing).not.toContain(cls.name);
  });

  it('no pupil was named in the group, in any of the replies above', async () => {
    expect(seenInGroup.length).toBeGreaterThan(20);
    const all = await app.deps.db.student.findMany({ select: { name: true } });
    for (const text of seenInGroup) for (const { name } of all) expect(text.includes(name), `${name} in: ${text}`).toBe(false);
  });
});
