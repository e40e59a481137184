/** Admin CLI: `npm run cli -- <command>`. */
import readline from 'node:readline';
import { systemClock, ManualClock, localDate } from './clock.js';
import { createDeps } from './app.js';
import { configFromEnvironment } from './env.js';
import { readWeeklyCount } from './domain/weekly-count-reader.js';
import { readRoster } from './roster/read-roster.js';
import { formatRosterErrors, formatRosterWarnings } from './roster/format-errors.js';
import { progressPrinter } from './roster/progress.js';
import { collectGarbage } from './roster/heap.js';
import { DemoCountyError, importRoster, type ImportSummary } from './store/roster-import.js';
import { seedDemo, DEMO_COUNTY_NAME } from './seed.js';
import { parseSeedDemoArgs } from './demo/seed-demo-args.js';
import { generateCounty, type GenerateOptions } from './demo/generated-county.js';
import { generateDemoCounty } from './demo/demo-county.js';
import { writeCountyCsv } from './demo/county-csv.js';
import { createInviteCode } from './core/commands/binding.js';
import { peopleByHandle } from './store/org.repository.js';
import { runScript, runInteractive } from './console/converse.js';
import fs from 'node:fs';
import type { Area } from './domain/org.js';
import { casesInArea } from './services/roster.js';
import { rosterFile } from './reports/roster-file.js';
import { monthlyReportFiles, type ReportUnit } from './reports/monthly-report-file.js';
import { countyExists } from './store/org.repository.js';
import { ROLE_LABELS, type Role } from './domain/types.js';
import path from 'node:path';
import { clockLabel, localParts } from './domain/zoned-time.js';
import { InviteScopeError, prepareInviteSheets, writeInviteSheets, type InviteScope } from './services/invite-sheets.js';
import { listDeadLetters } from './delivery/dead-letter-list.js';
import { describeVerify, sealAll, verifyChain } from './services/audit-chain.js';
import { faultsCommand, inspectionCommand, INSPECTION_USAGE } from './inspection-cli.js';
import { importRatesTable, type RatesTable } from './services/rates-import.js';
import { TABLE_EXAMPLES } from './roster/rates-tables.js';
import { assessmentCommand } from './assessment-cli.js';
import { schoolByName, townByName } from './store/place.repository.js';

const USAGE = `用法：npm run cli -- <命令>
  import <人员表.csv|xlsx> <学生表.csv|xlsx>   导入名册（全部成功才写入）
  import-cohorts <文件.csv>                      导入各校一年级入学人数（学校,入学年份,一年级入学人数），用于九年义务教育巩固率
  import-population <文件.csv>                  导入各村、乡镇适龄人口（乡镇,村,年份,小学适龄人口,初中适龄人口），用于入学率
  import-targets <文件.csv>                     导入乡镇、学校自己的目标（单位,指标,目标值），未设的沿用县目标
  invite <工号或姓名>                           生成一次性绑定邀请码
  invite --school 名称|--town 名称|--all [--out 目录]
                                                为还没有绑定账号的人员批量生成邀请码，按学校写出可打印的 PDF 和 xlsx（旧的未用邀请码作废）
  parse-count "<文字>" | parse-count -          看机器人如何读一条周统计回复（- 从标准输入读 JSON 行）
  converse [--script 文件.jsonl] [--now ISO]     控制台；有脚本时逐行执行并输出 JSON 行
  roster [--town 名称|--school 名称] [--format xlsx|csv] [--out 文件]
                                                导出辍学学生花名册（默认全县、xlsx，写到 REPORTS_DIR）
  report --school 名称|--town 名称|--county [--month YYYY-MM] [--format xlsx|pdf|json] [--out 文件]
                                                学校控辍保学月报表（xlsx、可打印的 pdf；json 为各年级数字）
  seed-demo [--students N [--seed N]] [--out 目录]
                                                向空数据库写入示范县；--students 生成该规模的县（2000–120000 人）；
                                                --out 不写数据库，把县写成 people.csv 和 students.csv 供 import 使用
  assessment --year YYYY [--out 目录] [--format xlsx|pdf|both]
                                                全县控辍保学工作年度考核表（每校、每乡镇一行；默认 xlsx 和 pdf 都生成）
  dead-letters [--limit N]                      列出多次尝试后仍未送达的消息（最近的在前）
  audit verify [--anchor 链尾哈希]              核对防篡改记录链：指出第一条在机器人之外被修改或删除的记录（有问题时退出码非 0）；
                                                --anchor：以前抄存的链尾哈希应仍在链中（防止整条链被重算）
  audit seal                                    立即封存尚未封存的记录（导入、示范县写入后自动进行）
${INSPECTION_USAGE}`;

