/**
 * Past SQLite's 999 bound values: a county of 5,000 students with a 1,200-pupil school and a term of marks.
 * 情况 for a county official, a town official and the principal, the monthly forms of the big school and the county,
 * the county's dropout roster and the school's trend, each checked against figures computed from what was written.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { buildBigCounty, type GeneratedCounty } from '../helpers/big-county.js';
import { expectedForm, expectedStatus, statusLines, type SchoolExpect } from '../helpers/big-county-expect.js';
import { REPORT_COLUMNS } from '../../src/reports/monthly-report.xlsx.js';
import { schoolTrend } from '../../src/reports/trend.js';
import { schoolReportModels } from '../../src/reports/monthly-model.js';
import { formatRate } from '../../src/domain/rates.js';

const TODAY = '2026-11-20';
const TERM_START = '2026-09-01';
let app: TestApp;
let county: GeneratedCounty;
let expected: SchoolExpect[];

beforeAll(async () => {
  app = await makeApp({ now: `${TODAY}T16:00:00+08:00`, demo: false });
  const days = app.deps.calendar.schoolDaysBetween(TERM_START, TODAY);
  county = await buildBigCounty(app.deps.db, { students: 5000, bigSchool: 1200, schoolDays: days, now: app.clock.now(), seed: 7 });
  // CHRONIC_ABSENCE_RATIO 0.1 (default): the fewest days out of the term's school days so far that reach it
  const minAbsent = Math.ceil(days.length * app.deps.policy.chronicAbsenceRatio - 1e-9);
  expected = expectedStatus(county, TODAY, days, minAbsent);
}, 120_000);
afterAll(async () => app?.close());

const say = async (who: string, text: string) => (await app.session.say(who, 'dm', text)).delivered;

describe('a county past the 999 bound', () => {
  it('is big enough to cross the bound, and busy: absences, cases, alerts, chronic absentees at the big school', () => {
    expect(county.student).toHaveLength(5000);
    const big = expected.find((e) => e.schoolId === 1)!;
    expect(big.onRoll + big.droppedOut).toBeGreaterThan(1150);
    expect(big.absentToday).toBeGreaterThan(0);
    expect(big.cases).toBeGreaterThan(0);
    expect(big.alerts).toBeGreaterThan(0);
    expect(big.chronic).toBeGreaterThan(0);
  });

  it('情况 for the county official: every school with its figures, the county total', async () => {
    const text = (await say('C0001', '情况'))[0]!.text;
    const onRoll = expected.reduce((k, e) => k + e.onRoll, 0);
    expect(text).toContain(`辖区情况：${expected.length} 所学校，在籍 ${onRoll} 人`);
    for (const e of expected) for (const line of statusLines(e)) expect(text).toContain(line);
  });

  it('情况 for a town official: only the schools of the town', async () => {
    const text = (await say('TW1', '情况'))[0]!.text;
    const mine = expected.filter((e) => e.townId === 1);
    expect(text).toContain(`辖区情况：${mine.length} 所学校，在籍 ${mine.reduce((k, e) => k + e.onRoll, 0)} 人`);
    for (const e of mine) for (const line of statusLines(e)) expect(text).toContain(line);
    for (const e of expected.filter((x) => x.townId !== 1)) expect(text).not.toContain(`${e.name}：`);
  });

  it('情况 for the principal of the 1,200-pupil school: the school and each class', async () => {
    const text = (await say('P1', '情况'))[0]!.text;
    for (const line of statusLines(expected.find((e) => e.schoolId === 1)!)) expect(text).toContain(line);
    const classes = county.schoolClass.filter((c) => c.schoolId === 1);
    expect(text.split('\n').filter((l) => l.startsWith('  · '))).toHaveLength(classes.length);
    for (const c of classes) {
      const onRoll = county.student.filter((s) => s.classId === c.id && s.status === 'enrolled').length;
      expect(text).toContain(`  · ${c.name as string}：在籍 ${onRoll}，`);
    }
  });
});

async function totalRow(file: string): Promise<Record<string, number>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: string[][] = [];
  // a total is a formula: read its cached result
  wb.worksheets[0]!.eachRow((r) =>
    rows.push(
      (r.values as unknown[]).slice(1).map((v) => String(v && typeof v === 'object' && 'formula' in v ? ((v as { result?: number }).result ?? 0) : (v ?? ''))),
    ),
  );
  const total = rows.find((r) => r[0] === '合计')!;
  return Object.fromEntries(REPORT_COLUMNS.map((c, i) => [c, Number(total[i])]));
}

/** Pupils listed on the form's case sheets (confirmed dropouts and suspected pupils are on separate sheets). */
function caseRows(wb: ExcelJS.Workbook, only?: string): number {
  let n = 0;
  for (const name of only ? [only] : ['辍学学生花名册', '疑似辍学'])
    wb.getWorksheet(name)!.eachRow((r, i) => i > 2 && typeof r.getCell(1).value === 'number' && n++);
  return n;
}

const fileOf = (attachment: string) => /\((.+\.xlsx)\)$/.exec(attachment)![1]!;

