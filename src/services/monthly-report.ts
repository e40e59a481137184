/**
 * The monthly report (学校每月一统计): which schools and towns have not confirmed a month (read by the report
 * reminders and deadlines), the snapshots they confirm, and how a town's aggregate sums its schools' snapshots.
 */
import type { Tx } from '../store/prisma.js';
import {
  reportingSchools,
  schoolConfirmations,
  townConfirmations,
  type ReportingSchool,
  type SchoolConfirmationRow,
  type TownConfirmationRow,
} from '../store/monthly-report.repository.js';

const byName = (a: string, b: string) => a.localeCompare(b, 'zh-CN');
const byTownThenSchool = (a: ReportingSchool, b: ReportingSchool) =>
  byName(a.townName, b.townName) || byName(a.schoolName, b.schoolName) || a.schoolId - b.schoolId;

/** Schools having at least one class and no confirmation for the month, by town then school name. */
export async function schoolsNotConfirmed(tx: Tx, month: string): Promise<{ schoolId: number; schoolName: string; townId: number; townName: string }[]> {
  const [schools, done] = await Promise.all([reportingSchools(tx), schoolConfirmations(tx, month)]);
  const confirmed = new Set(done.map((d) => d.schoolId));
  return schools.filter((s) => !confirmed.has(s.schoolId)).sort(byTownThenSchool);
}

/** Towns having schools (with classes) and no town confirmation for the month, by name, with their schools still unconfirmed. */
export async function townsNotConfirmed(tx: Tx, month: string): Promise<{ townId: number; townName: string; schoolsNotConfirmed: string[] }[]> {
  const [progress, done] = await Promise.all([reportProgress(tx, month, { kind: 'county' }), townConfirmations(tx, month)]);
  const confirmed = new Set(done.map((d) => d.townId));
  return progress
    .filter((t) => !confirmed.has(t.townId))
    .map((t) => ({ townId: t.townId, townName: t.townName, schoolsNotConfirmed: t.schools.filter((s) => !s.confirmation).map((s) => s.schoolName) }));
}

export interface TownProgress {
  townId: number;
  townName: string;
  confirmation?: TownConfirmationRow;
  schools: { schoolId: number; schoolName: string; confirmation?: SchoolConfirmationRow }[];
}

/** Who has confirmed the month within an area (county: every town; town: its own; school: just that school), by town then school name. */
export async function reportProgress(
  tx: Tx,
  month: string,
  area: { kind: 'county' } | { kind: 'town'; townId: number } | { kind: 'school'; schoolId: number },
): Promise<TownProgress[]> {
  const where = area.kind === 'town' ? { townId: area.townId } : area.kind === 'school' ? { schoolId: area.schoolId } : {};
  const schools = (await reportingSchools(tx, where)).sort(byTownThenSchool);
  const [done, towns] = await Promise.all([schoolConfirmations(tx, month), townConfirmations(tx, month)]);
  const bySchool = new Map(done.map((c) => [c.schoolId, c]));
  const byTown = new Map(towns.map((c) => [c.townId, c]));
  const out = new Map<number, TownProgress>();
  for (const s of schools) {
    const t = out.get(s.townId) ?? { townId: s.townId, townName: s.townName, confirmation: byTown.get(s.townId), schools: [] };
    t.schools.push({ schoolId: s.schoolId, schoolName: s.schoolName, confirmation: bySchool.get(s.schoolId) });
    out.set(s.townId, t);
  }
  return [...out.values()];
}

/** On roll and dropped out in one stage (小学 / 初中). */
export interface StageFigures {
  onRoll: number;
  droppedOut: number;
}

export type Stages = Partial<Record<'primary' | 'junior', StageFigures>>;

/** The figures a month's report sums: a school's confirmed snapshot, a school's line in its town, a town's total. */
interface MonthFigures {
  onRoll: number;
  droppedOut: number;
  monthTruantDays: number;
  openCases: number;
  stages?: Stages;
}

/** What a principal confirms (MonthlyConfirmation.figures). `stages` is absent from snapshots written before it existed. */
export interface SchoolSnapshot extends MonthFigures {
  month: string;
  classes?: unknown[];
}

/** A school's line in a town's aggregate. */
export interface SchoolLine extends MonthFigures {
  schoolId: number;
  school: string;
}

/** What a town official confirms (TownConfirmation.figures): the sum of its schools' confirmed snapshots; `stages` only when every school's snapshot has it. */
export interface TownSnapshot extends MonthFigures {
  month: string;
  schools: SchoolLine[];
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function stagesOfJson(v: unknown): Stages | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const out: Stages = {};
  for (const k of ['primary', 'junior'] as const) {
    const st = (v as Record<string, unknown>)[k];
    if (st && typeof st === 'object') out[k] = { onRoll: count((st as StageFigures).onRoll), droppedOut: count((st as StageFigures).droppedOut) };
  }
  return out;
}

/** Reads a stored school snapshot; a figure missing from an old snapshot counts as 0. */
export function parseSchoolSnapshot(json: string, month: string): SchoolSnapshot {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const stages = stagesOfJson(raw['stages']);
  return {
    month: typeof raw['month'] === 'string' ? raw['month'] : month,
    onRoll: count(raw['onRoll']),
    droppedOut: count(raw['droppedOut']),
    monthTruantDays: count(raw['monthTruantDays']),
    openCases: count(raw['openCases']),
    ...(stages ? { stages } : {}),
  };
}

/** Sums the schools' confirmed snapshots into the town's; per-stage figures only if every school has them. */
export function townAggregate(month: string, schools: { schoolId: number; schoolName: string; snapshot: SchoolSnapshot }[]): TownSnapshot {
  const lines: SchoolLine[] = schools.map(({ schoolId, schoolName, snapshot: s }) => ({
    schoolId,
    school: schoolName,
    onRoll: s.onRoll,
    droppedOut: s.droppedOut,
    monthTruantDays: s.monthTruantDays,
    openCases: s.openCases,
    ...(s.stages ? { stages: s.stages } : {}),
  }));
  const sum = (k: 'onRoll' | 'droppedOut' | 'monthTruantDays' | 'openCases') => lines.reduce((n, l) => n + l[k], 0);
  let stages: Stages | undefined;
  if (lines.length > 0 && lines.every((l) => l.stages)) {
    stages = {};
    for (const k of ['primary', 'junior'] as const) {
      const having = lines.filter((l) => l.stages![k]);
      if (having.length)
        stages[k] = { onRoll: having.reduce((n, l) => n + l.stages![k]!.onRoll, 0), droppedOut: having.reduce((n, l) => n + l.stages![k]!.droppedOut, 0) };
    }
  }
  return {
    month,
    onRoll: sum('onRoll'),
    droppedOut: sum('droppedOut'),
    monthTruantDays: sum('monthTruantDays'),
    openCases: sum('openCases'),
    ...(stages ? { stages } : {}),
    schools: lines,
  };
}