function fail(msg: string, code = 1): never {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
}

function describeImport(s: ImportSummary): string {
  return [
    `学生：新增 ${s.created.students}，更新 ${s.updated.students}，未变 ${s.unchanged.students}；人员：新增 ${s.created.people}，更新 ${s.updated.people}，未变 ${s.unchanged.people}`,
    `新增镇 ${s.created.towns}、村 ${s.created.villages}、学校 ${s.created.schools}、班级 ${s.created.classes}`,
    ...(s.notInFile.students + s.notInFile.people > 0
      ? [`数据库中另有 ${s.notInFile.students} 名学生、${s.notInFile.people} 名人员不在本次文件中，未作改动。`]
      : []),
    ...unstaffedWarnings(s),
  ].join('\n');
}

/** A school without a principal or a village without a cadre: its alerts would reach nobody. */
function unstaffedWarnings(s: ImportSummary): string[] {
  const list = (names: string[]) => `${names.slice(0, 20).join('、')}${names.length > 20 ? ` 等 ${names.length} 个` : ''}`;
  return [
    ...(s.unstaffed.schools.length
      ? [
          `提醒：${s.unstaffed.schools.length} 所学校没有校长：${list(s.unstaffed.schools)}。这些学校的逾期和升级提醒将无人接收，请在人员表中补上校长后重新导入。`,
        ]
      : []),
    ...(s.unstaffed.villages.length
      ? [
          `提醒：${s.unstaffed.villages.length} 个村没有村干部：${list(s.unstaffed.villages)}。这些村学生的提醒在乡镇一线无人接收，请在人员表中补上村干部后重新导入。`,
        ]
      : []),
  ];
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd === 'parse-count') return parseCount(rest);
  if (!cmd || cmd === 'help' || cmd === '--help') return void console.log(USAGE);
  const seedArgs = cmd === 'seed-demo' ? parseSeedDemoArgs(rest) : undefined;
  if (seedArgs && !seedArgs.ok) fail(seedArgs.error);
  if (seedArgs?.out) return writeDemoFiles(seedArgs.out, seedArgs.size);
  const config = configFromEnvironment();
  const nowFlag = rest.indexOf('--now');
  const nowArg = nowFlag >= 0 ? rest[nowFlag + 1] : undefined;
  if (nowArg !== undefined && Number.isNaN(new Date(nowArg).getTime())) fail(`--now 不是有效时间：“${nowArg}”，示例：--now 2026-11-20T08:00:00+08:00`);
  const scriptFlag = rest.indexOf('--script');
  const script = scriptFlag >= 0 ? rest[scriptFlag + 1] : undefined;
  const clock = nowArg || script ? new ManualClock(nowArg ?? systemClock.now()) : systemClock;
  const deps = await createDeps(config, clock);
  try {
    switch (cmd) {
      case 'import': {
        const [peopleFile, studentsFile] = rest;
        if (!peopleFile || !studentsFile) fail('需要两个文件：import <人员表> <学生表>，示例：npm run cli -- import people.csv students.xlsx');
        const progress = progressPrinter((line) => process.stderr.write(`${line}\n`), 5000, collectGarbage);
        const r = await readRoster(peopleFile, studentsFile, { onProgress: progress });
        if (!r.ok) fail(`${formatRosterErrors(r.errors, r.omitted)}\n没有写入任何数据。请改正以上各行后重新导入。`);
        if (r.warnings.length) process.stderr.write(`${formatRosterWarnings(r.warnings)}\n`);
        const today = localDate(clock.now(), config.TIMEZONE);
        const summary = await importRoster(deps.db, r.roster, {
          countyName: config.COUNTY_NAME,
          at: clock.now(),
          onProgress: progress,
          ...(deps.calendar.termOf(today) ? { transferInOn: today } : {}),
        }).catch((e: Error) =>
          fail(
            e instanceof DemoCountyError
              ? e.message
              : `写入数据库失败，已全部撤销，没有写入任何数据。请稍后重试；如果一再失败，请把下面这行发给管理员：\n${e.message}`,
          ),
        );
        console.log(`导入成功。\n${describeImport(summary)}`);
        await sealAll(deps.db);
        return;
      }
      case 'import-cohorts':
      case 'import-population':
      case 'import-targets': {
        const table = cmd.slice('import-'.length) as RatesTable;
        const file = rest[0];
        if (!file) fail(`需要一个 CSV 文件：npm run cli -- ${cmd} 文件.csv，文件示例：\n${TABLE_EXAMPLES[table]}`);
        const today = localDate(clock.now(), config.TIMEZONE);
        const r = await importRatesTable(deps.db, table, file, clock.now(), Number(today.slice(0, 4)));
        if (!r.ok) fail(r.text);
        console.log(r.text);
        return;
      }
      case 'seed-demo': {
        if (await countyExists(deps.db)) fail('数据库里已经有县的数据，示范县只能写入空数据库。');
        console.log(`已生成${DEMO_COUNTY_NAME}。\n${describeImport(await seedDemo(deps.db, clock.now(), seedArgs?.ok ? seedArgs.size : undefined))}`);
        await sealAll(deps.db);
        return;
      }
      case 'invite': {
        if (rest.some((a) => a === '--school' || a === '--town' || a === '--all')) return await inviteSheetsCommand(deps, rest);
        const handle = rest[0];
        if (!handle) fail('需要工号或姓名：invite <工号或姓名>，示例：npm run cli -- invite T0001');
        const found = await peopleByHandle(deps.db, handle);
        if (found.length !== 1)
          fail(found.length ? `“${handle}”有 ${found.length} 人同名，请用工号：${found.map((p) => p.staffId).join('、')}` : `没有找到人员“${handle}”。`);
        const p = found[0]!;
        const { code, expiresAt } = await createInviteCode(deps, p.id);
        console.log(
          `${p.name}（${ROLE_LABELS[p.role as Role]}，工号 ${p.staffId}）的一次性邀请码：${code}\n请本人在 ${localStamp(expiresAt, config.TIMEZONE)}（当地时间）前私信机器人：绑定 ${code}`,
        );
        return;
      }
      case 'roster': {
        const flag = (name: string) => (rest.indexOf(name) >= 0 ? rest[rest.indexOf(name) + 1] : undefined);
        const format = flag('--format') ?? 'xlsx';
        if (format !== 'xlsx' && format !== 'csv') fail(`--format 只能是 xlsx 或 csv，示例：npm run cli -- roster --town 青石镇 --format csv`);
        const townName = flag('--town');
        const schoolName = flag('--school');
        let area: Area = { kind: 'county' };
        if (townName) {
          const t = await townByName(deps.db, townName);
          if (!t) fail(`没有找到乡镇“${townName}”。示例：npm run cli -- roster --town 青石镇`);
          area = { kind: 'town', townId: t.id };
        } else if (schoolName) {
          const sc = await schoolByName(deps.db, schoolName);
          if (!sc) fail(`没有找到学校“${schoolName}”。示例：npm run cli -- roster --school 青石镇中心小学`);
          area = { kind: 'school', schoolId: sc.id };
        }
        const today = localDate(clock.now(), config.TIMEZONE);
        const list = await casesInArea(deps.db, area, true);
        const file = await rosterFile(deps.db, area, list, format, config.REPORTS_DIR, today, clock.now());
        const out = flag('--out');
        if (out) fs.copyFileSync(file.attachment.path, out);
        console.log(`${file.title}：${list.length} 人，已写入 ${out ?? file.attachment.path}`);
        return;
      }
      case 'report': {
        const flag = (name: string) => (rest.indexOf(name) >= 0 ? rest[rest.indexOf(name) + 1] : undefined);
        const today = localDate(clock.now(), config.TIMEZONE);
        const month = flag('--month') ?? today.slice(0, 7);
        const format = flag('--format') ?? 'xlsx';
        if (!/^\d{4}-\d{2}$/.test(month)) fail(`--month 应为 YYYY-MM，示例：npm run cli -- report --school 青石镇中心小学 --month ${today.slice(0, 7)}`);
        if (format !== 'xlsx' && format !== 'pdf' && format !== 'json')
          fail('--format 只能是 xlsx、pdf 或 json，示例：npm run cli -- report --school 青石镇中心小学 --format pdf');
        const schoolName = flag('--school');
        const townName = flag('--town');
        const sc = schoolName ? await schoolByName(deps.db, schoolName) : null;
        const tw = townName ? await townByName(deps.db, townName) : null;
        const wholeCounty = rest.includes('--county');
        if (!sc && !tw && !wholeCounty)
          fail(
            `${schoolName || townName ? `没有找到“${schoolName ?? townName}”。` : '需要 --school、--town 或 --county。'}示例：npm run cli -- report --school 青石镇中心小学 --month ${month}`,
          );
        const unit: ReportUnit = sc ? { kind: 'school', schoolId: sc.id } : tw ? { kind: 'town', townId: tw.id } : { kind: 'county' };
        const file = await monthlyReportFiles(deps, deps.db, unit, month, today, format === 'json' ? [] : [format]).catch((e: Error) => fail(e.message));
        if (format === 'json') {
          const json = JSON.stringify(file.model, null, 2);
          const out = flag('--out');
          if (out) fs.writeFileSync(out, json);
          else console.log(json);
          return;
        }
        const out = flag('--out');
        if (out) fs.copyFileSync(file.attachments[0]!.path, out);
        console.log(`${file.model.title} ${month} 已写入 ${out ?? file.attachments[0]!.path}`);
        return;
      }
      case 'audit': {
        if (rest[0] === 'seal') return void console.log(`已封存 ${await sealAll(deps.db)} 条记录。`);
        if (rest[0] !== 'verify') fail('用法：npm run cli -- audit verify（核对记录链）或 audit seal（立即封存）');
        const anchor = rest.indexOf('--anchor') >= 0 ? rest[rest.indexOf('--anchor') + 1] : undefined;
        if (rest.includes('--anchor') && !/^[0-9a-f]{64}$/.test(anchor ?? ''))
          fail('--anchor 后面要写以前抄存的 64 位链尾哈希，示例：npm run cli -- audit verify --anchor 3f5a…（64 位）');
        const r = await verifyChain(deps.db, anchor);
        if (r.problem) fail(describeVerify(r), 2);
        console.log(describeVerify(r));
        return;
      }
      case 'dead-letters': {
        const i = rest.indexOf('--limit');
        const limit = i >= 0 ? Number(rest[i + 1]) : 100;
        if (!Number.isInteger(limit) || limit < 1) fail(`--limit 应为正整数，示例：npm run cli -- dead-letters --limit 20`);
        console.log(await listDeadLetters(deps.db, config.TIMEZONE, limit));
        return;
      }
      case 'inspection':
        return await inspectionCommand(deps, rest, fail);
      case 'faults':
        return await faultsCommand(deps, rest, fail);
      case 'assessment':
        return await assessmentCommand(deps, rest, fail);
      case 'converse': {
        if (script) {
          const fs = await import('node:fs');
          if (!fs.existsSync(script)) fail(`找不到脚本文件：${script}`);
          const lines = readline.createInterface({ input: fs.createReadStream(script, 'utf8'), crlfDelay: Infinity });
          const problems = await runScript(
            deps,
            clock as ManualClock,
            lines,
            (l) => console.log(l),
            (l) => process.stderr.write(`${l}\n`),
          );
          if (problems > 0) process.exitCode = 1;
          return;
        }
        await runInteractive(deps, process.stdin, (s) => console.log(s));
        return;
      }
      default:
        fail(`不认识的命令“${cmd}”。\n${USAGE}`);
    }
  } finally {
    await deps.db.$disconnect();
  }
}

