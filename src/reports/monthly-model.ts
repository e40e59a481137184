/**
 * The monthly school report (学校每月一统计) as figures, per grade, from dated records: register changes
 * (RegisterEvent), dropouts confirmed onto the roster and returns (case events). Enrolment at term start is derived:
 * today's roll plus everyone who left during the term, less those who came back.
 */
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';
import type { DateStr, Stage } from '../domain/types.js';
import { STAGE_LABELS } from '../domain/types.js';
import {
  checkTargets,
  dropoutRate,
  formatResult,
  hasValue,
  RATE_DEFINITIONS,
  RATE_LABELS,
  retentionRate,
  TARGET_RULE,
  type Breach,
  type RateFigures,
  type Targets,
} from '../domain/rates.js';
import { areaRates, type AreaRates, type UnitRates } from '../services/unit-rates.js';
import { targetBook, type TargetBook } from '../services/targets.js';
import { gradeLabel } from '../roster/grades.js';
import { countyHeading, schoolHeading, schoolsWithClasses, townHeading, type ReportScope } from '../store/report.repository.js';
import { inspectionRemarks } from '../services/inspections.js';
import { reportFacts, ZERO, type CaseLine, type Counts, type ReportPeriod, type SchoolFacts } from './monthly-facts.js';

export interface Figures {
  atTermStart: number;
  current: number;
  /** Added by a roster import during the term. */
  transferredIn: number;
  transferredOut: number;
  suspended: number;
  borrowing: number;
  droppedMonth: number;
  droppedTerm: number;
  returnedTerm: number;
  /** 辍学率 (RATE_DEFINITIONS.primaryDropout): the term's net dropouts over the roll now plus them, as in 情况. */
  dropoutRate: number | undefined;
  /**
   * 本学期在籍保持率 (RATE_DEFINITIONS.retention): the roll now over the term-start roll net of register changes. Not
   * the nine-year consolidation rate, which is the unit's `unitRates.consolidation` (a cohort measure).
   */
  retentionRate: number | undefined;
}

export interface GradeRow extends Figures {
  stage: Stage;
  grade: number;
  label: string;
}

export interface MonthlyReportModel {
  /** 青石镇中心小学控辍保学月报表 / 青石镇控辍保学月报表（全镇汇总） */
  title: string;
  /** What a row is: a grade of the school, or a school of the town. */
  rowHeader: '年级' | '学校' | '乡镇';
  countyName: string;
  townName: string;
  schoolName: string;
  month: string;
  termName: string;
  termStart: DateStr;
  asOf: DateStr;
  rows: GradeRow[];
  stages: { stage: Stage; label: string; figures: Figures; breaches: Breach[] }[];
  total: Figures;
  /** The unit's own targets (a school's, else its town's, else the county's). */
  targets: Targets;
  /** The unit's nine-year consolidation and enrolment rates, where they apply (未导入 when the data is missing). */
  unitRates: UnitRates;
  /** Every figure of the unit over its own targets (stages' dropout rates and unit rates), 一票否决 marked. */
  breaches: Breach[];
  /** Lines the form prints under the table: the unit rates, the breaches, each rate's 公式 and how targets are compared. */
  notes: string[];
  cases: CaseLine[];
  /** Remarks for the form (e.g. the county's inspection findings of the month); school forms only. */
  remarks?: string[];
}

function finish(c: Counts): Figures {
  const atTermStart = c.current + c.transferredOut + c.suspended + c.borrowing + c.droppedTerm - c.returnedTerm - c.transferredIn;
  return {
    ...c,
    atTermStart,
    dropoutRate: dropoutRate(c),
    retentionRate: retentionRate(atTermStart, c.current, c.transferredIn - c.transferredOut - c.suspended - c.borrowing),
  };
}

function add(a: Counts, b: Counts): Counts {
  return Object.fromEntries(Object.keys(ZERO).map((k) => [k, a[k as keyof Counts] + b[k as keyof Counts]])) as Counts;
}

/** The month's period: the term it falls in, up to the month's last day (or today, if earlier). */
function periodOf(deps: Deps, month: string, today: DateStr): ReportPeriod {
  const lastDay = `${month}-${String(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate()).padStart(2, '0')}`;
  const asOf = lastDay < today ? lastDay : today;
  const term = deps.calendar.termOf(asOf) ?? deps.calendar.termOf(`${month}-01`);
  if (!term) throw new Error(`${month} 不在任何学期内（见 TERMS 设置）`);
  return { month, term, asOf };
}

