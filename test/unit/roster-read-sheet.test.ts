/** Reading a roster file as a stream of rows: line numbers, encodings, and every failure said in Chinese with where. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { csvRows } from '../../src/roster/csv-rows.js';
import { openXlsx } from '../../src/roster/xlsx-rows.js';
import { readRoster } from '../../src/roster/read-roster.js';
import { formatRosterErrors } from '../../src/roster/format-errors.js';
import type { RosterError, SheetRow } from '../../src/roster/types.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-sheet-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};
async function all(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}
const PEOPLE = '工号,姓名,角色,镇,村,学校,班级,手机\nA1,赵局长,县教育局,,,,,\n';
const STUDENTS = '学籍号,姓名,性别,学校,学段,年级,班级,镇,村\nG1000001,张三,男,青石小学,小学,三年级,2班,青石镇,东山村\n';

/** The errors of an import that must fail. */
async function errorsOf(people: string, students: string, opts = {}): Promise<RosterError[]> {
  const r = await readRoster(people, students, opts);
  if (r.ok) throw new Error('expected the import to be refused');
  return r.errors;
}
/** Chinese, with no English word in it but file names and the names of formats. */
const chinese = (e: RosterError) => {
  expect(e.reason).toMatch(/[\u4e00-\u9fff]/);
  expect(e.reason.replace(/[\w.-]+\.(csv|xlsx|xls)\b|Excel|UTF-8|CSV|xlsx|xls/g, '')).not.toMatch(/[A-Za-z]{3,}/);
};

describe('CSV', () => {
  it('UTF-8 with a BOM, blank lines skipped, the file’s own line numbers, a quoted cell over two lines', async () => {
    const rows = await all(csvRows(file('a.csv', '\uFEFF学籍号, 姓名 \nG1000001,张三\n\nG1000002,"李\n四"\nG1000003,  王五  \n')));
    expect(rows).toEqual([
      { line: 1, values: ['学籍号', ' 姓名 '] },
      { line: 2, values: ['G1000001', '张三'] },
      { line: 4, values: ['G1000002', '李\n四'] },
      { line: 6, values: ['G1000003', '  王五  '] },
    ]);
  });

  it('a file that is not UTF-8 is refused with its line and how to fix it', async () => {
    const gbk = Buffer.concat([Buffer.from(PEOPLE.split('\n')[0]! + '\n'), Buffer.from([0xd5, 0xd4, 0x2c, 0x0a])]); // 赵 in GBK on line 2
    const [e] = await errorsOf(file('gbk.csv', gbk), file('s.csv', STUDENTS));
    expect(e).toMatchObject({ file: 'people', line: 2, column: '工号，第1列' });
    expect(e!.reason).toMatch(/不是 UTF-8 编码.*CSV UTF-8/);
  });

  it('an unclosed quote names the line where the cell began, and the column', async () => {
    const bad = `${STUDENTS}G1000002,"李四,男,青石小学,小学,三年级,2班,青石镇,东山村\nG1000003,王五,男,青石小学,小学,三年级,2班,青石镇,东山村\n`;
    const errors = await errorsOf(file('p.csv', PEOPLE), file('bad.csv', bad));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'students', line: 3, column: '姓名，第2列' });
    expect(errors[0]!.reason).toMatch(/bad\.csv 这一行.*双引号没有闭合/);
    chinese(errors[0]!);
  });

  it('a stray quote inside a cell is a Chinese error with line and column, never csv-parse’s English', async () => {
    const errors = await errorsOf(file('p.csv', PEOPLE), file('q.csv', `${STUDENTS}G1000002,李"四",男,青石小学,小学,三年级,2班,青石镇,东山村\n`));
    expect(errors[0]).toMatchObject({ file: 'students', line: 3, column: '姓名，第2列' });
    expect(errors[0]!.reason).toMatch(/双引号/);
    expect(formatRosterErrors(errors)).not.toMatch(/Quote|Invalid|CSV_/);
  });

  it('an empty file and a header without rows are refused, saying so', async () => {
    const [empty] = await errorsOf(file('p.csv', PEOPLE), file('empty.csv', ''));
    expect(empty).toMatchObject({ file: 'students' });
    expect(empty!.reason).toMatch(/文件是空的/);
    const [blank] = await errorsOf(file('p.csv', PEOPLE), file('blank.csv', '\n\n'));
    expect(blank!.reason).toMatch(/没有内容/);
    const [headerOnly] = await errorsOf(file('p.csv', PEOPLE), file('head.csv', STUDENTS.split('\n')[0]!));
    expect(headerOnly!.reason).toMatch(/只有表头/);
  });

  it('an unknown file type and a missing file are refused in Chinese', async () => {
    const [xls] = await errorsOf(path.join(dir, 'a.xls'), file('s.csv', STUDENTS));
    expect(xls!.reason).toMatch(/\.csv.*\.xlsx/);
    const [missing] = await errorsOf(file('p.csv', PEOPLE), path.join(dir, 'nope.csv'));
    expect(missing!.reason).toMatch(/找不到文件/);
  });
});

