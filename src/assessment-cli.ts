/** `npm run cli -- assessment --year 2026 [--out 目录] [--format xlsx|pdf|both]`: the county's annual assessment files. */
import fs from 'node:fs';
import path from 'node:path';
import { localDate } from './clock.js';
import type { Deps } from './services/deps.js';
import { assessmentYear } from './services/assessment.js';
import { assessmentFiles, assessmentSummary } from './reports/assessment-file.js';

type Fail = (msg: string, code?: number) => never;

export async function assessmentCommand(deps: Deps, rest: string[], fail: Fail): Promise<void> {
  const flag = (name: string) => (rest.indexOf(name) >= 0 ? rest[rest.indexOf(name) + 1] : undefined);
  const today = localDate(deps.clock.now(), deps.config.TIMEZONE);
  const example = `示例：npm run cli -- assessment --year ${today.slice(0, 4)} --format both --out ./考核`;
  const yearArg = flag('--year');
  if (yearArg === undefined) fail(`需要 --year（学年开始的年份）。${example}`);
  const year = assessmentYear(yearArg, today);
  if (typeof year !== 'number') fail(`${year.error}${example}`);
  const format = flag('--format') ?? 'both';
  if (format !== 'xlsx' && format !== 'pdf' && format !== 'both') fail(`--format 只能是 xlsx、pdf 或 both，不是“${format}”。${example}`);
  if (rest.includes('--out') && !flag('--out')) fail(`--out 后面要写目录。${example}`);
  const { model, attachments } = await assessmentFiles(deps, deps.db, year, today, format === 'both' ? ['xlsx', 'pdf'] : [format]);
  const out = flag('--out');
  console.log(assessmentSummary(model));
  for (const a of attachments) {
    let p = a.path;
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      p = path.join(out, a.filename);
      fs.copyFileSync(a.path, p);
    }
    console.log(`已写入 ${p}`);
  }
}
