/** Reads a roster sheet: UTF-8 CSV or the first worksheet of an XLSX, as header + rows with the file's line numbers. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Table } from './types.js';

export async function readTable(file: string): Promise<Table> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return readCsv(file);
  if (ext === '.xlsx') return readXlsx(file);
  throw new Error(`不支持的文件类型“${ext || file}”：请用 .csv（UTF-8）或 .xlsx`);
}

async function readCsv(file: string): Promise<Table> {
  const text = (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  if (text.includes('\uFFFD')) throw new Error(`${path.basename(file)} 不是 UTF-8 编码：请在 Excel 中“另存为 CSV UTF-8”，或直接导入 .xlsx`);
  const records = parse(text, { relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...rest] = records;
  if (!head) return { header: [], rows: [] };
  const header = head.record.map((h) => h.trim());
  const rows: Table['rows'] = [];
  let previousEnd = head.info.lines;
  for (const r of rest) {
    // A quoted cell may span lines: a record starts on the line after the previous one ended.
    const line = previousEnd + 1;
    previousEnd = r.info.lines;
    if (r.record.some((c) => c.trim() !== '')) rows.push({ line, cells: Object.fromEntries(header.map((h, i) => [h, (r.record[i] ?? '').trim()])) });
  }
  return { header, rows };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    // Excel keeps 15 significant digits: a long number (a 学籍号 typed into a number cell) has lost its tail.
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) return `${BigInt(v).toString()}（Excel数字精度不足，请把该列设为文本后重新填写）`;
    return String(v);
  }
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v) return String(v.text);
  if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  return '';
}

async function readXlsx(file: string): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  if (!ws) return { header: [], rows: [] };
  const headerRow = ws.getRow(1);
  const header: string[] = [];
  headerRow.eachCell({ includeEmpty: true }, (cell, col) => (header[col - 1] = cellText(cell.value).trim()));
  const rows: Table['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return;
    const cells = Object.fromEntries(header.map((h, i) => [h, cellText(row.getCell(i + 1).value).trim()]));
    if (Object.values(cells).some((c) => c !== '')) rows.push({ line, cells });
  });
  return { header: header.map((h) => h ?? ''), rows };
}
