/**
 * The monthly school report as the workbook a school office fills: the same form as the PDF (two-row header, each
 * stage's target beside its rate), rates stored as numbers formatted as percentages, subtotals and totals as formulas
 * over the rows above them, long cells wrapped, column widths set and the header rows frozen; then the confirmed
 * dropouts (辍学学生花名册) and the suspected pupils on separate sheets, and the weekly counts.
 */
import type ExcelJS from 'exceljs';
import type { MonthlyForm } from './monthly-form.js';
import {
  confirmedCases,
  FIRST_COUNT,
  formHeader,
  formRows,
  MISSING_HEADER,
  REPORT_COLUMNS,
  ROSTER_HEADER,
  rosterCells,
  suspectedCases,
  SUSPECTED_HEADER,
  suspectedCells,
  WEEK_SUBS,
  type Cell,
  type HeaderGroup,
} from './monthly-layout.js';
import { safeCell } from './safe-cell.js';

export { columnsFor, REPORT_COLUMNS } from './monthly-layout.js';

const thin = { style: 'thin' as const };
const box = { top: thin, bottom: thin, left: thin, right: thin };
const RATE = '0.00%';
const COUNT_COLS = 9;
const WEEK_KEYS = ['enrolled', 'present', 'leave', 'truant'] as const;

const colName = (c: number): string => (c <= 26 ? String.fromCharCode(64 + c) : colName(Math.floor((c - 1) / 26)) + String.fromCharCode(65 + ((c - 1) % 26)));

