/**
 * The three small tables the rates need, read from CSV and checked row by row against the county's schools, towns
 * and villages: 一年级入学人数 (学校, 入学年份, 一年级入学人数), 适龄人口 (乡镇, 村, 年份, 小学适龄人口, 初中适龄人口) and
 * per-unit targets (单位, 指标, 目标值). Every bad row is named with its line; a file with any is not imported at all.
 */
import { csvRows } from './csv-rows.js';
import { SheetError } from './sheet-error.js';
import { parsePercent, parseRateKey, RATE_LABELS, type RateKey } from '../domain/rates.js';

export interface Place {
  schools: Map<string, { id: number; townId: number; kind: string }>;
  towns: Map<string, { id: number; villages: Map<string, number> }>;
}

export interface IntakeRow {
  schoolId: number;
  entryYear: number;
  grade1Intake: number;
}

export interface PopulationImportRow {
  townId: number;
  villageId: number | null;
  year: number;
  primaryAge: number;
  juniorAge: number;
}

export interface TargetImportRow {
  unitKind: 'town' | 'school';
  unitId: number;
  figure: RateKey;
  value: number;
}

export type TableResult<T> = { ok: true; rows: T[] } | { ok: false; errors: string[] };

export const TABLE_EXAMPLES = {
  cohorts: '学校,入学年份,一年级入学人数\n青石镇中心小学,2018,212',
  population: '乡镇,村,年份,小学适龄人口,初中适龄人口\n青石镇,东山村,2026,180,95\n青石镇,,2026,1200,610',
  targets: '单位,指标,目标值\n青石镇,初中辍学率,1.5%\n青石镇中心小学,小学辍学率,0.4%',
} as const;

type Cells = { line: number; get(col: string): string };

/** The file's rows by header name; the header is the first non-blank row and must name every column. */
async function readRows(file: string, columns: readonly string[], example: string): Promise<{ rows: Cells[] } | { errors: string[] }> {
  let header: string[] | undefined;
  const rows: Cells[] = [];
  try {
    for await (const r of csvRows(file)) {
      if (!header) {
        header = r.values.map((v) => v.trim());
        const missing = columns.filter((c) => !header!.includes(c));
        if (missing.length) return { errors: [`第${r.line}行（表头）：缺少列 ${missing.join('、')}。表头应为：${columns.join(',')}，示例：\n${example}`] };
        continue;
      }
      const values = r.values;
      const at = new Map(header.map((h, i) => [h, i]));
      rows.push({ line: r.line, get: (col) => (values[at.get(col)!] ?? '').trim() });
    }
  } catch (e) {
    if (e instanceof SheetError) return { errors: [`${e.line ? `第${e.line}行` : ''}${e.column ? `（${e.column}）` : ''}：${e.reason}`] };
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { errors: [`找不到文件：${file}`] };
    throw e;
  }
  if (!header) return { errors: [`文件是空的。表头应为：${columns.join(',')}，示例：\n${example}`] };
  if (!rows.length) return { errors: ['文件只有表头，没有数据行。'] };
  return { rows };
}

const count = (raw: string): number | undefined => (/^\d{1,7}$/.test(raw) ? Number(raw) : undefined);

function year(raw: string, thisYear: number): number | undefined {
  if (!/^\d{4}$/.test(raw)) return undefined;
  const y = Number(raw);
  return y >= 1990 && y <= thisYear ? y : undefined;
}

