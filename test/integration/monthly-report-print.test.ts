/**
 * The monthly form fit to stamp: every heading complete (no "…"), long school names in full, confirmed dropouts and
 * suspected pupils in separate tables, 填报人/联系电话 and targets printed; the .xlsx with rates as numbers formatted
 * as percentages and totals as formulas; each class's weekly counts and the classes that did not report.
 */
import fs from 'node:fs';
import { extractText, getDocumentProxy } from 'unpdf';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { addCount } from '../../src/store/weekly-count.repository.js';
import { formHeader, REPORT_COLUMNS, ROSTER_HEADER, SUSPECTED_HEADER } from '../../src/reports/monthly-layout.js';

let app: TestApp;
const SCHOOL = '青石镇中心小学';
const LONG = '青石镇东山村希望九年一贯制学校（含东山、西岭两个教学点）';
let confirmed: string[] = [];
let suspected = '';
let silentClass = '';
let principal: { staffId: string; name: string };

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-09T08:00:00+08:00' });
  const db = app.deps.db;
  const school = await db.school.findFirstOrThrow({ where: { name: SCHOOL } });
  principal = await db.person.update({
    where: { id: (await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: school.id } })).id },
    data: { phone: '13800001234' },
  });
  const classes = await db.schoolClass.findMany({ where: { schoolId: school.id }, orderBy: [{ grade: 'asc' }, { classNo: 'asc' }] });
  const third = classes.find((c) => c.grade === 3)!;
  const teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher', classId: third.id } });
  const pupils = await db.student.findMany({ where: { classId: third.id }, orderBy: { id: 'asc' }, take: 3 });
  await db.student.update({ where: { id: pupils[0]!.id }, data: { attention: 'left_behind,poor' } });
  for (const day of ['2026-11-11', '2026-11-12', '2026-11-13']) {
    app.clock.set(`${day}T09:00:00+08:00`);
    await app.session.say(teacher.staffId, 'dm', `缺勤 ${pupils.map((p) => `${p.studentNo} 旷课`).join(' ')}`);
  }
  for (const p of pupils.slice(0, 2)) {
    const cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: p.villageId } });
    await app.session.say(cadre.staffId, 'dm', `家访 ${p.studentNo} 外出务工 拒绝返校 跟父母去了外省打工`);
    await app.session.say(principal.staffId, 'dm', `确认辍学 ${p.studentNo}`);
  }
  confirmed = pupils.slice(0, 2).map((p) => p.name);
  suspected = pupils[2]!.name;
  // weekly counts: every class reports W45 and W46, except one class in W46; nobody W47 (due 11-20)
  silentClass = classes[1]!.name;
  for (const c of classes)
    for (const week of ['2026-W45', '2026-W46'])
      if (!(c.id === classes[1]!.id && week === '2026-W46'))
        await addCount(db, {
          classId: c.id,
          week,
          figures: { enrolled: 40, present: 37, leave: 2, truant: 1 },
          rawText: '应到40 实到37 请假2 旷课1',
          reportedById: teacher.id,
          chatRef: 'x',
          at: app.clock.now(),
        });
  await db.school.updateMany({ where: { name: '青石镇九年一贯制学校' }, data: { name: LONG } });
  app.clock.set('2026-11-20T10:00:00+08:00');
}, 90_000);
afterAll(async () => app?.close());

const fileOf = (attachment: string, ext: 'pdf' | 'xlsx') => new RegExp(`\\((.+\\.${ext})\\)$`).exec(attachment)![1]!;

async function form(staffId: string, format: 'pdf' | 'xlsx'): Promise<string> {
  const out = (await app.session.say(staffId, 'dm', `月报表 2026-11${format === 'pdf' ? ' pdf' : ''}`)).delivered;
  return fileOf(out.find((d) => d.attachment)!.attachment!, format);
}

