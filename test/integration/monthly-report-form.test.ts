/**
 * The monthly report form (学校每月一统计) as .xlsx: per-grade figures from dated records, checked against the
 * database; a stage over its dropout target is marked; the cases sheet; by DM on confirmation; the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { REPORT_COLUMNS } from '../../src/reports/monthly-report.xlsx.js';
import type { MonthlyReportModel } from '../../src/reports/monthly-model.js';

let app: TestApp;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCHOOL = '青石镇中心小学';
let dropped: string[] = [];
let movedGrade = '';
let droppedGrade = '';

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-09T08:00:00+08:00' });
  const db = app.deps.db;
  const school = await db.school.findFirstOrThrow({ where: { name: SCHOOL } });
  const principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: school.id } });
  const classes = await db.schoolClass.findMany({ where: { schoolId: school.id }, orderBy: [{ grade: 'asc' }, { classNo: 'asc' }] });
  const [first, third] = [classes[0]!, classes.find((c) => c.grade === 3)!];
  movedGrade = '一年级';
  droppedGrade = '三年级';
  // a transfer out of grade 1 on Nov 10 (not a dropout)
  const mover = await db.student.findFirstOrThrow({ where: { classId: first.id }, orderBy: { id: 'asc' } });
  app.clock.set('2026-11-10T09:00:00+08:00');
  await app.session.say(principal.staffId, 'dm', `转学 ${mover.studentNo} 青石镇九年一贯制学校`);
  // two dropouts in grade 3, confirmed in November
  const teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher', classId: third.id } });
  const pupils = await db.student.findMany({ where: { classId: third.id }, include: { village: true }, orderBy: { id: 'asc' }, take: 2 });
  for (const day of ['2026-11-11', '2026-11-12', '2026-11-13']) {
    app.clock.set(`${day}T09:00:00+08:00`);
    await app.session.say(teacher.staffId, 'dm', `缺勤 ${pupils.map((p) => `${p.studentNo} 旷课`).join(' ')}`);
  }
  for (const p of pupils) {
    const cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: p.villageId } });
    await app.session.say(cadre.staffId, 'dm', `家访 ${p.studentNo} 外出务工 拒绝返校`);
    await app.session.say(principal.staffId, 'dm', `确认辍学 ${p.studentNo}`);
  }
  dropped = pupils.map((p) => p.name);
  app.clock.set('2026-11-20T10:00:00+08:00');
}, 60_000);
afterAll(async () => app?.close());

/** A cell as text: a formula's cached result, a rate as 12.34%. */
function cellText(c: ExcelJS.Cell): string {
  const v = c.value as unknown;
  if (v && typeof v === 'object' && 'formula' in v) return String((v as { result?: number }).result ?? 0);
  if (typeof v === 'number' && c.numFmt?.includes('%')) return `${(v * 100).toFixed(2)}%`;
  return String(v ?? '');
}

async function sheetRows(file: string, sheet: number): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: string[][] = [];
  const ws = wb.worksheets[sheet]!;
  ws.eachRow((r) => rows.push(Array.from({ length: ws.columnCount }, (_, i) => cellText(r.getCell(i + 1)))));
  return rows;
}

