/**
 * Reads and checks both roster files as streams, row by row: memory grows with the validated records only, never
 * with the file. Students first (the people sheet is checked against their places). Every problem comes back in
 * Chinese with its file, line and column; nothing here throws for a bad file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { csvRows } from './csv-rows.js';
import { openXlsx } from './xlsx-rows.js';
import { SheetError } from './sheet-error.js';
import { createRosterCheck } from './validate.js';
import type { ImportProgress, RosterFile, RosterResult, SheetRow } from './types.js';

export interface ReadRosterOptions {
  /** Cap on an .xlsx's uncompressed size (default MAX_XLSX_BYTES). */
  maxXlsxBytes?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Rows between two progress reports. */
  progressEvery?: number;
}

interface Sheet {
  /** For messages: which sheet of a workbook was read. */
  sheetName?: string;
  rows: AsyncGenerator<SheetRow>;
}

async function openSheet(file: string, maxXlsxBytes?: number): Promise<Sheet> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx') throw new SheetError(`不支持的文件类型“${ext || path.basename(file)}”：请用 .csv（UTF-8）或 .xlsx`);
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) throw new SheetError(`找不到文件“${file}”：请检查路径`);
  if (!stat.isFile()) throw new SheetError(`“${file}”不是文件（是文件夹？）：请给出名册文件的路径`);
  if (stat.size === 0) throw new SheetError('文件是空的（0 字节）：请确认选对了文件');
  if (ext === '.csv') return { rows: csvRows(file) };
  const x = await openXlsx(file, maxXlsxBytes);
  return { sheetName: x.name, rows: x.rows };
}

/** The file system refused (no permission, a directory, a file locked by another program): said in Chinese. */
function fileSystemError(e: unknown): SheetError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw e;
  return new SheetError(`无法读取文件（${code}）：请确认有读取权限、不是文件夹，并且没有被其他程序占用`);
}

export async function readRoster(peopleFile: string, studentsFile: string, opts: ReadRosterOptions = {}): Promise<RosterResult> {
  const check = createRosterCheck();
  const every = opts.progressEvery ?? 5000;
  const opened: Partial<Record<RosterFile, Sheet>> = {};
  const asError = (file: RosterFile, thrown: unknown) => {
    const e = thrown instanceof SheetError ? thrown : fileSystemError(thrown);
    const where = opened[file]?.sheetName ? `（工作表“${opened[file].sheetName}”）` : '';
    check.fileError({
      file,
      ...(e.line ? { line: e.line } : {}),
      ...(e.column ? { column: e.column } : {}),
      reason: `${path.basename(file === 'people' ? peopleFile : studentsFile)}${where} ${e.reason}`,
    });
  };
  try {
    // Both headers first: a missing column in either file is reported before any row is read.
    let headersOk = true;
    for (const [file, name] of [
      ['students', studentsFile],
      ['people', peopleFile],
    ] as const) {
      try {
        const sheet = (opened[file] = await openSheet(name, opts.maxXlsxBytes));
        const head = await sheet.rows.next();
        if (head.done) throw new SheetError(sheet.sheetName ? '第一个工作表是空的：请把名册放在第一个工作表里' : '文件里没有内容');
        if (!check.header(file, head.value)) {
          headersOk = false;
          if (sheet.sheetName)
            check.fileError({ file, line: head.value.line, reason: `读取的是第一个工作表“${sheet.sheetName}”：名册须放在第一个工作表里，第一行是表头` });
        }
      } catch (e) {
        asError(file, e);
        headersOk = false;
      }
    }
    if (!headersOk) return check.result();
    for (const file of ['students', 'people'] as const) {
      let n = 0;
      try {
        for await (const row of opened[file]!.rows) {
          if (file === 'students') check.student(row);
          else check.person(row);
          if (++n % every === 0) opts.onProgress?.({ phase: 'read', file, rows: n, done: false });
        }
      } catch (e) {
        asError(file, e);
        return check.result();
      }
      opts.onProgress?.({ phase: 'read', file, rows: n, done: true });
    }
    return check.result();
  } finally {
    for (const sheet of Object.values(opened)) await sheet.rows.return(undefined);
  }
}
