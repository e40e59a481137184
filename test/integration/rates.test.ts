/**
 * The county's figures end to end: intakes and school-age population imported from CSV (a bad file changes nothing
 * and names its lines), 情况 showing the nine-year consolidation and enrolment rates with 一票否决 where breached, 未导入
 * before the data is there, a unit's own target overriding the county's, and the same dropout rate printed the same
 * way in 情况, on the monthly form and on the chart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { confirmDropoutThroughBot } from '../helpers/dropout.js';
import { importRatesTable } from '../../src/services/rates-import.js';
import { formatRate } from '../../src/domain/rates.js';
import { monthlyReportModel, monthlyTownModel } from '../../src/reports/monthly-model.js';
import { barChartSvg } from '../../src/reports/charts.js';
import ExcelJS from 'exceljs';
import { monthlyReportXlsx } from '../../src/reports/monthly-report.xlsx.js';

let app: TestApp;
const db = () => app.deps.db;
const say = async (who: string, text: string, chat = 'dm') => (await app.session.say(who, chat, text)).delivered.map((d) => d.text).join('\n');
const csv = (name: string, text: string) => {
  const f = path.join(app.dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const importFile = (table: 'cohorts' | 'population' | 'targets', file: string) => importRatesTable(db(), table, file, app.clock.now(), 2026);

let townStaff = '';
let countyStaff = '';
let principalStaff = '';
let nineId = 0;

const confirmDropout = (studentId: number) => confirmDropoutThroughBot(app, studentId);

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  const qingshi = await db().town.findFirstOrThrow({ where: { name: '青石镇' } });
  townStaff = (await db().person.findFirstOrThrow({ where: { role: 'town', townId: qingshi.id } })).staffId;
  countyStaff = (await db().person.findFirstOrThrow({ where: { role: 'county' } })).staffId;
  const nine = await db().school.findFirstOrThrow({ where: { name: '青石镇九年一贯制学校' } });
  nineId = nine.id;
  principalStaff = (await db().person.findFirstOrThrow({ where: { role: 'principal', schoolId: nine.id } })).staffId;
});
afterAll(async () => app?.close());

describe('before anything is imported', () => {
  it('情况 says 未导入 instead of a figure', async () => {
    const out = await say(townStaff, '情况');
    expect(out).toContain('九年义务教育巩固率 未导入（青石镇中心小学、青石镇九年一贯制学校 2018 年一年级入学人数）');
    expect(out).toContain('小学适龄儿童入学率 未导入（2026 年适龄人口');
    expect(out).not.toContain('巩固率 0.00%');
  });
});

describe('CSV imports: all or nothing, every bad row named', () => {
  it('a bad cohort file names each bad line and writes nothing', async () => {
    const file = csv(
      'bad-cohorts.csv',
      '学校,入学年份,一年级入学人数\n青石镇中心小学,2018,30\n不存在小学,2018,20\n柳河镇初级中学,2018,40\n青石镇九年一贯制学校,18,二十\n青石镇中心小学,2018,31\n',
    );
    const r = await importFile('cohorts', file);
    expect(r.ok).toBe(false);
    expect(r.text).toContain('有 4 处错误，没有导入任何数据');
    expect(r.text).toContain('第3行：没有名为“不存在小学”的学校');
    expect(r.text).toContain('第4行：“柳河镇初级中学”是初中，不招一年级');
    expect(r.text).toMatch(/第5行：入学年份“18”不对.*；一年级入学人数“二十”不对/);
    expect(r.text).toContain('第6行：与第2行重复');
    expect(r.text).not.toContain('第2行：');
    expect(await db().cohortIntake.count()).toBe(0);
  });

  it('a file without the right header is refused with the expected header and an example', async () => {
    const r = await importFile('population', csv('bad-header.csv', '镇,村,年\n青石镇,东山村,2026\n'));
    expect(r.ok).toBe(false);
    expect(r.text).toContain('第1行（表头）：缺少列 乡镇、年份、小学适龄人口、初中适龄人口');
    expect(await db().schoolAgePopulation.count()).toBe(0);
  });

  it('a bad population file names the village that is not in the town, and writes nothing', async () => {
    const r = await importFile(
      'population',
      csv('bad-pop.csv', '乡镇,村,年份,小学适龄人口,初中适龄人口\n青石镇,东山村,2026,100,50\n青石镇,河湾村,2026,80,40\n柳河镇,,2026,-5,60\n'),
    );
    expect(r.ok).toBe(false);
    expect(r.text).toContain('第3行：青石镇没有名为“河湾村”的村');
    expect(r.text).toContain('第4行：小学适龄人口“-5”不对');
    expect(await db().schoolAgePopulation.count()).toBe(0);
  });

  it('good files are imported', async () => {
    const c = await importFile(
      'cohorts',
      csv('cohorts.csv', '\uFEFF学校,入学年份,一年级入学人数\n青石镇中心小学,2018,30\n青石镇九年一贯制学校,2018,22\n青石镇中心小学,2019,31\n'),
    );
    expect(c).toMatchObject({ ok: true, rows: 3 });
    expect(await db().cohortIntake.count()).toBe(3);
  });
});

/** Enrolled pupils living in a town's villages, per stage (the enrolment numerators). */
async function residents(townName: string, stage: string) {
  return db().student.count({ where: { status: 'enrolled', village: { town: { name: townName } }, class: { stage } } });
}

