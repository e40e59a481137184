/**
 * The annual assessment (年度考核) on the demo county: a school's own (stricter) target turns one confirmed dropout into
 * 一票否决; an imported 2018 intake gives the nine-year school and its town a consolidation rate; two failed inspections
 * and a 黄牌 make 黄牌警告; an alert that reached the county (and one from the previous school year, not counted) and
 * its fault records land on the right school and town. The .xlsx is read back (numbers, 0.00%, frozen two-row
 * header), the PDF's text layer has the heading, every school and town, and nothing cut with "…". In chat only the
 * county may ask, and the files go by direct message.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { makeApp, type TestApp } from '../helpers/app.js';
import { confirmDropoutThroughBot } from '../helpers/dropout.js';
import { assessmentModel, assessmentYear } from '../../src/services/assessment.js';
import { assessmentXlsx } from '../../src/reports/assessment.xlsx.js';
import { assessmentPdf } from '../../src/reports/assessment.pdf.js';
import { addIntakes, addTargets } from '../../src/store/rates.repository.js';
import type { AssessmentModel, AssessmentRow } from '../../src/reports/assessment-model.js';

let app: TestApp;
const db = () => app.deps.db;
const say = async (who: string, chat: string, text: string) => (await app.session.say(who, chat, text)).delivered;
const LONG = '青石镇九年一贯制学校（含东山村、石桥村、柳塘村三个教学点）';
let primaryId = 0;
let nineId = 0;
let juniorId = 0;
let countyStaff = '';
let model: AssessmentModel;
const school = (id: number) => model.schools.find((s) => s.id === id)!;
const town = (name: string) => model.towns.find((t) => t.name === name)!;

const confirmDropout = (studentId: number) => confirmDropoutThroughBot(app, studentId);

async function alertFor(studentId: number, escalation: 'town' | 'county', escalatedAt: string) {
  return db().alert.create({
    data: {
      studentId,
      step: 'joint_home_visit',
      streakSince: '2026-11-02',
      streakDays: 2,
      raisedOn: '2026-11-03',
      createdAt: new Date('2026-11-03T08:00:00+08:00'),
      escalation,
      escalatedAt: new Date(escalatedAt),
    },
  });
}

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  const byName = async (name: string) => (await db().school.findFirstOrThrow({ where: { name } })).id;
  primaryId = await byName('青石镇中心小学');
  nineId = await byName('青石镇九年一贯制学校');
  juniorId = await byName('柳河镇初级中学');
  countyStaff = (await db().person.findFirstOrThrow({ where: { role: 'county' } })).staffId;
  const at = app.clock.now();

  // 一票否决 by the school's OWN target: 1 of 212 pupils (0.47%) is within the county's 0.5%, not the school's 0.30%.
  await addTargets(db(), [{ unitKind: 'school', unitId: primaryId, figure: 'primaryDropout', value: 0.003 }], at);
  const pupil = await db().student.findFirstOrThrow({ where: { class: { schoolId: primaryId }, status: 'enrolled' }, orderBy: { id: 'asc' } });
  await confirmDropout(pupil.id);

  // The 2018 intake (the pupils now in 初三 entered 一年级 in 2018).
  await addIntakes(
    db(),
    [
      { schoolId: primaryId, entryYear: 2018, grade1Intake: 30 },
      { schoolId: nineId, entryYear: 2018, grade1Intake: 22 },
    ],
    at,
  );

  // Two failed inspections of the nine-year school this school year, the second with its 黄牌.
  const classes = await db().schoolClass.findMany({ where: { schoolId: nineId }, orderBy: { id: 'asc' }, take: 2 });
  const fail = (classId: number, date: string) =>
    db().inspectionFinding.create({
      data: {
        drawId: 1,
        schoolId: nineId,
        classId,
        date,
        enrolled: 30,
        presentFound: 25,
        presentRecorded: 30,
        taken: true,
        absentIds: '[]',
        mismatches: '{"absentNotMarked":[],"markedNotAbsent":[]}',
        failed: true,
        chatRef: 'console:dm:x',
        recordedAt: new Date(`${date}T10:00:00+08:00`),
      },
    });
  await fail(classes[0]!.id, '2026-10-12');
  await fail(classes[1]!.id, '2026-11-10');
  await db().rectification.create({
    data: { drawId: 1, schoolId: nineId, schoolYear: '2026', date: '2026-10-12', deadline: '2026-10-26', strike: 1, issuedAt: at },
  });
  const second = await db().rectification.create({
    data: { drawId: 2, schoolId: nineId, schoolYear: '2026', date: '2026-11-10', deadline: '2026-11-24', strike: 2, issuedAt: at },
  });
  await db().schoolYellowCard.create({ data: { schoolId: nineId, schoolYear: '2026', rectificationId: second.id, at } });

  // Alerts of the junior school: one reached the county, one the town this school year; one reached the county last year.
  const [a, b, c] = await db().student.findMany({ where: { class: { schoolId: juniorId }, status: 'enrolled' }, orderBy: { id: 'asc' }, take: 3 });
  const toCounty = await alertFor(a!.id, 'county', '2026-11-06T09:00:00+08:00');
  await alertFor(b!.id, 'town', '2026-11-05T09:00:00+08:00');
  await alertFor(c!.id, 'county', '2026-06-10T09:00:00+08:00');
  const staff = await db().person.findMany({ where: { role: { in: ['class_teacher', 'principal'] }, schoolId: juniorId }, take: 2 });
  for (const p of staff) {
    await db().faultRecord.create({
      data: {
        alertId: toCounty.id,
        studentId: a!.id,
        schoolId: juniorId,
        personId: p.id,
        role: p.role,
        step: 'county',
        notifiedAt: new Date('2026-11-04T09:00:00+08:00'),
        recordedAt: new Date('2026-11-06T09:00:00+08:00'),
      },
    });
  }
  await db().school.update({ where: { id: nineId }, data: { name: LONG } });
  model = await assessmentModel(app.deps, db(), 2026, '2026-11-20');
});
afterAll(async () => app?.close());

describe('the figures, flags and conclusion', () => {
  it('a school over its OWN dropout target is 一票否决 although within the county target', () => {
    const r = school(primaryId);
    expect(r.rates.primaryDropout).toMatchObject({ num: 1, den: 212 });
    expect(r.rates.juniorDropout).toBeUndefined();
    expect(r.rates.consolidation).toBeUndefined();
    expect(r.targets.primaryDropoutMax).toBe(0.003);
    expect(r.breaches.map((b) => [b.figure, b.veto])).toEqual([['primaryDropout', true]]);
    expect(r.conclusion).toBe('不合格（一票否决：小学辍学率）');
    expect(r.inspections + r.failures + r.yellowCards + r.escalatedCounty + r.faultRecords).toBe(0);
  });

  it('two failed inspections and a 黄牌: 黄牌警告; the nine-year school has its consolidation rate from the imported intake', async () => {
    const r = school(nineId);
    expect(r.name).toBe(LONG);
    expect([r.inspections, r.failures, r.yellowCards]).toEqual([2, 2, 1]);
    const g9 = await db().student.count({ where: { status: 'enrolled', class: { schoolId: nineId, stage: 'junior', grade: 3 } } });
    expect(r.rates.consolidation).toMatchObject({ num: g9, den: 22 });
    expect(r.rates.primaryDropout).toMatchObject({ value: 0 });
    expect(r.rates.juniorDropout).toMatchObject({ value: 0 });
    expect(r.conclusion).toContain('黄牌警告');
    expect(r.conclusion).not.toContain('不合格');
  });

  it('escalations of this school year only, to the town (incl. those that went on) and the county; fault records', () => {
    const r = school(juniorId);
    expect([r.escalatedTown, r.escalatedCounty, r.faultRecords]).toEqual([2, 1, 2]);
    expect(r.rates.juniorDropout).toMatchObject({ value: 0 });
    expect(r.conclusion).toBe('合格');
  });

  it('towns sum their schools and are judged on their own targets; without population the veto figures are 待核定', () => {
    const q = town('青石镇');
    const l = town('柳河镇');
    expect(q.rates.primaryDropout).toMatchObject({ num: 1 });
    expect(q.breaches.filter((b) => b.figure === 'primaryDropout')).toEqual([]);
    expect(q.rates.consolidation && 'value' in q.rates.consolidation).toBe(true);
    expect(q.rates.primaryEnrolment).toMatchObject({ missing: expect.stringContaining('未导入') });
    expect(q.conclusion).toBe('待核定（小学适龄儿童入学率、初中毛入学率未导入）');
    expect([q.inspections, q.failures, q.yellowCards]).toEqual([2, 2, 1]);
    expect([l.escalatedTown, l.escalatedCounty, l.faultRecords]).toEqual([2, 1, 2]);
    const county = model.towns.at(-1)!;
    expect(county.kind).toBe('county');
    expect([county.yellowCards, county.escalatedCounty, county.faultRecords]).toEqual([1, 1, 2]);
  });

  it('a year not begun, or not a year, is refused', () => {
    expect(assessmentYear('2027', '2026-11-20')).toMatchObject({ error: expect.stringContaining('还没有开始') });
    expect(assessmentYear('26', '2026-11-20')).toMatchObject({ error: expect.stringContaining('2026') });
    expect(assessmentYear('2025', '2026-11-20')).toBe(2025);
  });
});

describe('the files', () => {
  it('.xlsx: rates and targets as numbers in 0.00%, counts as numbers, the two-row header frozen, widths set', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await assessmentXlsx(model)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('学校')!;
    expect(String(ws.getCell(1, 1).value)).toContain('《示范县2026学年控辍保学工作年度考核表》');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    const header = [3, 4].map((r) => (ws.getRow(r).values as unknown[]).map(String));
    const col = (group: string, label: string) => header[0]!.findIndex((g, i) => g === group && header[1]![i] === label);
    let row = 0;
    ws.eachRow((r, n) => (r.getCell(3).value === '青石镇中心小学' ? (row = n) : undefined));
    expect(row).toBeGreaterThan(4);
    const rateCol = header[0]!.indexOf('小学辍学率');
    expect(header[1]![rateCol]).toBe('实际');
    const rate = ws.getCell(row, rateCol);
    expect(rate.value).toBeCloseTo(1 / 212, 12);
    expect(rate.numFmt).toBe('0.00%');
    expect(ws.getCell(row, rateCol + 1).value).toBe(0.003);
    expect(ws.getCell(row, rateCol + 1).numFmt).toBe('0.00%');
    expect(String(ws.getCell(row, header[1]!.indexOf('考核结论')).value)).toContain('一票否决');
    let nine = 0;
    ws.eachRow((r, n) => (r.getCell(3).value === LONG ? (nine = n) : undefined));
    expect(ws.getCell(nine, col('本学年抽查', '不合格')).value).toBe(2);
    expect(ws.getCell(nine, col('本学年抽查', '次数')).value).toBe(2);
    for (let c = 1; c <= ws.columnCount; c++) expect(ws.getColumn(c).width).toBeGreaterThan(0);
    const towns = wb.getWorksheet('乡镇')!;
    let liuhe = 0;
    towns.eachRow((r, n) => (r.getCell(2).value === '柳河镇' ? (liuhe = n) : undefined));
    const th = [3, 4].map((r) => (towns.getRow(r).values as unknown[]).map(String));
    const at = (g: string, l: string) => th[0]!.findIndex((x, i) => x === g && th[1]![i] === l);
    expect(towns.getCell(liuhe, at('预警升级', '到县')).value).toBe(1);
    expect(towns.getCell(liuhe, at('预警升级', '到镇')).value).toBe(2);
  });

  it('PDF: the heading, every school and town in full (wrapped, never cut with …), the signature line', async () => {
    const pdf = await assessmentPdf(model);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('《示范县2026学年控辍保学工作年度考核表》');
    for (const s of model.schools) expect(flat).toContain(s.name.replace(/\s+/g, ''));
    for (const t of model.towns) expect(flat).toContain(t.name);
    expect(flat).toContain('不合格（一票否决：小学辍学率）');
    expect(flat).toContain('县教育局（盖章）');
    expect(text).not.toContain('…');
  });
});

describe('年度考核 in chat', () => {
  it('a principal is refused and gets no file', async () => {
    const principal = await db().person.findFirstOrThrow({ where: { role: 'principal' } });
    const out = await say(principal.staffId, 'dm', '年度考核 2026');
    expect(out.map((d) => d.text).join()).toContain('「年度考核」只有县教育局可以使用');
    expect(out.some((d) => d.attachment)).toBe(false);
  });

  it('a bad year is refused with an example', async () => {
    const out = await say(countyStaff, 'dm', '年度考核 2030');
    expect(out[0]!.text).toContain('正确示例：年度考核 2026');
    expect(out.some((d) => d.attachment)).toBe(false);
  });

  it('the county gets both files by direct message; asked in a group, the group hears only that they were sent', async () => {
    const dm = await say(countyStaff, 'dm', '年度考核 2026');
    const files = dm.filter((d) => d.attachment);
    expect(files.map((d) => /\.(xlsx|pdf)\)$/.exec(d.attachment!)?.[1]).sort()).toEqual(['pdf', 'xlsx']);
    expect(files.every((d) => d.chat === 'dm' && d.to === countyStaff)).toBe(true);
    const pdfPath = /\((.+\.pdf)\)$/.exec(files.find((d) => d.attachment!.endsWith('.pdf)'))!.attachment!)![1]!;
    expect(fs.existsSync(pdfPath)).toBe(true);
    const group = await say(countyStaff, '县局工作群', '年度考核 2026');
    expect(group.filter((d) => d.chat !== 'dm').every((d) => !d.attachment)).toBe(true);
    expect(group.filter((d) => d.attachment).every((d) => d.chat === 'dm' && d.to === countyStaff)).toBe(true);
    expect(group.filter((d) => d.attachment)).toHaveLength(2);
  });
});
