/**
 * The monthly school report (学校每月一统计) as figures, per grade, from dated records: register changes
 * (RegisterEvent), dropouts confirmed onto the roster and returns (case events). Enrolment at term start is derived:
 * today's roll plus everyone who left during the term, less those who came back.
 */
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';
import type { DateStr, Stage } from '../domain/types.js';
import { STAGE_LABELS } from '../domain/types.js';
import { checkTargets, consolidationRate, dropoutRate, type Breach } from '../domain/rates.js';
import { gradeLabel } from '../roster/grades.js';
import { caseEventsOf, registerEventsBetween, studentsOfSchool } from '../store/report.repository.js';
import { casesInArea } from '../services/roster.js';
import { responsibleFor } from '../store/org.repository.js';
import { CASE_STATE_LABELS } from '../domain/dropout-case.js';

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
  /** Net dropouts of the term over enrolment at its start, net of transfers (domain definition). */
  dropoutRate: number | undefined;
  /**
   * 本学期巩固率: the roll now over the roll at term start, net of transfers, suspensions and borrowing (domain
   * consolidationRate over the term). The nine-year cohort rate needs each cohort's grade-1 enrolment, which the bot
   * does not hold.
   */
  consolidationRate: number | undefined;
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
  cases: { id: number; name: string; className: string; village: string; state: string; openedOn: string; responsible: string }[];
}

const ZERO = { current: 0, transferredIn: 0, transferredOut: 0, suspended: 0, borrowing: 0, droppedMonth: 0, droppedTerm: 0, returnedTerm: 0 };
type Counts = typeof ZERO;

function finish(c: Counts): Figures {
  const atTermStart = c.current + c.transferredOut + c.suspended + c.borrowing + c.droppedTerm - c.returnedTerm - c.transferredIn;
  return {
    ...c,
    atTermStart,
    dropoutRate: dropoutRate({ enrolledAtStart: atTermStart, dropouts: c.droppedTerm - c.returnedTerm, transferredOut: c.transferredOut, transferredIn: c.transferredIn, suspended: c.suspended }),
    consolidationRate: consolidationRate(atTermStart, c.current, c.transferredIn - c.transferredOut - c.suspended - c.borrowing),
  };
}

function add(a: Counts, b: Counts): Counts {
  return Object.fromEntries(Object.keys(ZERO).map((k) => [k, a[k as keyof Counts] + b[k as keyof Counts]])) as Counts;
}

export async function monthlyReportModel(deps: Deps, tx: Tx, schoolId: number, month: string, today: DateStr): Promise<MonthlyReportModel> {
  const school = await tx.school.findUniqueOrThrow({ where: { id: schoolId }, include: { town: true, county: true } });
  const lastDay = `${month}-${String(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate()).padStart(2, '0')}`;
  const asOf = lastDay < today ? lastDay : today;
  const term = deps.calendar.termOf(asOf) ?? deps.calendar.termOf(`${month}-01`);
  if (!term) throw new Error(`${month} 不在任何学期内（见 TERMS 设置）`);
  const students = await studentsOfSchool(tx, schoolId);
  const ids = students.map((s) => s.id);
  const byGrade = new Map<string, Counts & { stage: Stage; grade: number }>();
  const gradeOf = new Map(students.map((s) => [s.id, `${s.class.stage}-${s.class.grade}`]));
  for (const s of students) {
    const key = `${s.class.stage}-${s.class.grade}`;
    if (!byGrade.has(key)) byGrade.set(key, { ...ZERO, stage: s.class.stage as Stage, grade: s.class.grade });
    if (s.status === 'enrolled') byGrade.get(key)!.current++;
  }
  const bump = (studentId: number, field: keyof Counts) => {
    const g = byGrade.get(gradeOf.get(studentId)!);
    if (g) g[field]++;
  };
  for (const e of await registerEventsBetween(tx, ids, term.start, asOf)) {
    const field = ({ transferred_out: 'transferredOut', transferred_in: 'transferredIn', suspended: 'suspended', borrowing: 'borrowing' } as const)[e.change as 'transferred_out'];
    if (field) bump(e.studentId, field);
  }
  const events = await caseEventsOf(tx, ids, ['confirm', 'return']);
  const confirmedCases = new Set(events.filter((e) => e.type === 'confirm').map((e) => e.caseId));
  for (const e of events) {
    const p = JSON.parse(e.payload) as { at: string; returnedOn?: string };
    if (e.type === 'confirm' && p.at >= term.start && p.at <= asOf) {
      bump(e.case.studentId, 'droppedTerm');
      if (p.at.startsWith(month)) bump(e.case.studentId, 'droppedMonth');
    }
    const on = p.returnedOn ?? p.at;
    if (e.type === 'return' && confirmedCases.has(e.caseId) && on >= term.start && on <= asOf) bump(e.case.studentId, 'returnedTerm');
  }
  const grades = [...byGrade.values()].sort((a, b) => (a.stage === b.stage ? a.grade - b.grade : a.stage === 'primary' ? -1 : 1));
  const rows: GradeRow[] = grades.map((g) => ({ stage: g.stage, grade: g.grade, label: gradeLabel(g.stage, g.grade), ...finish(g) }));
  const { stages, total } = summarize(deps, rows);
  const cases = [];
  for (const { row, s, c } of await casesInArea(tx, { kind: 'school', schoolId }, false)) {
    const p = await responsibleFor(tx, s);
    cases.push({ id: row.id, name: s.name, className: s.class.name, village: `${s.village.town.name}${s.village.name}`, state: CASE_STATE_LABELS[c.state], openedOn: row.openedOn, responsible: [...p.classTeachers, ...p.cadres].map((x) => x.name).join('、') });
  }
  return { title: `${school.name}控辍保学月报表`, rowHeader: '年级', countyName: school.county.name, townName: school.town.name, schoolName: school.name, month, termName: term.name, termStart: term.start, asOf, rows, stages, total, cases };
}