async function inviteSheetsCommand(deps: Awaited<ReturnType<typeof createDeps>>, rest: string[]): Promise<void> {
  const flag = (name: string) => (rest.indexOf(name) >= 0 ? rest[rest.indexOf(name) + 1] : undefined);
  const school = flag('--school');
  const town = flag('--town');
  if ((rest.includes('--school') && !school) || (rest.includes('--town') && !town))
    fail('--school、--town 后面要写名称，示例：npm run cli -- invite --school 青石镇中心小学');
  const scope: InviteScope = school ? { kind: 'school', name: school } : town ? { kind: 'town', name: town } : { kind: 'county' };
  const { sheets, alreadyBound } = await prepareInviteSheets(deps, scope).catch((e: Error) =>
    e instanceof InviteScopeError ? fail(e.message) : Promise.reject(e),
  );
  const folder = path.resolve(flag('--out') ?? path.join(deps.config.REPORTS_DIR, 'invites'));
  const files = await writeInviteSheets(sheets, folder, localDate(deps.clock.now(), deps.config.TIMEZONE));
  const people = sheets.sections.reduce((n, sec) => n + sec.entries.length, 0);
  console.log(
    `${sheets.scopeName}：为 ${people} 人生成了新的邀请码（有效期至 ${sheets.expiresAt}，他们以前未用的邀请码已作废），${sheets.sections.length} 张表；已绑定账号的 ${alreadyBound} 人不在表中。`,
  );
  if (deps.config.TELEGRAM_BOT_TOKEN && !deps.config.TELEGRAM_BOT_USERNAME)
    console.log('提示：已设置 TELEGRAM_BOT_TOKEN，但没有设置 TELEGRAM_BOT_USERNAME，所以表上没有二维码。');
  for (const f of files) console.log(`已写入 ${f}`);
}

function localStamp(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.date} ${clockLabel(p.minutes)}`;
}

function writeDemoFiles(dir: string, size?: GenerateOptions): void {
  const county = size ? generateCounty(size) : generateDemoCounty();
  const files = writeCountyCsv(dir, county);
  console.log(
    `已写出 ${county.students.length} 名学生、${county.people.length} 名人员：${files.people}、${files.students}\n导入：npm run cli -- import ${files.people} ${files.students}`,
  );
}

async function parseCount(rest: string[]): Promise<void> {
  const arg = rest.join(' ');
  if (!arg) fail('需要一段文字：parse-count "应到45 实到44 病假1"，或 parse-count - 从标准输入读 JSON 行 {"text": "..."}');
  if (arg !== '-') return void console.log(JSON.stringify(readWeeklyCount(arg)));
  let n = 0;
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    n++;
    if (!line.trim()) continue;
    let text: unknown;
    try {
      text = (JSON.parse(line) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string') {
      console.log(JSON.stringify({ outcome: 'invalid', figures: {}, reason: `第${n}行不是 {"text": "..."} 形式的 JSON` }));
      continue;
    }
    console.log(JSON.stringify(readWeeklyCount(text)));
  }
}

await main(process.argv.slice(2));
