/** The CLI's inspection and fault-record subcommands: `inspection draw|verify|reveal|results|import`, `faults`. */
import fs from 'node:fs';
import { localDate } from './clock.js';
import type { Deps } from './services/deps.js';
import { withWriteTransaction } from './store/write.js';
import { quarterOf, quarterRange } from './domain/inspection-draw.js';
import { DrawError, drawLines, drawQuarter, revealDraw, verifyStored } from './services/inspection-draw.js';
import { InspectionInputError, recordFinding, schoolYearOf } from './services/inspections.js';
import { resultLines } from './services/inspection-results.js';
import { faultFilterFor, faultLines } from './services/faults.js';
import { drawOf } from './store/inspection.repository.js';

export const INSPECTION_USAGE = `  inspection draw --quarter 2026Q4 [--schools N] [--classes-per-school M]
                                                季度不定期抽查抽签（只显示给县里；承诺值告知各乡镇）
  inspection verify --quarter 2026Q4 [--commitment 承诺值]
                                                核验抽签：重算承诺值并用随机种子重新抽签，不一致时以非零状态退出
  inspection reveal --quarter 2026Q4            公开抽签结果和随机种子
  inspection import <抽查记录.csv>              导入抽查记录（列：学校,班级,实到,缺勤；缺勤姓名用“、”分隔），全部成功才写入
  inspection results [--year 2026]              学年抽查结果：不合格、整改、黄牌
  faults [--school 名称|--person 工号]           过错责任追究记录`;

type Fail = (msg: string, code?: number) => never;

export async function inspectionCommand(deps: Deps, rest: string[], fail: Fail): Promise<void> {
  const [sub] = rest;
  const flag = (name: string) => (rest.indexOf(name) >= 0 ? rest[rest.indexOf(name) + 1] : undefined);
  const today = localDate(deps.clock.now(), deps.config.TIMEZONE);
  const quarter = (flag('--quarter') ?? quarterOf(today)).toUpperCase();
  if (sub !== 'import' && sub !== 'results' && !quarterRange(quarter))
    fail(`--quarter 应写成 2026Q4 这样，不是“${quarter}”。示例：npm run cli -- inspection ${sub ?? 'draw'} --quarter 2026Q4`);
  switch (sub) {
    case 'draw': {
      const num = (name: string) => {
        const v = flag(name);
        if (v === undefined) return undefined;
        if (!/^\d+$/.test(v) || Number(v) < 1) fail(`${name} 应为正整数，示例：npm run cli -- inspection draw --quarter 2026Q4 ${name} 3`);
        return Number(v);
      };
      const schools = num('--schools');
      const classesPerSchool = num('--classes-per-school');
      const r = await withWriteTransaction(deps.db, (tx) =>
        drawQuarter(deps, tx, { quarter, ...(schools ? { schools } : {}), ...(classesPerSchool ? { classesPerSchool } : {}), byId: null, today }),
      ).catch((e: unknown) => (e instanceof DrawError ? fail(e.message) : Promise.reject(e)));
      console.log(
        [
          r.fresh ? `已完成 ${quarter} 抽签（请勿外传）。承诺值已告知各乡镇：` : `${quarter} 已经抽过签（不能重抽）。承诺值：`,
          r.draw.commitment,
          ...drawLines(r.draw),
        ].join('\n'),
      );
      return;
    }
    case 'verify': {
      const d = await drawOf(deps.db, quarter);
      if (!d) fail(`${quarter} 没有抽签记录，无法核验。`);
      const announced = flag('--commitment');
      const problems = verifyStored(d, announced);
      if (problems.length) fail(`${quarter} 抽签核验不通过：\n${problems.map((p) => `· ${p}`).join('\n')}`);
      console.log(
        `${quarter} 抽签核验通过：承诺值 ${d.commitment} 与抽签内容和随机种子相符，用种子重新抽签结果一致${announced ? '，与公布的承诺值一致' : ''}。${d.revealedAt ? '' : '（本季度抽签尚未公开。）'}`,
      );
      return;
    }
    case 'reveal': {
      const d = await drawOf(deps.db, quarter);
      if (!d) fail(`${quarter} 还没有抽签。`);
      const done = await withWriteTransaction(deps.db, (tx) => revealDraw(deps, tx, d, null));
      console.log(done ? `已公开 ${quarter} 的抽签结果和随机种子：${d.seed}` : `${quarter} 的抽签已经公开过了。`);
      return;
    }
    case 'results': {
      const year = flag('--year') ?? schoolYearOf(today);
      if (!/^\d{4}$/.test(year)) fail(`--year 写学年开始的年份，示例：npm run cli -- inspection results --year 2026`);
      console.log((await resultLines(deps.db, year, today)).join('\n'));
      return;
    }
    case 'import':
      return importFindings(deps, rest[1], today, fail);
    default:
      fail(`不认识的 inspection 子命令“${sub ?? ''}”。\n${INSPECTION_USAGE}`);
  }
}

/** One transaction for the whole file: a bad row writes nothing. */
async function importFindings(deps: Deps, file: string | undefined, today: string, fail: Fail): Promise<void> {
  if (!file || !fs.existsSync(file)) fail(`找不到文件“${file ?? ''}”。示例：npm run cli -- inspection import 抽查记录.csv`);
  const lines = fs
    .readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const head = (lines.shift() ?? '').split(',').map((h) => h.trim());
  const col = (name: string) => head.indexOf(name);
  if (col('班级') < 0 || col('实到') < 0) fail('第1行应为表头：学校,班级,实到,缺勤（学校、缺勤可空）。');
  const out: string[] = [];
  await withWriteTransaction(deps.db, async (tx) => {
    for (const [i, line] of lines.entries()) {
      const cells = line.split(',').map((c) => c.trim());
      const cell = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '') : '');
      const present = cell('实到');
      if (!/^\d+$/.test(present)) fail(`第${i + 2}行：实到“${present}”不是人数。没有写入任何记录。`);
      const r = await recordFinding(deps, tx, {
        classRef: `${cell('学校')}${cell('班级')}`,
        presentFound: Number(present),
        absent: cell('缺勤')
          .split(/[、\s;；]+/)
          .filter(Boolean),
        byId: null,
        chatRef: 'cli',
        today,
      }).catch((e: unknown) => (e instanceof InspectionInputError ? fail(`第${i + 2}行：${e.reason}\n没有写入任何记录。`) : Promise.reject(e)));
      out.push(...r.lines);
    }
  });
  console.log([`已导入 ${lines.length} 条抽查记录：`, ...out].join('\n'));
}

export async function faultsCommand(deps: Deps, rest: string[], fail: Fail): Promise<void> {
  const flag = (name: string) => (rest.indexOf(name) >= 0 ? rest[rest.indexOf(name) + 1] : undefined);
  const filter = await faultFilterFor(deps.db, flag('--school') ?? flag('--person') ?? '');
  if ('error' in filter) fail(`${filter.error}示例：npm run cli -- faults --school 青石镇中心小学`);
  console.log((await faultLines(deps.db, filter, deps.config.TIMEZONE)).join('\n'));
}