const countsOf = (f: Figures): Counts => Object.fromEntries(Object.keys(ZERO).map((k) => [k, f[k as keyof Counts]])) as Counts;

/** Stage subtotals (a stage over its dropout target carries the breach) and the total, summed from the rows. */
function summarize(deps: Deps, rows: GradeRow[]): Pick<MonthlyReportModel, 'stages' | 'total'> {
  const sum = (rs: GradeRow[]) => finish(rs.reduce<Counts>((acc, r) => add(acc, countsOf(r)), { ...ZERO }));
  const stages = (['primary', 'junior'] as const)
    .filter((st) => rows.some((r) => r.stage === st))
    .map((st) => {
      const figures = sum(rows.filter((r) => r.stage === st));
      const breaches = figures.dropoutRate === undefined ? [] : checkTargets(st === 'primary' ? { primaryDropout: figures.dropoutRate } : { juniorDropout: figures.dropoutRate }, deps.targets);
      return { stage: st, label: STAGE_LABELS[st], figures, breaches };
    });
  return { stages, total: sum(rows) };
}

/** A row per part (a school of a town, a town of the county) and stage; stage subtotals against the targets. */
function aggregate(deps: Deps, head: Pick<MonthlyReportModel, 'title' | 'rowHeader' | 'countyName' | 'townName' | 'month'>, parts: MonthlyReportModel[], partName: (m: MonthlyReportModel) => string): MonthlyReportModel {
  const rows: GradeRow[] = parts.flatMap((m) => m.stages.map((st) => ({ stage: st.stage, grade: 0, label: partName(m), ...st.figures })));
  const { stages, total } = summarize(deps, rows);
  const first = parts[0]!;
  return { ...head, schoolName: '', termName: first.termName, termStart: first.termStart, asOf: first.asOf, rows, stages, total, cases: parts.flatMap((m) => m.cases.map((c) => ({ ...c, className: m.schoolName ? `${m.schoolName} ${c.className}` : c.className }))) };
}

/** The town's aggregate: a row per school and stage, the town's total. */
export async function monthlyTownModel(deps: Deps, tx: Tx, townId: number, month: string, today: DateStr): Promise<MonthlyReportModel> {
  const town = await tx.town.findUniqueOrThrow({ where: { id: townId }, include: { county: true } });
  const schools = await tx.school.findMany({ where: { townId, classes: { some: {} } }, orderBy: { id: 'asc' } });
  if (schools.length === 0) throw new Error(`${town.name}没有学校数据`);
  const parts = [];
  for (const s of schools) parts.push(await monthlyReportModel(deps, tx, s.id, month, today));
  return aggregate(deps, { title: `${town.name}控辍保学月报表（全镇汇总）`, rowHeader: '学校', countyName: town.county.name, townName: town.name, month }, parts, (m) => m.schoolName);
}

/** The county's aggregate: a row per town and stage, the county's total. */
export async function monthlyCountyModel(deps: Deps, tx: Tx, month: string, today: DateStr): Promise<MonthlyReportModel> {
  const county = await tx.county.findFirstOrThrow({ orderBy: { id: 'asc' } });
  const towns = await tx.town.findMany({ where: { schools: { some: { classes: { some: {} } } } }, orderBy: { id: 'asc' } });
  const parts = [];
  for (const t of towns) parts.push(await monthlyTownModel(deps, tx, t.id, month, today));
  return aggregate(deps, { title: `${county.name}控辍保学月报表（全县汇总）`, rowHeader: '乡镇', countyName: county.name, townName: '', month }, parts, (m) => m.townName);
}
