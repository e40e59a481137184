/**
 * Changes after confirmation, detected in one place: where records are sealed (an observer of every write
 * transaction, see onSealed). A new attendance mark or correction, or a register change, dated in a month the school
 * has confirmed and on or before the day it was confirmed, reopens that month: a MonthReopening row records the
 * confirmed figures and the same figures recomputed now, the town officials (and the principal) are told by DM with the
 * difference, and the month shows 待重新确认 until the principal confirms it again (a MonthReconfirmation row, next to
 * the first confirmation, never over it). Figures and class names only: no pupil is named.
 */
import { localDate } from '../clock.js';
import { onSealed, type SealedRow } from '../store/chain.repository.js';
import { peopleWithRole } from '../store/org.repository.js';
import { absencesByClass } from '../store/status.repository.js';
import type { Tx } from '../store/prisma.js';
import { addReconfirmation, addReopening, confirmedInMonths, isReconfirmed, monthRows, reopeningsOfMonth } from '../store/month-reopen.repository.js';
import { schoolAndClassOf } from '../store/student.repository.js';
import { townIdOfSchool } from '../store/place.repository.js';
import { dayLabel } from './format.js';
import { sendToPerson } from './messenger.js';
import { bySchool, classFigures, type ClassFigures } from './status.js';
import type { Deps } from './deps.js';
import { parseSchoolSnapshot, type SchoolSnapshot, type Stages } from './monthly-report.js';

/** The figures a principal confirms for a month, as of `asOf` (a day of that month). */
export async function schoolSnapshot(deps: Deps, tx: Tx, schoolId: number, month: string, asOf: string) {
  const rows = await classFigures(tx, { kind: 'school', schoolId }, asOf, deps.calendar, deps.policy);
  const [s] = bySchool(rows);
  if (!s) return undefined;
  const snapshot: SchoolSnapshot = {
    month,
    onRoll: s.onRoll,
    droppedOut: s.droppedOut,
    monthTruantDays: s.monthTruantDays,
    openCases: s.openCases,
    stages: stages(rows),
    classes: rows.map((r) => ({
      class: r.className,
      stage: r.stage,
      onRoll: r.onRoll,
      droppedOut: r.droppedOut,
      weeksReported: r.weeksReportedInMonth,
      absences: r.monthAbsences,
    })),
  };
  return { school: s, rows, snapshot, missingWeeks: rows.filter((r) => r.weeksReportedInMonth === 0).map((r) => r.className) };
}

function stages(rows: readonly ClassFigures[]): Stages {
  const out: Stages = {};
  for (const stage of ['primary', 'junior'] as const) {
    const cs = rows.filter((c) => c.stage === stage);
    if (cs.length) out[stage] = { onRoll: cs.reduce((n, c) => n + c.onRoll, 0), droppedOut: cs.reduce((n, c) => n + c.droppedOut, 0) };
  }
  return out;
}

/** The day a snapshot is taken as of: that day when the month is the current one, else the 28th (as 确认月报 does). */
export const snapshotDay = (month: string, today: string): string => (month === today.slice(0, 7) ? today : `${month}-28`);

/** The confirmation in force for a school's month (the latest of the first and any re-confirmations), and an open reopening. */
export async function monthState(tx: Tx, schoolId: number, month: string) {
  const { first, again, lastReopening: last } = await monthRows(tx, schoolId, month);
  const inForce = again ?? first ?? undefined;
  const open = last && !(await isReconfirmed(tx, last.id)) ? last : undefined;
  return { inForce, open };
}

/** Schools whose month is reopened and not yet re-confirmed. */
export async function reopenedSchools(tx: Tx, month: string): Promise<Set<number>> {
  const { opened, reconfirmedIds } = await reopeningsOfMonth(tx, month);
  const closed = new Set(reconfirmedIds);
  return new Set(opened.filter((o) => !closed.has(o.id)).map((o) => o.schoolId));
}

/** Records the principal's re-confirmation of an open reopening; false if someone did it a moment ago. */
export async function reconfirm(
  tx: Tx,
  r: { reopeningId: number; schoolId: number; month: string; figures: unknown; confirmedById: number; chatRef: string; confirmedAt: Date },
): Promise<boolean> {
  return addReconfirmation(tx, { ...r, figures: JSON.stringify(r.figures) });
}

interface Dated {
  table: string;
  id: number;
  studentId: number;
  date: string;
  byId: number;
  recordedAt: Date;
}

function datedRecords(sealed: readonly SealedRow[]): Dated[] {
  const at = (v: unknown) => (v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v)));
  return sealed.flatMap(({ table, row }): Dated[] => {
    if (table === 'AttendanceMark')
      return [
        {
          table,
          id: row.id,
          studentId: Number(row['studentId']),
          date: String(row['date']),
          byId: Number(row['reportedById']),
          recordedAt: at(row['recordedAt']),
        },
      ];
    if (table === 'RegisterEvent')
      return [
        { table, id: row.id, studentId: Number(row['studentId']), date: String(row['on']), byId: Number(row['byId']), recordedAt: at(row['recordedAt']) },
      ];
    return [];
  });
}