describe('情况 with the data', () => {
  it('shows the town’s consolidation rate (初三 now ÷ 2018 intake) and enrolment rates; a breached enrolment rate is 一票否决', async () => {
    const p1 = await residents('青石镇', 'primary');
    const j1 = await residents('青石镇', 'junior');
    // primary population set so the rate falls short of 99%; junior so it meets 95%
    const primaryPop = Math.ceil(p1 / 0.9);
    const juniorPop = j1;
    const villages = ['东山村', '石桥村', '柳塘村'];
    const split = (n: number) => [Math.floor(n / 3), Math.floor(n / 3), n - 2 * Math.floor(n / 3)];
    const rows = villages.map((v, i) => `青石镇,${v},2026,${split(primaryPop)[i]},${split(juniorPop)[i]}`);
    const r = await importFile('population', csv('pop.csv', ['乡镇,村,年份,小学适龄人口,初中适龄人口', ...rows, '柳河镇,,2026,500,200', ''].join('\n')));
    expect(r.ok, r.text).toBe(true);

    const grade9 = await db().student.count({ where: { status: 'enrolled', class: { schoolId: nineId, stage: 'junior', grade: 3 } } });
    const out = await say(townStaff, '情况');
    // the town: 初三 of its nine-year school over the 2018 intake of both its schools that take 一年级
    expect(out).toContain(`九年义务教育巩固率 ${formatRate(grade9 / (30 + 22))}`);
    expect(out).toContain(`小学适龄儿童入学率 ${formatRate(p1 / primaryPop)}`);
    expect(out).toContain(`初中毛入学率 ${formatRate(j1 / juniorPop)}`);
    expect(out).toContain(`⚠️ 小学适龄儿童入学率 ${formatRate(p1 / primaryPop)}，低于目标 99.00%（一票否决）`);
    // consolidation under 85% is flagged, without the veto
    expect(out).toContain(`⚠️ 九年义务教育巩固率 ${formatRate(grade9 / 52)}，低于目标 85.00%；`);
    expect(out).not.toContain('⚠️ 初中毛入学率');
    // the nine-year school's own cohort: its 初三 over its own intake
    expect(out).toContain(`青石镇九年一贯制学校：在籍`);
    expect(out).toContain(`九年义务教育巩固率 ${formatRate(grade9 / 22)}`);
  });

  it('the county sees itself and each town; a town with no primary school has no consolidation rate of its own', async () => {
    const out = await say(countyStaff, '情况');
    const line = (label: string) => out.split('\n').find((l) => l.startsWith(`${label}：`)) ?? '';
    // the county's 初三 includes 柳河镇's junior school, whose pupils' primary schools are not in the county's data
    const grade9 = await db().student.count({ where: { status: 'enrolled', class: { stage: 'junior', grade: 3 } } });
    expect(line('全县')).toContain(`九年义务教育巩固率 ${formatRate(grade9 / 52)}（初三 ${grade9} 人多于该届入学 52 人，部分学生来自未计入的小学，请核对）`);
    expect(line('柳河镇')).not.toContain('巩固率');
    expect(line('柳河镇')).toContain(`初中毛入学率 ${formatRate((await residents('柳河镇', 'junior')) / 200)}`);
    expect(line('青石镇')).toContain('一票否决');
  });
});

