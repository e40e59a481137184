/**
 * An .xlsx is a zip. Before any XML is parsed: read its central directory, refuse it when the sizes it declares pass
 * the cap, check that its entries lie back to back (nothing hidden between them for a streaming reader to inflate),
 * then inflate every entry once, counting, and stop at the cap — so a zip bomb costs a few megabytes, never a gigabyte.
 */
import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import zlib from 'node:zlib';
import { SheetError } from './sheet-error.js';

/** The default cap on an .xlsx's uncompressed size: a 100,000-student roster is about 60 MB. */
export const MAX_XLSX_BYTES = 150 * 1024 * 1024;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const NOT_XLSX =
  '不是有效的 .xlsx 文件（可能是旧版 .xls、改了扩展名的其他文件，或文件已损坏）：请在 Excel 中打开后“另存为 → Excel 工作簿（.xlsx）”，或另存为 CSV UTF-8';

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressed: number;
  size: number;
  offset: number;
  /** Where the compressed data starts, read from the entry's local header. */
  dataStart: number;
}

/** ExcelJS keeps the shared strings (every distinct text of the workbook) in memory: they get a quarter of the cap. */
const SHARED_STRINGS = 'xl/sharedStrings.xml';
const capOf = (e: Entry, maxBytes: number) => (e.name === SHARED_STRINGS ? Math.floor(maxBytes / 4) : maxBytes);

const mb = (n: number) => `${+(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const tooBig = (max: number, what = '') =>
  new SheetError(`${what}解压后超过 ${mb(max)}，不像是一份名册（可能是“压缩炸弹”），没有读取：请只保留名册工作表后另存为 .xlsx，或另存为 CSV UTF-8`);
const tooBigFor = (e: Entry, maxBytes: number) => (e.name === SHARED_STRINGS ? tooBig(capOf(e, maxBytes), '其中的文字') : tooBig(maxBytes));

export async function guardXlsx(file: string, maxBytes = MAX_XLSX_BYTES): Promise<void> {
  const fh = await fs.open(file, 'r');
  let entries: Entry[];
  let centralOffset: number;
  try {
    const { size } = await fh.stat();
    if (size === 0) throw new SheetError('文件是空的（0 字节）：请确认选对了文件');
    const tailSize = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailSize);
    await fh.read(tail, 0, tailSize, size - tailSize);
    const at = lastIndexOfEocd(tail);
    if (at < 0) throw new SheetError(NOT_XLSX);
    const count = tail.readUInt16LE(at + 10);
    const centralSize = tail.readUInt32LE(at + 12);
    centralOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || centralOffset === 0xffffffff || centralOffset + centralSize > size) throw new SheetError(NOT_XLSX);
    const central = Buffer.alloc(centralSize);
    await fh.read(central, 0, centralSize, centralOffset);
    entries = readCentral(central, count);
    let declared = 0;
    for (const e of entries) {
      if (e.size > capOf(e, maxBytes) || e.size === 0xffffffff) throw tooBigFor(e, maxBytes);
      if ((declared += e.size) > maxBytes) throw tooBig(maxBytes);
    }
    await checkBackToBack(fh, entries, centralOffset);
  } finally {
    await fh.close();
  }
  let total = 0;
  for (const e of entries) total = await inflateCounting(file, e, total, maxBytes);
}

function lastIndexOfEocd(tail: Buffer): number {
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD) return i;
  return -1;
}

function readCentral(buf: Buffer, count: number): Entry[] {
  const out: Entry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new SheetError(NOT_XLSX);
    const nameLen = buf.readUInt16LE(p + 28);
    out.push({
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressed: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      offset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      dataStart: 0,
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

/** Where each entry's data starts, checked to follow the previous entry and its data descriptor, if it has one. */
async function checkBackToBack(fh: fs.FileHandle, entries: Entry[], centralOffset: number): Promise<void> {
  const broken = () => new SheetError(`${NOT_XLSX}（压缩包结构异常）`);
  const descriptorFits = (gap: number, prev: Entry | undefined) =>
    gap === 0 || (prev !== undefined && (prev.flags & 8) !== 0 && [12, 16, 20, 24].includes(gap));
  let prev: Entry | undefined;
  let expected = 0;
  for (const e of [...entries].sort((a, b) => a.offset - b.offset)) {
    if (!descriptorFits(e.offset - expected, prev)) throw broken();
    const head = Buffer.alloc(30);
    await fh.read(head, 0, 30, e.offset);
    if (head.readUInt32LE(0) !== LOCAL) throw broken();
    e.dataStart = e.offset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
    expected = e.dataStart + e.compressed;
    prev = e;
  }
  if (!descriptorFits(centralOffset - expected, prev)) throw broken();
}

async function inflateCounting(file: string, e: Entry, before: number, maxBytes: number): Promise<number> {
  if (e.compressed === 0) return before;
  if (e.method === 0) {
    if (e.compressed > capOf(e, maxBytes)) throw tooBigFor(e, maxBytes);
    if (before + e.compressed > maxBytes) throw tooBig(maxBytes);
    return before + e.compressed;
  }
  if (e.method !== 8) throw new SheetError(`${NOT_XLSX}（不支持的压缩方式）`);
  const source = createReadStream(file, { start: e.dataStart, end: e.dataStart + e.compressed - 1 });
  const inflate = zlib.createInflateRaw();
  let total = before;
  let own = 0;
  try {
    for await (const chunk of source.pipe(inflate) as AsyncIterable<Buffer>) {
      total += chunk.length;
      own += chunk.length;
      if (own > capOf(e, maxBytes)) throw tooBigFor(e, maxBytes);
      if (total > maxBytes) throw tooBig(maxBytes);
    }
  } catch (err) {
    if (err instanceof SheetError) throw err;
    throw new SheetError(`${NOT_XLSX}（“${e.name}”无法解压）`);
  } finally {
    source.destroy();
    inflate.destroy();
  }
  return total;
}