/** 学校, 入学年份, 一年级入学人数: the school must take 一年级 (a 小学 or 九年一贯制学校). */
export async function readCohorts(file: string, place: Place, thisYear: number): Promise<TableResult<IntakeRow>> {
  const read = await readRows(file, ['学校', '入学年份', '一年级入学人数'], TABLE_EXAMPLES.cohorts);
  if ('errors' in read) return { ok: false, errors: read.errors };
  const errors: string[] = [];
  const rows: IntakeRow[] = [];
  const seen = new Map<string, number>();
  for (const r of read.rows) {
    const why: string[] = [];
    const name = r.get('学校');
    const school = place.schools.get(name);
    if (!name) why.push('学校为空');
    else if (!school) why.push(`没有名为“${name}”的学校（须与名册中的校名一致）`);
    else if (school.kind === 'junior') why.push(`“${name}”是初中，不招一年级：只填小学和九年一贯制学校`);
    const y = year(r.get('入学年份'), thisYear);
    if (y === undefined) why.push(`入学年份“${r.get('入学年份')}”不对：应为 1990–${thisYear} 的四位年份，如 2018`);
    const n = count(r.get('一年级入学人数'));
    if (n === undefined) why.push(`一年级入学人数“${r.get('一年级入学人数')}”不对：应为不小于 0 的整数`);
    const key = `${name}|${y}`;
    if (school && y !== undefined && seen.has(key)) why.push(`与第${seen.get(key)}行重复（同一学校同一年份只填一行）`);
    if (why.length) {
      errors.push(`第${r.line}行：${why.join('；')}`);
      continue;
    }
    seen.set(key, r.line);
    rows.push({ schoolId: school!.id, entryYear: y!, grade1Intake: n! });
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

/** 乡镇, 村, 年份, 小学适龄人口, 初中适龄人口: 村 blank is the town's own total (used instead of its villages' sum). */
export async function readPopulation(file: string, place: Place, thisYear: number): Promise<TableResult<PopulationImportRow>> {
  const read = await readRows(file, ['乡镇', '村', '年份', '小学适龄人口', '初中适龄人口'], TABLE_EXAMPLES.population);
  if ('errors' in read) return { ok: false, errors: read.errors };
  const errors: string[] = [];
  const rows: PopulationImportRow[] = [];
  const seen = new Map<string, number>();
  for (const r of read.rows) {
    const why: string[] = [];
    const townName = r.get('乡镇');
    const villageName = r.get('村');
    const town = place.towns.get(townName);
    let villageId: number | null = null;
    if (!townName) why.push('乡镇为空');
    else if (!town) why.push(`没有名为“${townName}”的乡镇（须与名册一致）`);
    else if (villageName) {
      const v = town.villages.get(villageName);
      if (v === undefined) why.push(`${townName}没有名为“${villageName}”的村（须与名册一致；全镇合计请把村留空）`);
      else villageId = v;
    }
    const y = year(r.get('年份'), thisYear + 1);
    if (y === undefined) why.push(`年份“${r.get('年份')}”不对：应为学年开始的四位年份，如 ${thisYear}（表示 ${thisYear}–${thisYear + 1} 学年）`);
    const primaryAge = count(r.get('小学适龄人口'));
    if (primaryAge === undefined) why.push(`小学适龄人口“${r.get('小学适龄人口')}”不对：应为不小于 0 的整数（6–11 岁人数）`);
    const juniorAge = count(r.get('初中适龄人口'));
    if (juniorAge === undefined) why.push(`初中适龄人口“${r.get('初中适龄人口')}”不对：应为不小于 0 的整数（12–14 岁人数）`);
    const key = `${townName}|${villageName}|${y}`;
    if (town && y !== undefined && seen.has(key)) why.push(`与第${seen.get(key)}行重复（同一村（或全镇）同一年份只填一行）`);
    if (why.length) {
      errors.push(`第${r.line}行：${why.join('；')}`);
      continue;
    }
    seen.set(key, r.line);
    rows.push({ townId: town!.id, villageId, year: y!, primaryAge: primaryAge!, juniorAge: juniorAge! });
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

/** A town's or school's name → the unit (a school and a town of the same name: the name is ambiguous). */
export function unitByName(place: Place, name: string): { unitKind: 'town' | 'school'; unitId: number } | { error: string } {
  const school = place.schools.get(name);
  const town = place.towns.get(name);
  if (school && town) return { error: `“${name}”既是乡镇又是学校，无法区分` };
  if (school) return { unitKind: 'school', unitId: school.id };
  if (town) return { unitKind: 'town', unitId: town.id };
  return { error: `没有名为“${name}”的乡镇或学校（须与名册一致）` };
}

export const TARGET_FIGURE_NAMES = Object.values(RATE_LABELS).join('、');

/** 单位, 指标, 目标值: the unit is a town or a school; the value a percentage (1.5%). */
export async function readTargets(file: string, place: Place): Promise<TableResult<TargetImportRow>> {
  const read = await readRows(file, ['单位', '指标', '目标值'], TABLE_EXAMPLES.targets);
  if ('errors' in read) return { ok: false, errors: read.errors };
  const errors: string[] = [];
  const rows: TargetImportRow[] = [];
  const seen = new Map<string, number>();
  for (const r of read.rows) {
    const why: string[] = [];
    const unit = unitByName(place, r.get('单位'));
    if ('error' in unit) why.push(r.get('单位') ? unit.error : '单位为空');
    const figure = parseRateKey(r.get('指标'));
    if (!figure) why.push(`指标“${r.get('指标')}”不认识：应为 ${TARGET_FIGURE_NAMES} 之一`);
    const value = parsePercent(r.get('目标值'));
    if (value === undefined) why.push(`目标值“${r.get('目标值')}”不对：应为 0%–100% 的百分数，带 % 号，如 1.5%`);
    const key = `${r.get('单位')}|${figure}`;
    if (!('error' in unit) && figure && seen.has(key)) why.push(`与第${seen.get(key)}行重复（同一单位同一指标只填一行）`);
    if (why.length) {
      errors.push(`第${r.line}行：${why.join('；')}`);
      continue;
    }
    seen.set(key, r.line);
    rows.push({ ...(unit as { unitKind: 'town' | 'school'; unitId: number }), figure: figure!, value: value! });
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}