/** A school's form from its facts: a row per grade, stage subtotals, the total, its open cases. */
function schoolModel(
  school: { name: string; countyName: string; townName: string },
  p: ReportPeriod,
  facts: SchoolFacts | undefined,
  targets: Targets,
  unitRates: UnitRates,
): MonthlyReportModel {
  const grades = [...(facts?.grades ?? [])].sort((a, b) => (a.stage === b.stage ? a.grade - b.grade : a.stage === 'primary' ? -1 : 1));
  const rows: GradeRow[] = grades.map((g) => ({ stage: g.stage, grade: g.grade, label: gradeLabel(g.stage, g.grade), ...finish(g) }));
  return {
    title: `${school.name}控辍保学月报表`,
    rowHeader: '年级',
    countyName: school.countyName,
    townName: school.townName,
    schoolName: school.name,
    month: p.month,
    termName: p.term.name,
    termStart: p.term.start,
    asOf: p.asOf,
    rows,
    ...summarize(rows, targets, unitRates),
    cases: facts?.cases ?? [],
  };
}

export async function monthlyReportModel(deps: Deps, tx: Tx, schoolId: number, month: string, today: DateStr): Promise<MonthlyReportModel> {
  const school = await schoolHeading(tx, schoolId);
  const p = periodOf(deps, month, today);
  const [facts, book, rates] = await Promise.all([
    reportFacts(tx, { kind: 'school', schoolId }, p, true),
    targetBook(tx, deps.targets),
    areaRates(tx, { kind: 'school', schoolId }, p.asOf),
  ]);
  const model = schoolModel(
    { name: school.name, countyName: school.county.name, townName: school.town.name },
    p,
    facts.get(schoolId),
    book.school(schoolId, school.townId),
    rates.schools.get(schoolId) ?? {},
  );
  return { ...model, remarks: await inspectionRemarks(tx, schoolId, month) };
}

interface ScopeReading {
  models: (MonthlyReportModel & { townId: number })[];
  book: TargetBook;
  rates: AreaRates;
}

async function readScope(
  deps: Deps,
  tx: Tx,
  scope: Exclude<ReportScope, { kind: 'school' }>,
  month: string,
  today: DateStr,
  opts: { cases: boolean },
): Promise<ScopeReading> {
  const p = periodOf(deps, month, today);
  const [county, schools, facts, book, rates] = await Promise.all([
    countyHeading(tx),
    schoolsWithClasses(tx, scope),
    reportFacts(tx, scope, p, opts.cases),
    targetBook(tx, deps.targets),
    areaRates(tx, scope, p.asOf),
  ]);
  const models = schools.map((s) => ({
    ...schoolModel(
      { name: s.name, countyName: county.name, townName: s.town.name },
      p,
      facts.get(s.id),
      book.school(s.id, s.townId),
      rates.schools.get(s.id) ?? {},
    ),
    townId: s.townId,
  }));
  return { models, book, rates };
}

/** The form of every school (with classes) of a town or the county, from one reading of the whole scope; by school id. */
export async function schoolReportModels(
  deps: Deps,
  tx: Tx,
  scope: Exclude<ReportScope, { kind: 'school' }>,
  month: string,
  today: DateStr,
  opts: { cases: boolean },
): Promise<(MonthlyReportModel & { townId: number })[]> {
  return (await readScope(deps, tx, scope, month, today, opts)).models;
}

const countsOf = (f: Figures): Counts => Object.fromEntries(Object.keys(ZERO).map((k) => [k, f[k as keyof Counts]])) as Counts;

/**
 * Stage subtotals (a stage over its own dropout target carries the breach), the total, and the unit's figures
 * against its own targets, with the notes the form prints.
 */
