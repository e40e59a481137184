/**
 * The dropout roster (辍学学生花名册) as a file: an .xlsx laid out like the paper ledger, or CSV (UTF-8 with BOM,
 * so Excel opens the Chinese correctly). Rows come from the cases in the asker's area only.
 */
import type ExcelJS from 'exceljs';
import { CASE_STATE_LABELS } from '../domain/dropout-case.js';
import type { CaseInArea } from '../services/roster.js';
import { safeRow } from './safe-cell.js';

export const ROSTER_COLUMNS = [
  '序号',
  '个案号',
  '姓名',
  '性别',
  '学籍号',
  '学校',
  '班级',
  '乡镇',
  '村',
  '监护人',
  '联系电话',
  '辍学登记日期',
  '状态',
  '家访次数',
  '返校期限',
] as const;

export function rosterRows(list: CaseInArea[]): (string | number)[][] {
  return list.map(({ row, s, c }, i) =>
    safeRow([
      i + 1,
      row.id,
      s.name,
      s.gender === 'F' ? '女' : '男',
      s.studentNo,
      s.class.school.name,
      s.class.name,
      s.village.town.name,
      s.village.name,
      s.guardian ?? '',
      s.guardianPhone ?? '',
      row.openedOn,
      CASE_STATE_LABELS[c.state],
      c.visits.length,
      c.noticeDeadline ?? '',
    ]),
  );
}

export async function rosterXlsx(title: string, subtitle: string, list: CaseInArea[]): Promise<Buffer> {
  // ExcelJS (~25 MB) is loaded by the first workbook, not at start.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  const ws = wb.addWorksheet('辍学学生花名册', { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.mergeCells(1, 1, 1, ROSTER_COLUMNS.length);
  ws.getCell(1, 1).value = title;
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, ROSTER_COLUMNS.length);
  ws.getCell(2, 1).value = subtitle;
  ws.getCell(2, 1).alignment = { horizontal: 'center' };
  const header = ws.addRow([...ROSTER_COLUMNS]);
  header.font = { bold: true };
  for (const r of rosterRows(list)) ws.addRow(r);
  ws.columns.forEach((col, i) => (col.width = [6, 8, 10, 6, 22, 22, 10, 10, 10, 10, 14, 14, 20, 10, 12][i] ?? 12));
  ws.getColumn(5).numFmt = '@';
  const last = ws.rowCount;
  for (let r = 3; r <= last; r++)
    for (let c = 1; c <= ROSTER_COLUMNS.length; c++)
      ws.getCell(r, c).border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
  ws.addRow([]);
  ws.addRow(['填表人：', '', '', '审核人：', '', '', '', '日期：']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function rosterCsv(list: CaseInArea[]): string {
  const esc = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return `\ufeff${[ROSTER_COLUMNS as readonly (string | number)[], ...rosterRows(list)].map((r) => r.map(esc).join(',')).join('\r\n')}\r\n`;
}