describe('a village cadre and a town official, by where students live', () => {
  it('情况 for a village cadre counts only the residents of the village, in the schools they attend', async () => {
    const text = (await say('V1-1', '情况'))[0]!.text;
    const residents = county.student.filter((s) => s.villageId === 1);
    const schools = new Set(residents.map((s) => county.schoolClass.find((c) => c.id === s.classId)!.schoolId));
    expect(text).toContain(`辖区情况（仅统计居住在本村的学生）：${schools.size} 所学校，在籍 ${residents.filter((s) => s.status === 'enrolled').length} 人`);
  });

  it("the town's dropout roster: students at its schools or living in its villages", async () => {
    const townOfSchool = new Map(county.school.map((s) => [s.id, s.townId]));
    const schoolOfClass = new Map(county.schoolClass.map((c) => [c.id, c.schoolId as number]));
    const townOfVillage = new Map(county.village.map((v) => [v.id, v.townId]));
    const inTown = new Set(
      county.student
        .filter((s) => townOfSchool.get(schoolOfClass.get(s.classId as number)!) === 1 || townOfVillage.get(s.villageId as number) === 1)
        .map((s) => s.id),
    );
    const onRoster = county.dropoutCase.filter((d) => d.state === 'confirmed' && inTown.has(d.studentId as number)).length;
    expect((await say('TW1', '辍学名单'))[0]!.text).toContain(`辍学学生花名册（${onRoster} 人）`);
  });
});

describe('monthly forms past the 999 bound', () => {
  it("the 1,200-pupil school's form: totals from the term's records", async () => {
    const out = await say('P1', '月报表');
    const e = expectedForm(county, (id) => id === 1, '2026-11', TERM_START, TODAY);
    const t = await totalRow(fileOf(out[0]!.attachment!));
    expect(t['现在籍']).toBe(e.current);
    expect([t['本学期转入'], t['本学期转出'], t['本学期休学'], t['本学期借读']]).toEqual([e.transferredIn, e.transferredOut, e.suspended, e.borrowing]);
    expect([t['本月辍学'], t['本学期辍学'], t['本学期复学']]).toEqual([e.droppedMonth, e.droppedTerm, e.returnedTerm]);
    expect(t['期初在籍']).toBe(e.current + e.transferredOut + e.suspended + e.borrowing + e.droppedTerm - e.returnedTerm - e.transferredIn);
    expect(e.droppedTerm).toBeGreaterThan(0);
  });

  it("the county's form: a row per town and stage, the county's totals, every open case listed", async () => {
    const out = await say('C0001', '月报表');
    const e = expectedForm(county, () => true, '2026-11', TERM_START, TODAY);
    const atStart = e.current + e.transferredOut + e.suspended + e.borrowing + e.droppedTerm - e.returnedTerm - e.transferredIn;
    expect(out[0]!.text).toContain(`期初在籍 ${atStart}，现在籍 ${e.current}，本学期辍学 ${e.droppedTerm}，复学 ${e.returnedTerm}`);
    const t = await totalRow(fileOf(out[0]!.attachment!));
    expect([t['现在籍'], t['本学期转出'], t['本月辍学']]).toEqual([e.current, e.transferredOut, e.droppedMonth]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(fileOf(out[0]!.attachment!));
    expect(caseRows(wb)).toBe(e.openCases);
  });

  it('情况 prints every school’s stage dropout rates exactly as the forms compute them (one definition, one rounding)', async () => {
    const text = (await say('C0001', '情况'))[0]!.text;
    const forms = await schoolReportModels(app.deps, app.deps.db, { kind: 'county' }, '2026-11', TODAY, { cases: false });
    expect(forms.some((m) => m.stages.some((st) => (st.figures.dropoutRate ?? 0) > 0))).toBe(true);
    for (const m of forms) {
      const line = text.split('\n').find((l) => l.startsWith(`${m.schoolName}：`))!;
      for (const st of m.stages) expect(line).toContain(`${st.label}辍学率 ${formatRate(st.figures.dropoutRate)}`);
    }
  });

  it("the county's dropout roster and the big school's trend", async () => {
    const onRoster = county.dropoutCase.filter((d) => d.state === 'confirmed').length;
    expect((await say('C0001', '辍学名单'))[0]!.text).toContain(`辍学学生花名册（${onRoster} 人）`);
    const trend = await schoolTrend(app.deps, app.deps.db, 1, TODAY);
    expect(trend.openCases.at(-1)).toBe(expected.find((x) => x.schoolId === 1)!.cases);
  });
});

describe('more open cases than one chunk of ids', () => {
  let many: TestApp;
  let cases: GeneratedCounty;
  beforeAll(async () => {
    many = await makeApp({ now: `${TODAY}T16:00:00+08:00`, demo: false });
    cases = await buildBigCounty(many.deps.db, {
      students: 2000,
      caseShare: 0.5,
      schoolDays: many.deps.calendar.schoolDaysBetween('2026-11-02', TODAY),
      now: many.clock.now(),
      seed: 3,
    });
  }, 120_000);
  afterAll(async () => many?.close());

  it('the county official lists every open case and the whole roster; the county form lists every open case', async () => {
    const open = cases.dropoutCase.filter((d) => d.state !== 'returned' && d.state !== 'withdrawn').length;
    const onRoster = cases.dropoutCase.filter((d) => d.state === 'confirmed').length;
    expect(open).toBeGreaterThan(500);
    expect((await many.session.say('C0001', 'dm', '个案')).delivered[0]!.text).toContain(`进行中的个案 ${open} 件`);
    expect((await many.session.say('C0001', 'dm', '辍学名单')).delivered[0]!.text).toContain(`辍学学生花名册（${onRoster} 人）`);
    const form = (await many.session.say('C0001', 'dm', '月报表')).delivered[0]!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(fileOf(form.attachment!));
    expect(caseRows(wb)).toBe(open);
    expect(caseRows(wb, '辍学学生花名册')).toBe(
      cases.dropoutCase.filter((d) => d.state === 'confirmed' || d.state === 'notice_issued' || d.state === 'referred').length,
    );
  });
});