function summarize(
  rows: GradeRow[],
  targets: Targets,
  unitRates: UnitRates,
): Pick<MonthlyReportModel, 'stages' | 'total' | 'targets' | 'unitRates' | 'breaches' | 'notes'> {
  const sum = (rs: GradeRow[]) => finish(rs.reduce<Counts>((acc, r) => add(acc, countsOf(r)), { ...ZERO }));
  const stages = (['primary', 'junior'] as const)
    .filter((st) => rows.some((r) => r.stage === st))
    .map((st) => {
      const figures = sum(rows.filter((r) => r.stage === st));
      const breaches =
        figures.dropoutRate === undefined
          ? []
          : checkTargets(st === 'primary' ? { primaryDropout: figures.dropoutRate } : { juniorDropout: figures.dropoutRate }, targets);
      return { stage: st, label: STAGE_LABELS[st], figures, breaches };
    });
  const unitFigures: RateFigures = {};
  for (const k of ['consolidation', 'primaryEnrolment', 'juniorGrossEnrolment'] as const) if (hasValue(unitRates[k])) unitFigures[k] = unitRates[k].value;
  const breaches = [...stages.flatMap((st) => st.breaches), ...checkTargets(unitFigures, targets)];
  const shown = (['consolidation', 'primaryEnrolment', 'juniorGrossEnrolment'] as const).filter((k) => unitRates[k] !== undefined);
  const notes = [
    ...(shown.length ? [shown.map((k) => `${RATE_LABELS[k]}：${formatResult(unitRates[k]!)}`).join('；')] : []),
    ...breaches.map((b) => `⚠ ${b.text}`),
    `说明：期初在籍 = 现在籍 − 本学期转入 + 本学期转出、休学、借读 + 本学期辍学 − 本学期复学。${RATE_DEFINITIONS.primaryDropout}${RATE_DEFINITIONS.retention}`,
    ...shown.map((k) => RATE_DEFINITIONS[k]),
    TARGET_RULE,
  ];
  return { stages, total: sum(rows), targets, unitRates, breaches, notes };
}

/** A row per part (a school of a town, a town of the county) and stage; stage subtotals against the targets. */
function aggregate(
  head: Pick<MonthlyReportModel, 'title' | 'rowHeader' | 'countyName' | 'townName' | 'month'>,
  parts: MonthlyReportModel[],
  partName: (m: MonthlyReportModel) => string,
  targets: Targets,
  unitRates: UnitRates,
): MonthlyReportModel {
  const rows: GradeRow[] = parts.flatMap((m) => m.stages.map((st) => ({ stage: st.stage, grade: 0, label: partName(m), ...st.figures })));
  const first = parts[0]!;
  return {
    ...head,
    schoolName: '',
    termName: first.termName,
    termStart: first.termStart,
    asOf: first.asOf,
    rows,
    ...summarize(rows, targets, unitRates),
    cases: parts.flatMap((m) => m.cases.map((c) => ({ ...c, className: m.schoolName ? `${m.schoolName} ${c.className}` : c.className }))),
  };
}

/** The town's aggregate: a row per school and stage, the town's total. */
export async function monthlyTownModel(deps: Deps, tx: Tx, townId: number, month: string, today: DateStr): Promise<MonthlyReportModel> {
  const town = await townHeading(tx, townId);
  const { models: parts, book, rates } = await readScope(deps, tx, { kind: 'town', townId }, month, today, { cases: true });
  if (parts.length === 0) throw new Error(`${town.name}没有学校数据`);
  return townModel({ name: town.name, countyName: town.county.name }, month, parts, book.town(townId), rates.towns.get(townId) ?? {});
}

function townModel(
  town: { name: string; countyName: string },
  month: string,
  parts: MonthlyReportModel[],
  targets: Targets,
  unitRates: UnitRates,
): MonthlyReportModel {
  return aggregate(
    { title: `${town.name}控辍保学月报表（全镇汇总）`, rowHeader: '学校', countyName: town.countyName, townName: town.name, month },
    parts,
    (m) => m.schoolName,
    targets,
    unitRates,
  );
}

/** The county's aggregate: a row per town (those with schools with classes) and stage, the county's total; read once for the whole county. */
export async function monthlyCountyModel(deps: Deps, tx: Tx, month: string, today: DateStr): Promise<MonthlyReportModel> {
  const county = await countyHeading(tx);
  const { models: schools, book, rates } = await readScope(deps, tx, { kind: 'county' }, month, today, { cases: true });
  const byTown = new Map<number, (typeof schools)[number][]>();
  for (const s of schools) byTown.set(s.townId, (byTown.get(s.townId) ?? []).concat(s));
  const towns = [...byTown]
    .sort(([a], [b]) => a - b)
    .map(([townId, parts]) => townModel({ name: parts[0]!.townName, countyName: county.name }, month, parts, book.town(townId), rates.towns.get(townId) ?? {}));
  if (towns.length === 0) throw new Error(`${county.name}没有学校数据`);
  return aggregate(
    { title: `${county.name}控辍保学月报表（全县汇总）`, rowHeader: '乡镇', countyName: county.name, townName: '', month },
    towns,
    (m) => m.townName,
    book.county,
    rates.county ?? {},
  );
}