/** The PDF's text with all whitespace removed (a wrapped cell's lines join up). */
async function pdfText(file: string): Promise<{ pages: number; text: string; raw: string }> {
  const pdf = await getDocumentProxy(new Uint8Array(fs.readFileSync(file)));
  const { totalPages, text } = await extractText(pdf, { mergePages: true });
  return { pages: totalPages, text: text.replace(/\s+/g, ''), raw: text };
}

const strip = (s: string) => s.replace(/\s+/g, '');

function expectHeadings(text: string, rowHeader: '年级' | '学校' | '乡镇'): void {
  for (const g of formHeader({ rowHeader })) {
    expect(text).toContain(strip(g.title));
    for (const s of g.subs ?? []) expect(text).toContain(strip(s));
  }
}

describe('the printed monthly form (PDF)', () => {
  it('school form: complete headings, nothing cut, 填报人 and phone, targets, page numbers', async () => {
    const { text, raw, pages } = await pdfText(await form('T0009', 'pdf'));
    expect(raw).not.toContain('…');
    expect(raw).not.toContain('...');
    expectHeadings(text, '年级');
    for (const h of [...ROSTER_HEADER, ...SUSPECTED_HEADER]) expect(text).toContain(strip(h));
    expect(text).toContain(`填报人：${principal.name}`);
    expect(text).toContain('联系电话：13800001234');
    expect(text).toContain('审核人（签字）');
    expect(text).toContain('学校（盖章）');
    expect(text).toContain('≤0.50%');
    expect(text).toContain(`第1页共${pages}页`);
    expect(text).toContain('2026年11月');
  });

  it('confirmed dropouts and suspected pupils are in separate tables, with reason and home-visit result', async () => {
    const { text } = await pdfText(await form('T0009', 'pdf'));
    const roster = text.indexOf('辍学学生花名册（已确认辍学，2人）');
    const susp = text.indexOf('疑似辍学学生（未确认，1人）');
    const weekly = text.indexOf('各班每周考勤统计');
    expect(roster).toBeGreaterThan(0);
    expect(susp).toBeGreaterThan(roster);
    expect(weekly).toBeGreaterThan(susp);
    const rosterPart = text.slice(roster, susp);
    const suspectedPart = text.slice(susp, weekly);
    for (const name of confirmed) {
      expect(rosterPart).toContain(name);
      expect(suspectedPart).not.toContain(name);
    }
    expect(suspectedPart).toContain(suspected);
    expect(rosterPart).not.toContain(suspected);
    expect(rosterPart).toContain('外出务工');
    expect(rosterPart).toContain('拒绝返校');
    expect(rosterPart).toContain('留守儿童');
    expect(suspectedPart).toContain('2026-11-11');
    expect(suspectedPart).toContain('待入户家访');
  });

  it("school form: each class's weekly counts and the classes that did not report", async () => {
    const { text } = await pdfText(await form('T0009', 'pdf'));
    const weekly = text.slice(text.indexOf('各班每周考勤统计'));
    for (const h of ['应到', '实到', '请假', '旷课', '11/02–11/06', '11/09–11/13']) expect(weekly).toContain(h);
    expect(weekly).toContain('403721'); // 应到 实到 请假 旷课 of a reported week, cell after cell
    const missing = weekly.slice(weekly.indexOf('本月未报周统计的班级'));
    expect(missing).toContain(`${silentClass}（11/09–11/13、11/16–11/20）`);
  });

  it('town form: a long school name printed in full, never cut; missing weekly counts per school', async () => {
    const { text, raw } = await pdfText(await form('T0002', 'pdf'));
    expect(raw).not.toContain('…');
    expectHeadings(text, '学校');
    expect(text).toContain(strip(LONG));
    expect(text).toContain(SCHOOL);
    expect(text).toContain('各校周统计缺报情况');
    expect(text).toContain('镇人民政府（盖章）');
  });

  it('county form: complete headings; school names in full', async () => {
    const { text, raw } = await pdfText(await form('T0001', 'pdf'));
    expect(raw).not.toContain('…');
    expectHeadings(text, '乡镇');
    expect(text).toContain(strip(LONG));
    expect(text).toContain('县教育局（盖章）');
  });
});

