/** The first worksheet of an .xlsx, streamed row by row after the zip guard passed it; blank rows skipped. */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { guardXlsx } from './zip-guard.js';
import { SheetError } from './sheet-error.js';
import type { SheetRow } from './types.js';

export function cellText(v: ExcelJS.CellValue): string {
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

/** What the streaming reader knows of the workbook: its tabs in order (not in ExcelJS's typings). */
interface ReaderModel {
  model?: { sheets?: { name: string }[] };
}

export interface XlsxSheet {
  /** The worksheet's tab name, for messages that say which sheet was read. */
  name: string;
  rows: AsyncGenerator<SheetRow>;
}

export async function openXlsx(file: string, maxBytes?: number): Promise<XlsxSheet> {
  await guardXlsx(file, maxBytes);
  const input = fs.createReadStream(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const sheets = reader[Symbol.asyncIterator]();
  // A broken XML part fails a whole chunk of rows at once: the row is known only roughly.
  const unreadable = (rowsRead = 0) =>
    new SheetError(`工作表内容${rowsRead ? `在第${rowsRead}行之后` : ''}无法读取（文件可能已损坏）：请在 Excel 中打开后重新“另存为 .xlsx”，或另存为 CSV UTF-8`);
  let sheet: ExcelJS.stream.xlsx.WorksheetReader | undefined;
  try {
    for (;;) {
      const next = await sheets.next();
      if (next.done) break;
      // The zip may list sheets in any order: the first tab is the first in the workbook's own list.
      const first = (reader as unknown as ReaderModel).model?.sheets?.[0]?.name;
      if (first === undefined || (next.value as unknown as { name: string }).name === first) {
        sheet = next.value;
        break;
      }
    }
  } catch {
    input.destroy();
    throw unreadable();
  }
  if (!sheet) {
    input.destroy();
    throw new SheetError('工作簿里没有工作表：请把名册放在第一个工作表里');
  }
  const name = (sheet as unknown as { name: string }).name;
  async function* rows(): AsyncGenerator<SheetRow> {
    let last = 0;
    try {
      for await (const row of sheet!) {
        last = row.number;
        const raw = row.values as ExcelJS.CellValue[];
        const values: string[] = [];
        for (let i = 1; i < raw.length; i++) values.push(cellText(raw[i]));
        if (values.some((v) => v.trim() !== '')) yield { line: row.number, values };
      }
    } catch (e) {
      if (e instanceof SheetError) throw e;
      throw unreadable(last);
    } finally {
      input.destroy();
      await sheets.return?.(undefined).catch(() => undefined);
    }
  }
  return { name, rows: rows() };
}
