/** The .xlsx zip guard: honest workbooks pass, zip bombs are refused before any XML is parsed — even when they lie. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { guardXlsx } from '../../src/roster/zip-guard.js';
import { readRoster } from '../../src/roster/read-roster.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-zip-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A minimal zip writer: deflated entries; `declare` overrides the uncompressed size written in the headers. */
function zip(entries: { name: string; data: Buffer; declare?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const packed = zlib.deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const size = e.declare ?? e.data.length;
    const crc = zlib.crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
const file = (name: string, content: Buffer | string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};
const PEOPLE = '工号,姓名,角色,镇,村,学校,班级,手机\nA1,赵局长,县教育局,,,,,\n';

describe('the .xlsx zip guard', () => {
  it('passes a workbook ExcelJS wrote', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('学生').addRow(['学籍号', '姓名']);
    const f = path.join(dir, 'ok.xlsx');
    await wb.xlsx.writeFile(f);
    await expect(guardXlsx(f)).resolves.toBeUndefined();
  });

  it('refuses a sheet of huge repeated content above the cap, from the sizes the zip declares', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学生');
    ws.addRow(['学籍号', '姓名', '性别', '学校', '学段', '年级', '班级', '镇', '村']);
    for (let i = 0; i < 1000; i++) ws.addRow(Array.from({ length: 9 }, (_, j) => `${'炸'.repeat(100)}${i}-${j}`));
    const f = path.join(dir, 'bomb.xlsx');
    await wb.xlsx.writeFile(f);
    expect(fs.statSync(f).size).toBeLessThan(200_000);
    const r = await readRoster(file('p.csv', PEOPLE), f, { maxXlsxBytes: 1024 * 1024 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: 'students' });
    expect(r.errors[0]!.reason).toMatch(/^bomb\.xlsx .*解压后超过 (1|0\.3) MB.*压缩炸弹/);
  });

  it('refuses a bomb whose headers lie about its size, counting while it inflates', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const f = file(
      'liar.xlsx',
      zip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'xl/worksheets/sheet1.xml', data: zeros, declare: 100 },
      ]),
    );
    expect(fs.statSync(f).size).toBeLessThan(20_000);
    await expect(guardXlsx(f, 1024 * 1024)).rejects.toThrow(/^解压后超过 1 MB/);
    await expect(guardXlsx(f, 16 * 1024 * 1024)).resolves.toBeUndefined();
    // The shared strings, which the reader holds in memory, get a quarter of the cap.
    const strings = file('strings.xlsx', zip([{ name: 'xl/sharedStrings.xml', data: zeros, declare: 100 }]));
    await expect(guardXlsx(strings, 16 * 1024 * 1024)).rejects.toThrow(/^其中的文字解压后超过 4 MB/);
    await expect(guardXlsx(strings, 40 * 1024 * 1024)).resolves.toBeUndefined();
  });

  it('refuses bytes hidden between entries, where a streaming reader would find them', async () => {
    const good = zip([{ name: 'a.xml', data: Buffer.from('<a/>') }]);
    const cdOffset = good.readUInt32LE(good.length - 6);
    const extra = Buffer.from('PK\u0003\u0004 hidden entry');
    const hidden = Buffer.concat([good.subarray(0, cdOffset), extra, good.subarray(cdOffset)]);
    hidden.writeUInt32LE(cdOffset + extra.length, hidden.length - 6);
    await expect(guardXlsx(file('good.xlsx', good))).resolves.toBeUndefined();
    await expect(guardXlsx(file('hidden.xlsx', hidden))).rejects.toThrow(/结构异常/);
  });

  it('refuses what is not a zip, and an empty file', async () => {
    await expect(guardXlsx(file('text.xlsx', '学籍号,姓名\n'))).rejects.toThrow(/不是有效的 \.xlsx 文件/);
    await expect(guardXlsx(file('empty.xlsx', ''))).rejects.toThrow(/文件是空的/);
  });
});