async function workbook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

describe('the monthly form (.xlsx)', () => {
  it('rates are numbers formatted as percentages; subtotals and totals are formulas; headers frozen', async () => {
    const wb = await workbook(await form('T0009', 'xlsx'));
    const ws = wb.getWorksheet('月报表')!;
    const col = (name: (typeof REPORT_COLUMNS)[number]) => REPORT_COLUMNS.indexOf(name) + 1;
    let grades = 0;
    let total: ExcelJS.Row | undefined;
    let subtotal: ExcelJS.Row | undefined;
    ws.eachRow((r, i) => {
      if (i > 5 && /年级$/.test(String(r.getCell(2).value))) grades++;
      if (r.getCell(1).value === '合计') total = r;
      if (r.getCell(2).value === '小计') subtotal = r;
    });
    expect(grades).toBe(6);
    for (const row of [total!, subtotal!]) {
      for (const name of ['辍学率', '本学期在籍保持率', '辍学率控制目标'] as const) {
        const cell = row.getCell(col(name));
        expect(typeof cell.value).toBe('number');
        expect(cell.numFmt).toMatch(/0\.00%/);
      }
      for (const name of ['期初在籍', '现在籍', '本月辍学', '本学期辍学'] as const) expect(row.getCell(col(name)).type).toBe(ExcelJS.ValueType.Formula);
    }
    expect(total!.getCell(col('现在籍')).formula).toMatch(/^SUM\(D\d+:D\d+\)$/);
    expect(subtotal!.getCell(col('本月辍学')).formula).toMatch(/^SUMIF\(/);
    expect((total!.getCell(col('本月辍学')).value as { result: number }).result).toBe(2);
    expect(total!.getCell(col('辍学率控制目标')).value).toBe(0.005);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
    expect(ws.getColumn(col('备注')).width).toBeGreaterThan(20);
    expect(ws.getCell(4, 3).value).toBe('在籍人数');
    expect(ws.getCell(5, 3).value).toBe('期初在籍');
  });

  it('confirmed and suspected pupils on separate sheets; weekly counts with a formula total', async () => {
    const wb = await workbook(await form('T0009', 'xlsx'));
    const names = (sheet: string) => {
      const out: string[] = [];
      wb.getWorksheet(sheet)!.eachRow((r, i) => i > 2 && out.push(String(r.getCell(2).value)));
      return out;
    };
    expect(names('辍学学生花名册').sort()).toEqual([...confirmed].sort());
    expect(names('疑似辍学')).toEqual([suspected]);
    const weekly = wb.getWorksheet('每周考勤')!;
    let total: ExcelJS.Row | undefined;
    weekly.eachRow((r) => r.getCell(1).value === '合计' && (total = r));
    expect(total!.getCell(2).formula).toMatch(/^SUM\(/);
    let silent: ExcelJS.Row | undefined;
    weekly.eachRow((r) => r.getCell(1).value === silentClass && (silent = r));
    expect(silent!.getCell(6).value).toBe('未报');
    expect(silent!.getCell(3).value).toBe(37);
  });

  it("town .xlsx: the long school name in full, each school's missing weekly counts with formula totals", async () => {
    const wb = await workbook(await form('T0002', 'xlsx'));
    const texts: string[] = [];
    wb.getWorksheet('月报表')!.eachRow((r) => texts.push(String(r.getCell(2).value)));
    expect(texts).toContain(LONG);
    const ws = wb.getWorksheet('周统计缺报')!;
    let line: ExcelJS.Row | undefined;
    let total: ExcelJS.Row | undefined;
    ws.eachRow((r) => (r.getCell(2).value === SCHOOL && (line = r), r.getCell(1).value === '合计' && (total = r)));
    expect(line!.getCell(5).value).toBe(8); // 7 classes miss W47, one class also W46
    expect(total!.getCell(5).formula).toMatch(/^SUM\(E3:E\d+\)$/);
  });
});
