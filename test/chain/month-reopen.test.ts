/**
 * A correction in a confirmed month: the town official (and the principal) get a DM with the difference, the month is
 * 待重新确认 in 月报进度 and blocks the town's aggregate, and 确认月报 again records a re-confirmation next to the first.
 * A mark dated after the day of confirmation is ordinary business and reopens nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Delivered } from '../../src/console/session.js';

let app: TestApp;
let teacher: { id: number; staffId: string; classId: number | null };
let principal: { staffId: string };
let town: { staffId: string };
let pupil: { name: string; studentNo: string };
let schoolId: number;
let allNames: string[];

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-18T08:30:00+08:00' });
  const db = app.deps.db;
  teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  const cls = await db.schoolClass.findUniqueOrThrow({ where: { id: teacher.classId! }, include: { school: true } });
  schoolId = cls.schoolId;
  principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId } });
  town = await db.person.findFirstOrThrow({ where: { role: 'town', townId: cls.school.townId } });
  pupil = await db.student.findFirstOrThrow({ where: { classId: teacher.classId! }, orderBy: { id: 'asc' } });
  allNames = (await db.student.findMany({ select: { name: true } })).map((s) => s.name);
});
afterAll(async () => app?.close());

const say = async (who: string, text: string) => (await app.session.say(who, 'dm', text)).delivered;
const dmTo = (ds: Delivered[], who: string) =>
  ds
    .filter((d) => d.chat === 'dm' && d.to === who)
    .map((d) => d.text)
    .join('\n');
const no = () => pupil.studentNo.slice(-6);

describe('changes after confirmation', () => {
  it('the principal confirms November with one sick day on the 18th', async () => {
    await say(teacher.staffId, `缺勤 ${no()} 病假`);
    app.clock.set('2026-11-20T09:00:00+08:00');
    expect(dmTo(await say(principal.staffId, '确认月报 2026-11'), principal.staffId)).toContain('已确认');
    expect(await app.deps.db.monthReopening.count()).toBe(0);
  });

  it('a mark dated after the day of confirmation reopens nothing', async () => {
    app.clock.set('2026-11-23T08:30:00+08:00');
    const out = await say(teacher.staffId, `缺勤 ${no()} 旷课`);
    expect(out.some((d) => d.to === town.staffId)).toBe(false);
    expect(await app.deps.db.monthReopening.count()).toBe(0);
  });

  it('a correction of the 18th: the town is told the difference, without naming the pupil; the month is reopened', async () => {
    app.clock.set('2026-11-23T10:00:00+08:00');
    const out = await say(teacher.staffId, `更正 ${no()} 旷课 11-18`);
    const toTown = dmTo(out, town.staffId);
    expect(toTown).toContain('2026-11 月报已于11月20日确认，之后又有改动');
    expect(toTown).toContain('本月旷课 0→1 人次');
    expect(toTown).toContain('待重新确认');
    for (const n of allNames) expect(toTown.includes(n)).toBe(false);
    expect(dmTo(out, principal.staffId)).toContain('确认月报 2026-11');
    const [r] = await app.deps.db.monthReopening.findMany();
    expect(r).toMatchObject({ schoolId, month: '2026-11', causeTable: 'AttendanceMark', byId: teacher.id });
    // a second correction while it waits: no second notice
    const again = await say(teacher.staffId, `更正 ${no()} 事假 11-18`);
    expect(again.some((d) => d.to === town.staffId)).toBe(false);
    expect(await app.deps.db.monthReopening.count()).toBe(1);
  });

  it('月报进度 shows 待重新确认 to the principal and the town; the town cannot aggregate yet', async () => {
    expect(dmTo(await say(principal.staffId, '月报进度 2026-11'), principal.staffId)).toContain('待重新确认');
    expect(dmTo(await say(town.staffId, '月报进度 2026-11'), town.staffId)).toContain('待重新确认');
    const refused = dmTo(await say(town.staffId, '确认月报 2026-11'), town.staffId);
    expect(refused).toContain('（待重新确认）');
  });

  it('确认月报 again records a re-confirmation; the first confirmation is unchanged', async () => {
    const first = await app.deps.db.monthlyConfirmation.findFirstOrThrow({ where: { schoolId, month: '2026-11' } });
    const out = dmTo(await say(principal.staffId, '确认月报 2026-11'), principal.staffId);
    expect(out).toContain('已重新确认');
    expect(await app.deps.db.monthlyConfirmation.findFirstOrThrow({ where: { schoolId, month: '2026-11' } })).toEqual(first);
    const re = await app.deps.db.monthReconfirmation.findMany();
    expect(re).toHaveLength(1);
    expect(JSON.parse(first.figures).monthTruantDays).toBe(0);
    expect(JSON.parse(re[0]!.figures).monthTruantDays).toBe(1); // the 23rd's truancy; the 18th is now 事假
    expect(dmTo(await say(principal.staffId, '月报进度 2026-11'), principal.staffId)).toContain('已由');
    expect(dmTo(await say(principal.staffId, '确认月报 2026-11'), principal.staffId)).toContain('不能重复确认');
  });

  it('the chain holds the reopening and the re-confirmation', async () => {
    const tables = (await app.deps.db.chainEntry.findMany({ select: { tableName: true } })).map((e) => e.tableName);
    expect(tables).toContain('MonthReopening');
    expect(tables).toContain('MonthReconfirmation');
    expect(tables).toContain('MonthlyConfirmation');
  });
});