describe('XLSX', () => {
  it('the first worksheet, numbers kept whole, rich text flattened, blank rows skipped', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学生');
    ws.addRow(['学籍号', '姓名', '年级']);
    ws.addRow([123456789012345, { richText: [{ text: '张' }, { text: '三' }] }, 3]);
    ws.addRow([]);
    ws.addRow([1.1010120100101e17, '李四', '三年级']);
    wb.addWorksheet('说明').addRow(['这一页不是名册']);
    const f = path.join(dir, 'a.xlsx');
    await wb.xlsx.writeFile(f);
    const sheet = await openXlsx(f);
    expect(sheet.name).toBe('学生');
    const rows = await all(sheet.rows);
    expect(rows[1]).toEqual({ line: 2, values: ['123456789012345', '张三', '3'] });
    expect(rows[2]!.line).toBe(4);
    expect(rows[2]!.values[0]).toMatch(/精度不足/);
    expect(rows).toHaveLength(3);
  });

  it('an empty first worksheet is refused, saying so', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1');
    wb.addWorksheet('学生').addRow(['学籍号']);
    const f = path.join(dir, 'empty-sheet.xlsx');
    await wb.xlsx.writeFile(f);
    const errors = await errorsOf(file('p.csv', PEOPLE), f);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.reason).toMatch(/empty-sheet\.xlsx（工作表“Sheet1”） 第一个工作表是空的/);
  });

  it('the first tab is read even when its sheet was added later', async () => {
    const wb = new ExcelJS.Workbook();
    const later = wb.addWorksheet('说明');
    later.addRow(['填表说明']);
    const roster = wb.addWorksheet('名册');
    roster.addRow(['学籍号']);
    // The tab order, which ExcelJS writes from orderNo (not in its typings).
    (roster as unknown as { orderNo: number }).orderNo = 0;
    (later as unknown as { orderNo: number }).orderNo = 1;
    const f = path.join(dir, 'order.xlsx');
    await wb.xlsx.writeFile(f);
    const sheet = await openXlsx(f);
    expect(sheet.name).toBe('名册');
    expect(await all(sheet.rows)).toEqual([{ line: 1, values: ['学籍号'] }]);
  });

  it('random bytes named .xlsx are refused in Chinese, not with a zip library’s English', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 251;
    const errors = await errorsOf(file('p.csv', PEOPLE), file('random.xlsx', bytes));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.reason).toMatch(/random\.xlsx 不是有效的 \.xlsx 文件/);
    chinese(errors[0]!);
  });

  it('a wrong first sheet: the missing columns, and which sheet was read', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['填表说明', '请在第二页填写']);
    wb.addWorksheet('学生').addRow(STUDENTS.split('\n')[0]!.split(','));
    const f = path.join(dir, 'wrong.xlsx');
    await wb.xlsx.writeFile(f);
    const errors = await errorsOf(file('p.csv', PEOPLE), f);
    expect(errors).toContainEqual(expect.objectContaining({ file: 'students', line: 1, column: '学籍号', reason: '缺少“学籍号”列' }));
    expect(errors.map((e) => e.reason).join('\n')).toMatch(/第一个工作表“说明”/);
  });
});