/** A merged title line across `n` columns. */
function titleRow(ws: ExcelJS.Worksheet, n: number, text: string, font: Partial<ExcelJS.Font>, height?: number): void {
  const r = ws.addRow([safeCell(text)]);
  ws.mergeCells(r.number, 1, r.number, n);
  r.getCell(1).font = font;
  r.getCell(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  if (height) r.height = height;
}

/** Two header rows: a group heading merged over its sub-headings, a heading without subs merged over both rows. */
function twoRowHeader(ws: ExcelJS.Worksheet, groups: HeaderGroup[]): number {
  const top = ws.addRow([]);
  const sub = ws.addRow([]);
  let c = 1;
  for (const g of groups) {
    top.getCell(c).value = safeCell(g.title);
    if (g.subs?.length) {
      g.subs.forEach((s, i) => (sub.getCell(c + i).value = safeCell(s)));
      if (g.subs.length > 1) ws.mergeCells(top.number, c, top.number, c + g.subs.length - 1);
      c += g.subs.length;
    } else {
      ws.mergeCells(top.number, c, sub.number, c);
      c += 1;
    }
  }
  for (const r of [top, sub]) {
    r.font = { bold: true };
    r.height = 30;
    for (let i = 1; i < c; i++) {
      const cell = r.getCell(i);
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = box;
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
    }
  }
  return sub.number;
}

function value(c: Cell): ExcelJS.CellValue {
  return c.kind === 'text' ? safeCell(c.v) : c.kind === 'count' ? c.v : c.v === undefined ? '—' : c.v;
}

function rateFormat(c: Cell): string | undefined {
  if (c.kind !== 'rate' || c.v === undefined) return undefined;
  return c.prefix ? `"${c.prefix}"${RATE}` : RATE;
}

/** A plain table sheet: title, one header row, rows of text (wrapped), widths; the header frozen. */
function listSheet(
  wb: ExcelJS.Workbook,
  name: string,
  title: string,
  header: readonly string[],
  rows: string[][],
  widths: number[],
  empty: string,
  numeric: number[],
): void {
  const ws = wb.addWorksheet(name, { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  titleRow(ws, header.length, title, { bold: true, size: 14 }, 24);
  const h = ws.addRow(header.map((x) => x.replace(/\n/g, '')));
  h.font = { bold: true };
  h.eachCell((cell) => ((cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }), (cell.border = box)));
  for (const r of rows) {
    const row = ws.addRow(r.map((v, i) => (numeric.includes(i) && /^\d+$/.test(v) ? Number(v) : safeCell(v))));
    for (let i = 1; i <= header.length; i++) {
      row.getCell(i).alignment = { vertical: 'top', wrapText: true };
      row.getCell(i).border = box;
    }
  }
  if (rows.length === 0) ws.addRow([empty]);
  ws.columns.forEach((col, i) => (col.width = widths[i] ?? 12));
  ws.views = [{ state: 'frozen', ySplit: 2 }];
}

export async function monthlyReportXlsx(m: MonthlyForm): Promise<Buffer> {
  // ExcelJS (~25 MB) is loaded by the first workbook, not at start.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  // the cached results of the subtotal and total formulas are recomputed when the file is opened
  wb.calcProperties.fullCalcOnLoad = true;
  const ws = wb.addWorksheet('月报表', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  const n = REPORT_COLUMNS.length;
  const [year, mon] = m.month.split('-').map(Number);
  const f = m.form;
  titleRow(ws, n, `${m.title}（${year}年${mon}月）`, { bold: true, size: 16 }, 28);
  titleRow(ws, n, `${m.countyName}${m.townName ? ` ${m.townName}` : ''}　学期：${m.termName}（${m.termStart} 起）　统计截至：${m.asOf}`, {});
  const unit = ws.addRow([safeCell(`填报单位（盖章）：${f?.unit ?? (m.schoolName || m.townName || m.countyName)}`)]);
  ws.mergeCells(unit.number, 1, unit.number, 10);
  unit.getCell(11).value = `报表月份：${year}年${mon}月`;
  ws.mergeCells(unit.number, 11, unit.number, n);
  unit.getCell(11).alignment = { horizontal: 'right' };
  const headerEnd = twoRowHeader(ws, formHeader(m));

  const rows = formRows(m);
  const first = headerEnd + 1;
  const last = first + rows.filter((r) => r.kind === 'detail').length - 1;
  for (const r of rows) {
    const row = ws.addRow(r.cells.map(value));
    r.cells.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const fmt = rateFormat(c);
      if (fmt) cell.numFmt = fmt;
      cell.border = box;
      cell.alignment = { vertical: 'middle', wrapText: c.kind === 'text', ...(c.kind === 'text' ? {} : { horizontal: 'right' }) };
    });
    if (r.kind !== 'detail') {
      row.font = { bold: true };
      // Subtotals and the total are formulas over the rows above (with the computed result cached for readers).
      for (let k = 0; k < COUNT_COLS; k++) {
        const col = FIRST_COUNT + k + 1;
        const range = `${colName(col)}${first}:${colName(col)}${last}`;
        const result = (r.cells[FIRST_COUNT + k] as { v: number }).v;
        const formula = r.kind === 'total' ? `SUM(${range})` : `SUMIF($A$${first}:$A$${last},"${r.stage === 'primary' ? '小学' : '初中'}",${range})`;
        row.getCell(col).value = last >= first ? { formula, result } : result;
      }
    }
    for (const i of r.red) row.getCell(i + 1).font = { bold: true, color: { argb: 'FFC00000' } };
  }
  ws.columns.forEach((col, i) => (col.width = i === n - 1 ? 36 : i === 1 ? (m.rowHeader === '年级' ? 10 : 30) : i === 0 ? 7 : i >= 11 ? 10 : 8));
  ws.views = [{ state: 'frozen', ySplit: headerEnd, xSplit: 2 }];
  ws.addRow([]);
  // the unit's rates, its breaches (一票否决), each rate's 公式 and the target rule; then the month's remarks
  for (const text of [...m.notes, ...(m.remarks ?? [])]) {
    const note = ws.addRow([safeCell(text)]);
    ws.mergeCells(note.number, 1, note.number, n);
    note.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    note.height = 15 * Math.max(1, Math.ceil(text.length / 110));
    if (text.startsWith('⚠')) note.getCell(1).font = { color: { argb: 'FFC00000' } };
  }
  ws.addRow([]);
  const sign = ws.addRow([]);
  sign.getCell(1).value = safeCell(`填报人：${f?.filler ?? ''}`);
  sign.getCell(4).value = safeCell(`联系电话：${f?.phone ?? ''}`);
  sign.getCell(8).value = '审核人（签字）：';
  sign.getCell(12).value = `${m.rowHeader === '年级' ? '校长' : '单位负责人'}（签字）：`;
  const stamp = ws.addRow([]);
  stamp.getCell(1).value = '填报日期：    年   月   日';
  stamp.getCell(8).value = `${f?.stamp ?? ({ 年级: '学校（盖章）', 学校: '镇政府（盖章）', 乡镇: '县教育局（盖章）' } as const)[m.rowHeader]}：`;

  const confirmed = confirmedCases(m);
  listSheet(
    wb,
    '辍学学生花名册',
    `${m.title.replace(/控辍保学月报表.*/, '')}辍学学生花名册（${year}年${mon}月，已确认辍学 ${confirmed.length} 人）`,
    ROSTER_HEADER,
    confirmed.map(rosterCells),
    [6, 10, 22, 16, 16, 12, 40, 16, 16, 14],
    '本期没有在册的辍学学生。',
    [0],
  );
  const suspected = suspectedCases(m);
  listSheet(
    wb,
    '疑似辍学',
    `疑似辍学学生（未确认，${suspected.length} 人）`,
    SUSPECTED_HEADER,
    suspected.map((c, i) => suspectedCells(c, i, f?.suspectedDays[c.id])),
    [6, 10, 22, 16, 12, 12, 10, 24, 36, 16, 16, 14],
    '本期没有疑似辍学学生。',
    [0, 6],
  );
  if (f?.classWeeks) weeklySheet(wb, f);
  if (f?.schoolWeeks) missingSheet(wb, f);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Each class's weekly counts (应到/实到/请假/旷课 per week) with a total row of formulas; 未报 where a due week is missing. */
function weeklySheet(wb: ExcelJS.Workbook, f: NonNullable<MonthlyForm['form']>): void {
  const ws = wb.addWorksheet('每周考勤', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const n = 1 + 4 * f.weeks.length;
  titleRow(ws, Math.max(n, 2), '各班每周考勤统计（班级每周一统计）', { bold: true, size: 14 }, 24);
  const headerEnd = twoRowHeader(ws, [{ title: '班级' }, ...f.weeks.map((w) => ({ title: `${w.label}（${w.week.slice(5)}）`, subs: [...WEEK_SUBS] }))]);
  const classes = f.classWeeks!;
  for (const c of classes) {
    const row = ws.addRow([
      safeCell(c.className),
      ...c.counts.flatMap((k, i): (string | number | null)[] =>
        k ? [k.enrolled, k.present, k.leave, k.truant] : [f.weeks[i]!.due ? '未报' : '—', null, null, null],
      ),
    ]);
    for (let i = 1; i <= n; i++) row.getCell(i).border = box;
    c.counts.forEach((k, i) => !k && f.weeks[i]!.due && (row.getCell(2 + 4 * i).font = { color: { argb: 'FFC00000' } }));
  }
  if (classes.length) {
    const total = ws.addRow(['合计']);
    total.font = { bold: true };
    for (let col = 2; col <= n; col++) {
      const range = `${colName(col)}${headerEnd + 1}:${colName(col)}${headerEnd + classes.length}`;
      const key = WEEK_KEYS[(col - 2) % 4]!;
      const result = classes.reduce((s, c) => s + (c.counts[Math.floor((col - 2) / 4)]?.[key] ?? 0), 0);
      total.getCell(col).value = { formula: `SUM(${range})`, result };
    }
    for (let i = 1; i <= n; i++) total.getCell(i).border = box;
  }
  ws.columns.forEach((col, i) => (col.width = i === 0 ? 14 : 7));
  ws.views = [{ state: 'frozen', ySplit: headerEnd, xSplit: 1 }];
  const missing = classes.filter((c) => c.missing.length);
  ws.addRow([]);
  const line = ws.addRow([
    missing.length
      ? `本月未报周统计的班级（${missing.length} 个）：${missing.map((c) => `${c.className}（${c.missing.join('、')}）`).join('；')}`
      : '本月各班周统计齐全。',
  ]);
  ws.mergeCells(line.number, 1, line.number, Math.max(n, 2));
  line.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  line.height = 15 * Math.max(1, Math.ceil(line.getCell(1).text.length / 80));
}

/** Town and county forms: each school's missing weekly counts, with totals as formulas. */
function missingSheet(wb: ExcelJS.Workbook, f: NonNullable<MonthlyForm['form']>): void {
  const schools = f.schoolWeeks!;
  const ws = wb.addWorksheet('周统计缺报', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  titleRow(ws, MISSING_HEADER.length, '各校周统计缺报情况', { bold: true, size: 14 }, 24);
  const h = ws.addRow(MISSING_HEADER.map((x) => x.replace(/\n/g, '')));
  h.font = { bold: true };
  h.eachCell((cell) => ((cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }), (cell.border = box)));
  schools.forEach((s, i) => {
    const row = ws.addRow([
      i + 1,
      safeCell(s.schoolName),
      s.classes,
      s.due,
      s.missing,
      safeCell(s.detail.join('、') || (s.missing ? '明细见各镇汇总表' : '无')),
    ]);
    row.eachCell((cell) => ((cell.border = box), (cell.alignment = { vertical: 'top', wrapText: true })));
  });
  if (schools.length) {
    const total = ws.addRow(['合计', '']);
    total.font = { bold: true };
    (['classes', 'due', 'missing'] as const).forEach(
      (k, j) =>
        (total.getCell(3 + j).value = {
          formula: `SUM(${colName(3 + j)}3:${colName(3 + j)}${2 + schools.length})`,
          result: schools.reduce((s, x) => s + x[k], 0),
        }),
    );
  }
  ws.columns.forEach((col, i) => (col.width = [6, 34, 8, 14, 10, 70][i] ?? 12));
  ws.views = [{ state: 'frozen', ySplit: 2 }];
}
