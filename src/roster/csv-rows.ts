/** A UTF-8 CSV, streamed: one record at a time with the file's own line numbers, blank lines skipped. */
import fs from 'node:fs';
import { CsvError, parse, type Options } from 'csv-parse';
import { columnLabel, SheetError } from './sheet-error.js';
import type { SheetRow } from './types.js';

/** A record longer than this is refused: it is almost always a quote that was never closed. */
const MAX_RECORD_BYTES = 64 * 1024;

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: '这一行的英文双引号没有闭合，后面的内容都被当成了同一个格子：请检查这一行的引号',
  INVALID_OPENING_QUOTE: '格子中间出现了英文双引号：含引号的格子要整格用双引号括起来，格内的双引号写两遍（""）',
  CSV_INVALID_CLOSING_QUOTE: '双引号括起来的格子后面还有别的字符：含引号的格子要整格用双引号括起来，格内的双引号写两遍（""）',
  CSV_MAX_RECORD_SIZE: `这一行超过 ${MAX_RECORD_BYTES / 1024} KB，多半是英文双引号没有闭合：请检查这一行的引号`,
};

type Info = { record: string[]; info: { lines: number } };

export async function* csvRows(file: string): AsyncGenerator<SheetRow> {
  const input = fs.createReadStream(file);
  // Where the last whole record ended and the header, as the parser sees them: a stream error drops the records
  // not yet consumed, and an error must still say its line and column.
  let parsedEnd = 0;
  let header: string[] | undefined;
  const options: Options = {
    relax_column_count: true,
    skip_empty_lines: false,
    info: true,
    bom: true,
    max_record_size: MAX_RECORD_BYTES,
    // With `info`, csv-parse 7 passes { record, info } here although its typings say string[].
    on_record: ((r: Info, context: { lines: number }) => {
      parsedEnd = context.lines;
      if (!header && r.record.some((c) => c.trim() !== '')) header = r.record;
      return r;
    }) as unknown as Options['on_record'],
  };
  const parser = parse(options);
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let previousEnd = 0;
  try {
    for await (const r of parser as AsyncIterable<Info>) {
      // A quoted cell may span lines: a record starts on the line after the previous one ended.
      const line = previousEnd + 1;
      previousEnd = r.info.lines;
      const garbled = r.record.findIndex((c) => c.includes('\uFFFD'));
      if (garbled >= 0)
        throw new SheetError(
          '不是 UTF-8 编码（有无法识别的字符）：请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，或直接导入 .xlsx',
          line,
          columnLabel(header, garbled),
        );
      if (r.record.every((c) => c.trim() === '')) continue;
      yield { line, values: r.record };
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const start = parsedEnd + 1;
      const found = typeof e.lines === 'number' ? e.lines : start;
      const where = e.code === 'CSV_QUOTE_NOT_CLOSED' || found === start ? '' : `（在第${found}行发现）`;
      throw new SheetError(
        `${REASONS[e.code] ?? 'CSV 格式有误，无法读取：请在 Excel 中打开后重新“另存为 CSV UTF-8”'}${where}`,
        start,
        typeof e.column === 'number' ? columnLabel(header, e.column) : undefined,
      );
    }
    throw e;
  } finally {
    input.destroy();
    parser.destroy();
  }
}
