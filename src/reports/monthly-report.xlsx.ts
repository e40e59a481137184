/**
 * The monthly school report as the paper form a school office fills: title, county/town/school, month and term,
 * a row per grade with subtotals per stage and a total, a remark where a rate breaks the county's target, the
 * signature lines; a second sheet lists the dropout cases with their state and responsible people.
 */
import ExcelJS from 'exceljs';
import { formatRate } from '../domain/rates.js';
import type { Figures, MonthlyReportModel } from './monthly-model.js';
import { safeCell, safeRow } from './safe-cell.js';

export const REPORT_COLUMNS = ['学段', '年级', '期初在籍', '现在籍', '本学期转入', '本学期转出', '本学期休学', '本学期借读', '本月辍学', '本学期辍学', '本学期复学', '辍学率', '本学期在籍保持率', '备注'] as const;

/** The form's columns: the second names what a row is (a grade, or a school in the town's aggregate). */
export function columnsFor(m: Pick<MonthlyReportModel, 'rowHeader'>): string[] {
  return REPORT_COLUMNS.map((c, i) => (i === 1 ? m.rowHeader : c));
}

const thin = { style: 'thin' as const };
const box = { top: thin, bottom: thin, left: thin, right: thin };

function figureCells(f: Figures): (string | number)[] {
  return [f.atTermStart, f.current, f.transferredIn, f.transferredOut, f.suspended, f.borrowing, f.droppedMonth, f.droppedTerm, f.returnedTerm, formatRate(f.dropoutRate), formatRate(f.retentionRate)];
}

export async function monthlyReportXlsx(m: MonthlyReportModel): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('月报表', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const n = REPORT_COLUMNS.length;
  const [year, mon] = m.month.split('-').map(Number);
  ws.mergeCells(1, 1, 1, n);
  ws.getCell(1, 1).value = safeCell(`${m.title}（${year}年${mon}月）`);
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, n);
  ws.getCell(2, 1).value = safeCell(`${m.countyName}${m.townName ? ` ${m.townName}` : ''}　学期：${m.termName}（${m.termStart} 起）　统计截至：${m.asOf}`);
  const header = ws.addRow(columnsFor(m));
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', wrapText: true };
  // Names (a school's, in a town's form) are text from the roster; the figures are computed.
  for (const r of m.rows) ws.addRow([r.stage === 'primary' ? '小学' : '初中', safeCell(r.label), ...figureCells(r), '']);
  for (const st of m.stages) {
    const row = ws.addRow([`${st.label}小计`, '', ...figureCells(st.figures), st.breaches.map((b) => `⚠ ${b.text}`).join('；')]);
    row.font = { bold: true };
    if (st.breaches.length) {
      row.getCell(12).font = { bold: true, color: { argb: 'FFC00000' } };
      row.getCell(14).font = { color: { argb: 'FFC00000' } };
    }
  }
  ws.addRow(['合计', '', ...figureCells(m.total), '']).font = { bold: true };
  for (let r = 3; r <= ws.rowCount; r++) for (let c = 1; c <= n; c++) ws.getCell(r, c).border = box;
  ws.columns.forEach((col, i) => (col.width = i === n - 1 ? 40 : i < 2 ? 8 : 11));
  ws.addRow([]);
  for (const note of m.notes) {
    ws.addRow([safeCell(note)]).getCell(1).alignment = { wrapText: true, vertical: 'top' };
    ws.mergeCells(ws.rowCount, 1, ws.rowCount, n);
    if (note.startsWith('⚠')) ws.getCell(ws.rowCount, 1).font = { color: { argb: 'FFC00000' } };
  }
  ws.addRow([]);
  ws.addRow(['填表人：', '', '', m.rowHeader === '年级' ? '校长（签字）：' : '分管领导（签字）：', '', '', '', ({ 年级: '学校（盖章）', 学校: '镇政府（盖章）', 乡镇: '县教育局（盖章）' } as const)[m.rowHeader], '', '日期：    年   月   日']);

  const cs = wb.addWorksheet('辍学学生名单');
  cs.addRow(['个案号', '姓名', '班级', '住址', '状态', '登记日期', '包保责任人']).font = { bold: true };
  for (const c of m.cases) cs.addRow(safeRow([c.id, c.name, c.className, c.village, c.state, c.openedOn, c.responsible]));
  if (m.cases.length === 0) cs.addRow(['本校目前没有进行中的辍学个案。']);
  cs.columns.forEach((col, i) => (col.width = [8, 10, 12, 16, 22, 12, 20][i] ?? 12));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
