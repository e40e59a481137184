import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { readTable } from '../../src/roster/read-table.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-table-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readTable', () => {
  it('CSV in UTF-8 with a BOM, blank lines skipped, the file’s own line numbers, a quoted cell over two lines', async () => {
    const f = path.join(dir, 'a.csv');
    fs.writeFileSync(f, '\uFEFF学籍号, 姓名 \nG1000001,张三\n\nG1000002,"李\n四"\nG1000003,  王五  \n');
    const t = await readTable(f);
    expect(t.header).toEqual(['学籍号', '姓名']);
    expect(t.rows).toEqual([
      { line: 2, cells: { 学籍号: 'G1000001', 姓名: '张三' } },
      { line: 4, cells: { 学籍号: 'G1000002', 姓名: '李\n四' } },
      { line: 6, cells: { 学籍号: 'G1000003', 姓名: '王五' } },
    ]);
  });
  it('a CSV that is not UTF-8 is refused with how to fix it', async () => {
    const f = path.join(dir, 'gbk.csv');
    fs.writeFileSync(f, Buffer.from([0xd1, 0xa7, 0xbc, 0xae, 0xba, 0xc5, 0x0a])); // 学籍号 in GBK
    await expect(readTable(f)).rejects.toThrow(/UTF-8/);
  });
  it('XLSX: the first worksheet, numbers kept whole, rich text flattened', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学生');
    ws.addRow(['学籍号', '姓名', '年级']);
    ws.addRow([123456789012345, { richText: [{ text: '张' }, { text: '三' }] }, 3]);
    ws.addRow([]);
    ws.addRow([1.1010120100101e17, '李四', '三年级']);
    const f = path.join(dir, 'a.xlsx');
    await wb.xlsx.writeFile(f);
    const t = await readTable(f);
    expect(t.rows[0]).toEqual({ line: 2, cells: { 学籍号: '123456789012345', 姓名: '张三', 年级: '3' } });
    expect(t.rows[1]!.line).toBe(4);
    expect(t.rows[1]!.cells['学籍号']).toMatch(/精度不足/);
  });
  it('an unknown file type is refused', async () => {
    await expect(readTable(path.join(dir, 'a.xls'))).rejects.toThrow(/\.csv.*\.xlsx/);
  });
});