export function watchReopenings(deps: Deps): void {
  onSealed(deps.db, (tx, sealed) => reopenOnChange(deps, tx, sealed));
}

/** The observer: no query without dated records, one when no confirmed month is touched. True when it reopened a month. */
export async function reopenOnChange(deps: Deps, tx: Tx, sealed: readonly SealedRow[]): Promise<boolean> {
  const dated = datedRecords(sealed);
  if (dated.length === 0) return false;
  const months = [...new Set(dated.map((d) => d.date.slice(0, 7)))];
  const confirmed = await confirmedInMonths(tx, months);
  if (confirmed.length === 0) return false;
  const wanted = new Set(confirmed.map((c) => `${c.schoolId}|${c.month}`));
  const ids = [...new Set(dated.map((d) => d.studentId))];
  const place = await schoolAndClassOf(tx, ids);
  const touched = new Map<string, (Dated & { className: string })[]>();
  for (const d of dated) {
    const p = place.get(d.studentId);
    const key = p && `${p.schoolId}|${d.date.slice(0, 7)}`;
    if (p && key && wanted.has(key)) touched.set(key, [...(touched.get(key) ?? []), { ...d, className: p.className }]);
  }
  let reopened = false;
  for (const [key, records] of touched) {
    const [schoolId, month] = [Number(key.split('|')[0]), key.split('|')[1]!];
    reopened = (await reopenIfChanged(deps, tx, schoolId, month, records)) || reopened;
  }
  return reopened;
}

async function reopenIfChanged(deps: Deps, tx: Tx, schoolId: number, month: string, records: (Dated & { className: string })[]): Promise<boolean> {
  const { inForce, open } = await monthState(tx, schoolId, month);
  if (!inForce || open) return false; // already waiting for the principal: one notice per reopening
  const tz = deps.config.TIMEZONE;
  const confirmedDay = localDate(inForce.confirmedAt, tz);
  // Only a record written after the confirmation and dated on or before the day it was confirmed changes what was confirmed.
  const changes = records.filter((r) => r.recordedAt.getTime() > inForce.confirmedAt.getTime() && r.date <= confirmedDay);
  if (changes.length === 0) return false;
  const before = parseSchoolSnapshot(inForce.figures, month);
  const now = await schoolSnapshot(deps, tx, schoolId, month, snapshotDay(month, confirmedDay));
  if (!now) return false;
  // The month's absences as far as the confirmation reached: marks dated after that day are not a change to it.
  const absences = await absencesByClass(tx, { kind: 'school', schoolId }, `${month}-01`, confirmedDay, confirmedDay);
  now.snapshot.monthTruantDays = absences.filter((a) => a.status === 'truant').reduce((n, a) => n + a.days, 0);
  const first = changes[0]!;
  const at = deps.clock.now();
  await addReopening(tx, {
    schoolId,
    month,
    confirmedFigures: inForce.figures,
    currentFigures: JSON.stringify(now.snapshot),
    causeTable: first.table,
    causeRowId: first.id,
    byId: first.byId,
    reopenedAt: at,
  });
  const what = [...new Set(changes.map((c) => `${c.className} ${dayLabel(c.date)}的${c.table === 'RegisterEvent' ? '学籍变动' : '考勤'}`))].join('、');
  const confirmedOn = `${dayLabel(confirmedDay)}`;
  const text = [
    `${now.school.schoolName} ${month} 月报已于${confirmedOn}确认，之后又有改动：${what}。`,
    `与确认时相比：${difference(before, now.snapshot)}。`,
    `该月报已标记为“待重新确认”，需校长重新确认（回复：确认月报 ${month}）。`,
  ].join('\n');
  const townId = await townIdOfSchool(tx, schoolId);
  const [towns, principals] = await Promise.all([peopleWithRole(tx, 'town', { townId }), peopleWithRole(tx, 'principal', { schoolId })]);
  for (const p of [...towns, ...principals]) await sendToPerson(tx, at, p.id, text);
  return true;
}

const FIGURES = [
  ['onRoll', '在籍', '人'],
  ['droppedOut', '辍学', '人'],
  ['monthTruantDays', '本月旷课', '人次'],
  ['openCases', '进行中个案', '件'],
] as const;

/** "本月旷课 3→4 人次" for each figure that changed; the absences per class when only those changed. */
export function difference(before: SchoolSnapshot, now: SchoolSnapshot): string {
  const changed = FIGURES.filter(([k]) => before[k] !== now[k]).map(([k, label, unit]) => `${label} ${before[k]}→${now[k]} ${unit}`);
  return changed.length ? changed.join('，') : '上报的汇总数字没有变化（各班缺勤明细有改动）';
}