describe('monthly report form', () => {
  it('the principal confirms and gets the printable form by direct message; its figures match the database', async () => {
    const out = (await app.session.say('T0009', 'dm', '确认月报 2026-11')).delivered;
    const files = out.filter((d) => d.attachment);
    expect(files.map((d) => d.attachment!.replace(/ \(.*$/, ''))).toEqual([`${SCHOOL}-2026-11控辍保学月报表.xlsx`, `${SCHOOL}-2026-11控辍保学月报表.pdf`]);
    expect(files.every((d) => d.chat === 'dm')).toBe(true);
    const withFile = files[0]!;
    const file = /\((.+\.xlsx)\)$/.exec(withFile.attachment!)![1]!;
    const rows = await sheetRows(file, 0);
    expect(rows[0]![0]).toBe(`${SCHOOL}控辍保学月报表（2026年11月）`);
    expect(rows[3]!.slice(0, 4)).toEqual(['学段', '年级', '在籍人数', '在籍人数']);
    expect(rows[4]!.slice(2, 4)).toEqual(['期初在籍', '现在籍']);
    const col = (name: (typeof REPORT_COLUMNS)[number]) => REPORT_COLUMNS.indexOf(name);
    const grade = (label: string) => rows.find((r) => r[1] === label)!;
    const db = app.deps.db;
    const school = await db.school.findFirstOrThrow({ where: { name: SCHOOL } });
    const enrolled = (g: number) => db.student.count({ where: { status: 'enrolled', class: { schoolId: school.id, grade: g } } });
    expect(Number(grade(movedGrade)[col('现在籍')])).toBe(await enrolled(1));
    expect(Number(grade(movedGrade)[col('本学期转出')])).toBe(1);
    expect(Number(grade(movedGrade)[col('期初在籍')])).toBe((await enrolled(1)) + 1);
    expect(Number(grade(droppedGrade)[col('本月辍学')])).toBe(2);
    expect(Number(grade(droppedGrade)[col('期初在籍')])).toBe((await enrolled(3)) + 2);
    // a transfer is not a loss: grade 1 keeps 100% of its roll this term; grade 3 lost two of its term-start roll
    expect(grade(movedGrade)[col('本学期在籍保持率')]).toBe('100.00%');
    expect(grade(droppedGrade)[col('本学期在籍保持率')]).toBe(`${(((await enrolled(3)) / ((await enrolled(3)) + 2)) * 100).toFixed(2)}%`);
    const total = rows.find((r) => r[0] === '合计')!;
    expect(Number(total[col('现在籍')])).toBe(await db.student.count({ where: { status: 'enrolled', class: { schoolId: school.id } } }));
    // 2 of ~213 primary pupils: over the 0.5% primary target, marked on the stage subtotal
    const primary = rows.find((r) => r[0] === '小学' && r[1] === '小计')!;
    expect(primary[col('备注')]).toContain('⚠ 小学辍学率');
    const cases = await sheetRows(file, 1);
    expect(
      cases
        .slice(2)
        .map((r) => r[1])
        .sort(),
    ).toEqual([...dropped].sort());
  });

  it('the PDF has the form and the cases page, with the Chinese text in its text layer', async () => {
    const out = (await app.session.say('T0009', 'dm', '月报表 2026-11 pdf')).delivered;
    const file = /\((.+\.pdf)\)$/.exec(out[0]!.attachment!)![1]!;
    const pdf = await getDocumentProxy(new Uint8Array(fs.readFileSync(file)));
    const { totalPages, text } = await extractText(pdf, { mergePages: true });
    expect(totalPages).toBeGreaterThanOrEqual(2);
    expect(text).toContain(`${SCHOOL}控辍保学月报表`);
    expect(text).toContain('辍学学生花名册');
    for (const name of dropped) expect(text).toContain(name);
  });

  it("a town official's 月报表 is the town's aggregate: a row per school and stage, the town's total", async () => {
    const out = (await app.session.say('T0002', 'dm', '月报表 2026-11')).delivered;
    expect(out[0]!.attachment).toMatch(/青石镇-2026-11控辍保学月报表（全镇汇总）\.xlsx/);
    const rows = await sheetRows(/\((.+\.xlsx)\)$/.exec(out[0]!.attachment!)![1]!, 0);
    expect(rows[0]![0]).toBe('青石镇控辍保学月报表（全镇汇总）（2026年11月）');
    expect(rows[3]![1]).toBe('学校');
    expect(rows.filter((r) => r[1] === SCHOOL).map((r) => r[0])).toEqual(['小学']);
    expect(rows.filter((r) => r[1] === '青石镇九年一贯制学校').map((r) => r[0])).toEqual(['小学', '初中']);
    const db = app.deps.db;
    const town = await db.town.findFirstOrThrow({ where: { name: '青石镇' } });
    const total = rows.find((r) => r[0] === '合计')!;
    expect(Number(total[REPORT_COLUMNS.indexOf('现在籍')])).toBe(
      await db.student.count({ where: { status: 'enrolled', class: { school: { townId: town.id } } } }),
    );
    expect(Number(total[REPORT_COLUMNS.indexOf('本月辍学')])).toBe(2);
    expect(rows.at(-1)!.join('')).toContain('镇人民政府（盖章）');
  });

  it("the county's 月报表 has a row per town and stage and the county's total", async () => {
    const out = (await app.session.say('T0001', 'dm', '月报表 2026-11 pdf')).delivered;
    expect(out[0]!.attachment).toMatch(/示范县-2026-11控辍保学月报表（全县汇总）\.pdf/);
    const xl = (await app.session.say('T0001', 'dm', '月报表 2026-11')).delivered;
    const rows = await sheetRows(/\((.+\.xlsx)\)$/.exec(xl[0]!.attachment!)![1]!, 0);
    expect(rows[3]![1]).toBe('乡镇');
    expect(rows.filter((r) => r[1] === '青石镇').map((r) => r[0])).toEqual(['小学', '初中']);
    expect(rows.filter((r) => r[1] === '柳河镇').map((r) => r[0])).toEqual(['初中']);
    const total = rows.find((r) => r[0] === '合计')!;
    expect(Number(total[REPORT_COLUMNS.indexOf('现在籍')])).toBe(await app.deps.db.student.count({ where: { status: 'enrolled' } }));
    expect(rows.at(-1)!.join('')).toContain('县教育局（盖章）');
  });

  it('月报表 works before confirming too, only for principals, only by direct message', async () => {
    const out = (await app.session.say('T0010', 'dm', '月报表 2026-11')).delivered;
    expect(out[0]!.attachment).toMatch(/柳河镇初级中学-2026-11控辍保学月报表\.xlsx/);
    const group = (await app.session.say('T0009', '教师群', '月报表')).delivered;
    expect(group.every((d) => !d.attachment)).toBe(true);
    expect((await app.session.say('T0012', 'dm', '月报表')).delivered[0]!.text).toContain('校长');
  });

  it('the CLI prints the same figures as JSON', () => {
    const json = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'report', '--school', SCHOOL, '--month', '2026-11', '--format', 'json', '--now', '2026-11-20T10:00:00+08:00'],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: app.deps.config.DATABASE_URL, REPORTS_DIR: path.join(app.dir, 'cli-reports') },
        encoding: 'utf8',
      },
    );
    const m = JSON.parse(json) as MonthlyReportModel;
    expect(m.schoolName).toBe(SCHOOL);
    expect(m.total.droppedMonth).toBe(2);
    expect(m.total.transferredOut).toBe(1);
    expect(m.cases).toHaveLength(2);
  });
});
