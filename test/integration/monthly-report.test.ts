/** The monthly report: principals confirm their school's, the town confirms the aggregate, 月报进度 shows who has. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { parseSchoolSnapshot, schoolsNotConfirmed, townAggregate, townsNotConfirmed, type TownSnapshot } from '../../src/services/monthly-report.js';
import { actionText } from '../../src/core/router.js';

let app: TestApp;
const say = async (who: string, text: string, chat = 'dm') => (await app.session.say(who, chat, text)).delivered.map((d) => d.text).join('\n');
const db = () => app.deps.db;
const staff = (staffId: string) => db().person.findUniqueOrThrow({ where: { staffId } });

let qingshi: { id: number };
let liuhe: { id: number };
/** Students of the nine-year school taken off the roll as dropouts before it confirms. */
let dropouts: string[] = [];

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T10:00:00+08:00' });
  qingshi = await db().town.findFirstOrThrow({ where: { name: '青石镇' } });
  liuhe = await db().town.findFirstOrThrow({ where: { name: '柳河镇' } });
});
afterAll(async () => app?.close());

// Demo county: 青石镇 (official T0002) has 青石镇中心小学 (principal T0009) and 青石镇九年一贯制学校 (T0011);
// 柳河镇 (T0003) has 柳河镇初级中学 (T0010). T0001 is the county, T0012 a class teacher at 青石镇中心小学.
describe('monthly report', () => {
  it('nobody has confirmed: every school (by town, then name) and every town is open', async () => {
    expect(await schoolsNotConfirmed(db(), '2026-11')).toEqual([
      { schoolId: expect.any(Number), schoolName: '柳河镇初级中学', townId: liuhe.id, townName: '柳河镇' },
      { schoolId: expect.any(Number), schoolName: '青石镇九年一贯制学校', townId: qingshi.id, townName: '青石镇' },
      { schoolId: expect.any(Number), schoolName: '青石镇中心小学', townId: qingshi.id, townName: '青石镇' },
    ]);
    expect(await townsNotConfirmed(db(), '2026-11')).toEqual([
      { townId: liuhe.id, townName: '柳河镇', schoolsNotConfirmed: ['柳河镇初级中学'] },
      { townId: qingshi.id, townName: '青石镇', schoolsNotConfirmed: ['青石镇九年一贯制学校', '青石镇中心小学'] },
    ]);
  });

  it('a school without classes is not expected to report, nor is a town with no such school', async () => {
    const county = await db().county.findFirstOrThrow();
    const town = await db().town.create({ data: { countyId: county.id, name: '空镇' } });
    await db().school.create({ data: { countyId: county.id, townId: town.id, name: '空镇小学', kind: 'primary' } });
    expect((await schoolsNotConfirmed(db(), '2026-11')).map((s) => s.schoolName)).not.toContain('空镇小学');
    expect((await townsNotConfirmed(db(), '2026-11')).map((t) => t.townName)).not.toContain('空镇');
  });

  it('a month that is not a month, or still to come, is refused with an example and writes nothing', async () => {
    const bad = await say('T0009', '确认月报 2026-13');
    expect(bad).toContain('月份“2026-13”看不懂');
    expect(bad).toContain('正确示例：确认月报 2026-11');
    expect(await say('T0002', '确认月报 2026-12')).toContain('不能确认未来月份');
    expect(await say('T0001', '月报进度 11月')).toContain('正确示例：月报进度 2026-11');
    expect(await db().monthlyConfirmation.count()).toBe(0);
  });

  it('the town is refused while a school of it has not confirmed, told which, and nothing is written', async () => {
    expect(await say('T0009', '确认月报 2026-11')).toContain('已确认 青石镇中心小学 2026-11');
    const out = await say('T0002', '确认月报 2026-11');
    expect(out).toContain('青石镇还有 1 所学校没有确认 2026-11 月报：青石镇九年一贯制学校。');
    expect(out).not.toContain('青石镇中心小学');
    expect(out).toContain('正确示例：月报进度 2026-11');
    // the other town's official is told about his own school only
    const other = await say('T0003', '确认月报');
    expect(other).toContain('柳河镇还有 1 所学校没有确认 2026-11 月报：柳河镇初级中学。');
    expect(other).not.toContain('青石镇');
    expect(await db().townConfirmation.count()).toBe(0);
  });

  it('the service queries follow each confirmation', async () => {
    expect((await schoolsNotConfirmed(db(), '2026-11')).map((s) => s.schoolName)).toEqual(['柳河镇初级中学', '青石镇九年一贯制学校']);
    expect(await townsNotConfirmed(db(), '2026-11')).toEqual([
      { townId: liuhe.id, townName: '柳河镇', schoolsNotConfirmed: ['柳河镇初级中学'] },
      { townId: qingshi.id, townName: '青石镇', schoolsNotConfirmed: ['青石镇九年一贯制学校'] },
    ]);
    // another month is untouched
    expect(await schoolsNotConfirmed(db(), '2026-10')).toHaveLength(3);
  });

  it('once all its schools have confirmed, the town confirms the sum of their figures, per stage too', async () => {
    // Give the nine-year school something to report: two junior dropouts confirmed this term (two open cases), a truant day.
    const nine = await db().school.findFirstOrThrow({ where: { name: '青石镇九年一贯制学校' } });
    const junior = await db().student.findMany({ where: { class: { schoolId: nine.id, stage: 'junior' } }, orderBy: { id: 'asc' }, take: 3 });
    dropouts = junior.slice(0, 2).map((s) => s.name);
    await db().student.updateMany({ where: { id: { in: junior.slice(0, 2).map((s) => s.id) } }, data: { status: 'dropped_out' } });
    const principal = await staff('T0011');
    // both confirmed onto the dropout roster this term: the dropout rate counts the term's confirmations
    for (const s of junior.slice(0, 2)) {
      const c = await db().dropoutCase.create({ data: { studentId: s.id, state: 'confirmed', openedOn: '2026-11-10', createdAt: app.clock.now() } });
      const by = String(principal.id);
      const events = [
        { type: 'assign', at: '2026-11-10', by, schoolLineId: by, townLineId: by },
        { type: 'home_visit', at: '2026-11-11', by, visitorIds: [by], reason: 'migrant_work', outcome: 'refused' },
        { type: 'confirm', at: '2026-11-12', by },
      ];
      for (const e of events)
        await db().caseEvent.create({ data: { caseId: c.id, type: e.type, payload: JSON.stringify(e), byId: principal.id, recordedAt: app.clock.now() } });
    }
    await db().attendanceMark.create({
      data: { studentId: junior[2]!.id, date: '2026-11-19', status: 'truant', reportedById: principal.id, chatRef: 'test', recordedAt: app.clock.now() },
    });

    expect(await say('T0011', '确认月报 2026-11')).toContain('已确认 青石镇九年一贯制学校 2026-11');
    const out = await say('T0002', '确认月报 2026-11');
    expect(out).toContain('已确认 青石镇 2026-11 控辍保学月报（全镇汇总，2 所学校）');
    expect(out).toContain('全镇汇总须在每月25日前报县教育局。\n');
    expect(out).toMatch(/月报表（PDF，可直接打印、签字盖章后报县教育局）见附件。$/);
    for (const name of [...dropouts, junior[2]!.name]) expect(out).not.toContain(name);

    const row = await db().townConfirmation.findFirstOrThrow({ where: { townId: qingshi.id, month: '2026-11' } });
    expect(row.confirmedById).toBe((await staff('T0002')).id);
    const town = JSON.parse(row.figures) as TownSnapshot;
    const schools = (
      await db().monthlyConfirmation.findMany({
        where: { month: '2026-11', schoolId: { in: (await db().school.findMany({ where: { townId: qingshi.id } })).map((s) => s.id) } },
      })
    ).map((c) => parseSchoolSnapshot(c.figures, c.month));
    expect(schools).toHaveLength(2);
    for (const k of ['onRoll', 'droppedOut', 'monthTruantDays', 'openCases'] as const) expect(town[k], k).toBe(schools.reduce((n, s) => n + s[k], 0));
    expect(town).toMatchObject({ month: '2026-11', droppedOut: 2, monthTruantDays: 1, openCases: 2 });
    expect(town.onRoll).toBe(await db().student.count({ where: { status: 'enrolled', class: { school: { townId: qingshi.id } } } }));
    expect(town.stages?.junior).toEqual({
      onRoll: await db().student.count({ where: { status: 'enrolled', class: { school: { townId: qingshi.id }, stage: 'junior' } } }),
      droppedOut: 2,
    });
    expect(town.stages?.primary?.droppedOut).toBe(0);
    expect(town.stages!.primary!.onRoll + town.stages!.junior!.onRoll).toBe(town.onRoll);
    expect(town.schools.map((s) => s.school).sort()).toEqual(['青石镇中心小学', '青石镇九年一贯制学校'].sort());

    // the reply says the same figures in words, with the junior rate over the county's limit
    expect(out).toContain(`全镇在籍 ${town.onRoll} 人，辍学 2 人，小学辍学率 0.00%`);
    expect(out).toContain('⚠️ 初中辍学率');
    expect(out).toContain('本月旷课 1 人次，进行中个案 2 件');
  });

  it('a second confirmation is refused, saying who confirmed and when', async () => {
    const t2 = await staff('T0002');
    const again = await say('T0002', '确认月报 2026-11');
    expect(again).toContain(`本镇 2026-11 月报（全镇汇总）已由${t2.name}于11月20日 10:00确认，不能重复确认`);
    expect(again).toContain('正确示例：月报进度 2026-11');
    expect(await say('T0011', '确认月报 2026-11')).toContain('不能重复确认');
    expect(await db().townConfirmation.count()).toBe(1);
    expect(await db().monthlyConfirmation.count()).toBe(2);
  });

  it('the confirmed town leaves townsNotConfirmed', async () => {
    expect(await townsNotConfirmed(db(), '2026-11')).toEqual([{ townId: liuhe.id, townName: '柳河镇', schoolsNotConfirmed: ['柳河镇初级中学'] }]);
  });

  it('月报进度 shows each asker only their area', async () => {
    const [t2, t9] = [await staff('T0002'), await staff('T0009')];
    expect(await say('T0010', '月报进度')).toBe('柳河镇初级中学 2026-11 月报：未确认。确认请回复：确认月报 2026-11');
    expect(await say('T0009', '月报进度 2026-11')).toBe(`青石镇中心小学 2026-11 月报：已由${t9.name}于11月20日 10:00确认。`);

    const liuheTown = await say('T0003', '月报进度');
    expect(liuheTown).toContain('柳河镇 全镇汇总：未确认；学校已确认 0/1');
    expect(liuheTown).toContain('· 柳河镇初级中学：未确认');
    expect(liuheTown).toContain('还有 1 所学校未确认');
    expect(liuheTown).not.toContain('青石镇');

    const qingshiTown = await say('T0002', '/report_status');
    expect(qingshiTown).toContain(`青石镇 全镇汇总：已确认（${t2.name}于11月20日 10:00）；学校已确认 2/2`);
    expect(qingshiTown).toContain(`· 青石镇中心小学：已确认（${t9.name}于11月20日 10:00）`);
    expect(qingshiTown).not.toContain('柳河镇');

    const county = await say('T0001', '月报进度');
    expect(county).toContain('已确认全镇汇总的镇（1/2）：青石镇');
    expect(county).toContain('还没有确认的镇：柳河镇');
    expect(county).toContain('· 柳河镇初级中学：未确认');
    expect(county).toContain('· 青石镇九年一贯制学校：已确认');

    expect(await say('T0012', '月报进度')).toContain('只有校长、镇、县教育局可以使用');
    expect(await say('T0004', '月报进度')).toContain('只有校长、镇、县教育局可以使用');
  });

  it('a town whose schools have all confirmed is told to confirm; it may do so in a group chat, figures only', async () => {
    expect(await say('T0010', '确认月报 2026-11')).toContain('已确认 柳河镇初级中学 2026-11');
    expect(await say('T0003', '月报进度')).toContain('各校均已确认，请回复：确认月报 2026-11');
    const out = await say('T0003', '确认月报 2026-11', '柳河镇工作群');
    expect(out).toContain('已确认 柳河镇 2026-11 控辍保学月报（全镇汇总，1 所学校）');
    expect(out).not.toContain('青石镇');
    const names = (await db().student.findMany({ where: { class: { school: { townId: liuhe.id } } }, select: { name: true } })).map((s) => s.name);
    for (const n of names) expect(out).not.toContain(n);
    expect(await townsNotConfirmed(db(), '2026-11')).toEqual([]);
    expect(await schoolsNotConfirmed(db(), '2026-11')).toEqual([]);
    expect(await say('T0001', '月报进度')).toContain('已确认全镇汇总的镇（2/2）：柳河镇、青石镇');
  });

  it('a town aggregate over a snapshot written before stages were recorded leaves the stages out', () => {
    const withStages = parseSchoolSnapshot(
      JSON.stringify({ month: '2026-10', onRoll: 10, droppedOut: 1, monthTruantDays: 2, openCases: 1, stages: { primary: { onRoll: 10, droppedOut: 1 } } }),
      '2026-10',
    );
    const old = parseSchoolSnapshot(JSON.stringify({ month: '2026-10', onRoll: 5, droppedOut: 0, monthTruantDays: 3 }), '2026-10');
    const agg = townAggregate('2026-10', [
      { schoolId: 1, schoolName: 'A', snapshot: withStages },
      { schoolId: 2, schoolName: 'B', snapshot: old },
    ]);
    expect(agg).toMatchObject({ onRoll: 15, droppedOut: 1, monthTruantDays: 5, openCases: 1 });
    expect(agg.stages).toBeUndefined();
    expect(townAggregate('2026-10', [{ schoolId: 1, schoolName: 'A', snapshot: withStages }]).stages).toEqual({ primary: { onRoll: 10, droppedOut: 1 } });
  });

  it('the reminder button is the same as typing the command', () => {
    expect(actionText('confirm_report:2026-11')).toBe('确认月报 2026-11');
  });
});
