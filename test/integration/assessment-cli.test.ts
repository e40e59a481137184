/** `npm run cli -- assessment`: a real process on a real SQLite file with the demo county; bad flags write nothing. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-assess-'));
const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'cli.db')}`, REPORTS_DIR: path.join(dir, 'reports'), TZ: 'UTC' };
const NOW = ['--now', '2026-11-20T08:00:00+08:00'];
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('assessment --year', () => {
  it('bad flags are refused with an example and write no file', () => {
    expect(cli(['seed-demo', ...NOW]).status).toBe(0);
    for (const [args, text] of [
      [['assessment'], '需要 --year'],
      [['assessment', '--year', '2027'], '2027—2028学年还没有开始'],
      [['assessment', '--year', '2026', '--format', 'doc'], '--format 只能是 xlsx、pdf 或 both'],
    ] as const) {
      const r = cli([...args, ...NOW]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(text);
      expect(r.stderr).toContain('示例：npm run cli -- assessment --year 2026');
    }
    expect(fs.existsSync(path.join(dir, 'reports'))).toBe(false);
  });

  it('writes the .xlsx and the PDF into --out', async () => {
    const out = path.join(dir, '考核');
    const r = cli(['assessment', '--year', '2026', '--out', out, ...NOW]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('示范县2026学年控辍保学工作年度考核表（2026—2027学年，截至 2026-11-20）：学校 3 所');
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual(['示范县2026学年控辍保学工作年度考核表.pdf', '示范县2026学年控辍保学工作年度考核表.xlsx']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, files[1]!));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['学校', '乡镇']);
  });
});
