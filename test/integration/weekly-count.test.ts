/** The weekly class count in a bound class group, as teachers really reply. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
let teacher: { staffId: string; classId: number | null };
let other: { staffId: string };
const GROUP = '班级群';

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T15:10:00+08:00' });
  teacher = await app.deps.db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  other = await app.deps.db.person.findFirstOrThrow({ where: { role: 'subject_teacher' } });
  await app.session.say(teacher.staffId, GROUP, '绑定班级');
});
afterAll(async () => app?.close());

const say = async (who: string, text: string, chat = GROUP) => (await app.session.say(who, chat, text)).delivered;
const counts = () => app.deps.db.weeklyCount.findMany({ where: { classId: teacher.classId! }, orderBy: { id: 'asc' } });

describe('weekly count', () => {
  it('chatter is neither recorded nor answered', async () => {
    expect(await say(teacher.staffId, '收到')).toHaveLength(0);
    expect(await say(teacher.staffId, '好的，明天下午3点开会')).toHaveLength(0);
    expect(await counts()).toHaveLength(0);
  });

  it('an impossible count is refused with the reason and an example; nothing recorded', async () => {
    const out = await say(teacher.staffId, '应到45 实到50');
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toContain('没有记录');
    expect(out[0]!.text).toMatch(/应到\d+/);
    expect(await counts()).toHaveLength(0);
  });

  it('a count that does not add up is asked about, and recorded after 确认', async () => {
    const out = await say(teacher.staffId, '应到45 实到43 病假1');
    expect(out[0]!.text).toContain('确认');
    expect(await counts()).toHaveLength(0);
    const ok = await say(teacher.staffId, '确认');
    expect(ok[0]!.text).toContain('已记录');
    const rows = await counts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ week: '2026-W47', enrolled: 45, present: 43, leave: 1 });
  });

  it('a second count the same week supersedes the first; both are kept', async () => {
    const out = await say(teacher.staffId, '应到：45；实到：44；病假：1');
    expect(out[0]!.text).toContain('已更正');
    const rows = await counts();
    expect(rows).toHaveLength(2);
    expect(rows[1]!.supersedesId).toBe(rows[0]!.id);
  });

  it('the roster size is checked against 应到', async () => {
    const onRoll = await app.deps.db.student.count({ where: { classId: teacher.classId!, status: 'enrolled' } });
    const out = await say(teacher.staffId, `应到${onRoll + 1} 实到${onRoll + 1}`);
    expect(out[0]!.text).toContain(`在籍 ${onRoll} 人`);
  });

  it('another teacher posting figures in the group is not recorded', async () => {
    const before = (await counts()).length;
    expect(await say(other.staffId, '应到45 实到45')).toHaveLength(0);
    expect(await counts()).toHaveLength(before);
  });

  it('the count works by direct message too (Telegram privacy mode)', async () => {
    const out = await say(teacher.staffId, '周统计 应到40 实到40', 'dm');
    expect(out[0]!.text).toContain('已记录');
  });

  it('the principal sees which classes have not reported', async () => {
    const cls = await app.deps.db.schoolClass.findUniqueOrThrow({ where: { id: teacher.classId! } });
    const p = await app.deps.db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: cls.schoolId } });
    const out = await say(p.staffId, '情况', 'dm');
    const missing = /本周未报统计的班级：(.*)/.exec(out[0]!.text)?.[1]?.split('、') ?? [];
    expect(missing.length).toBeGreaterThan(0);
    expect(missing).not.toContain(cls.name);
  });
});