describe('per-unit targets', () => {
  it('a town’s own target overrides the county’s for the town and its schools; a school’s own overrides its town’s', async () => {
    const junior = await db().student.findMany({
      where: { class: { schoolId: nineId, stage: 'junior' }, status: 'enrolled' },
      orderBy: { id: 'asc' },
      take: 1,
    });
    await confirmDropout(junior[0]!.id);
    expect((await db().student.findUniqueOrThrow({ where: { id: junior[0]!.id } })).status).toBe('dropped_out');
    const onRoll = await db().student.count({ where: { status: 'enrolled', class: { schoolId: nineId, stage: 'junior' } } });
    const rate = formatRate(1 / (onRoll + 1));
    // 1 of 63: 1.59%, within the county's 1.8%
    let out = await say(principalStaff, '情况');
    expect(out).toContain(`初中辍学率 ${rate}`);
    expect(out).not.toContain('⚠️ 初中辍学率');

    // only the county sets targets; a bad one is refused with an example and writes nothing
    expect(await say(townStaff, '目标 青石镇 初中辍学率 1.5%')).toContain('只有县教育局可以设定目标');
    const bad = await say(countyStaff, '目标 青石镇 初中辍学率 1.5');
    expect(bad).toContain('目标值“1.5”不对');
    expect(bad).toContain('目标 青石镇 初中辍学率 1.5%');
    expect(await say(countyStaff, '目标 白云镇 初中辍学率 1.5%')).toContain('没有名为“白云镇”的乡镇或学校');
    expect(await db().rateTarget.count()).toBe(0);

    expect(await say(countyStaff, '目标 青石镇 初中辍学率 1.5%')).toContain('已设定 青石镇 初中辍学率目标：不高于 1.50%（县目标 1.80%）');
    out = await say(principalStaff, '情况');
    expect(out).toContain(`⚠️ 初中辍学率 ${rate}，超过目标 1.50%（一票否决）`);
    const model = await monthlyReportModel(app.deps, db(), nineId, '2026-11', '2026-11-20');
    expect(model.targets.juniorDropoutMax).toBe(0.015);
    expect(model.stages.find((s) => s.stage === 'junior')!.breaches.map((b) => [b.figure, b.veto])).toEqual([['juniorDropout', true]]);
    const town = await monthlyTownModel(app.deps, db(), (await db().town.findFirstOrThrow({ where: { name: '青石镇' } })).id, '2026-11', '2026-11-20');
    expect(town.breaches.map((b) => b.figure)).toEqual(expect.arrayContaining(['juniorDropout', 'primaryEnrolment', 'consolidation']));
    expect(town.notes.join('\n')).toContain('（一票否决）');
    // the printed form carries the unit's figures, its breaches and each rate's 公式
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await monthlyReportXlsx(town)) as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0]!.eachRow((r) => r.eachCell((c) => cells.push(String(c.value))));
    const form = cells.join('\n');
    expect(form).toContain('本学期在籍保持率');
    expect(form).not.toContain('本学期巩固率');
    expect(form).toContain(`⚠ 初中辍学率`);
    expect(form).toContain('九年义务教育巩固率 = 初三（九年级）现在籍人数 ÷');
    expect(form).toContain('小学适龄儿童入学率 = ');

    expect(await say(countyStaff, '目标 青石镇九年一贯制学校 初中辍学率 2%')).toContain('已设定');
    out = await say(principalStaff, '情况');
    expect(out).not.toContain('⚠️ 初中辍学率');
    expect(await say(principalStaff, '目标')).toContain('初中辍学率 ≤ 2.00%');
    // the county's own targets are untouched
    expect(
      (await monthlyReportModel(app.deps, db(), (await db().school.findFirstOrThrow({ where: { name: '柳河镇初级中学' } })).id, '2026-11', '2026-11-20'))
        .targets.juniorDropoutMax,
    ).toBe(0.018);
  });

  it('targets import from CSV too, all or nothing', async () => {
    const bad = await importFile('targets', csv('bad-targets.csv', '单位,指标,目标值\n柳河镇,初中辍学率,1.6%\n柳河镇,辍学率,1%\n'));
    expect(bad.ok).toBe(false);
    expect(bad.text).toContain('第3行：指标“辍学率”不认识');
    const before = await db().rateTarget.count();
    expect(await db().rateTarget.count()).toBe(before);
    const good = await importFile('targets', csv('targets.csv', '单位,指标,目标值\n柳河镇,初中辍学率,1.6%\n'));
    expect(good.ok).toBe(true);
    expect(await db().rateTarget.count()).toBe(before + 1);
  });
});

describe('one number, one print', () => {
  it('the dropout rate reads the same in 情况, on the form and on the chart', async () => {
    const model = await monthlyReportModel(app.deps, db(), nineId, '2026-11', '2026-11-20');
    const junior = model.stages.find((s) => s.stage === 'junior')!.figures.dropoutRate!;
    const text = formatRate(junior);
    expect(await say(principalStaff, '情况')).toContain(`初中辍学率 ${text}`);
    expect(barChartSvg('t', [{ label: model.schoolName, bars: [{ name: '初中辍学率', value: junior }] }], [])).toContain(`>${text}<`);
  });
});
