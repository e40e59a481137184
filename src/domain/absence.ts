/**
 * The graduated absence ladder as county rules write it: 1 unexcused school day → the class teacher calls the
 * family; 2 consecutive → joint home visit by both lines; 3+ → suspected-dropout ledger, the town is told.
 * Chronic absence (any reason) marks a student at risk. Pure: dates and history are arguments.
 */
import type { AttendanceStatus, DateStr } from './types.js';
import { isUnexcused } from './types.js';
import type { SchoolCalendar, TermConfig } from './calendar.js';

export interface AbsencePolicy {
  callAfterDays: number;
  jointVisitAfterDays: number;
  suspectedDropoutAfterDays: number;
  chronicAbsenceRatio: number;
}

export const DEFAULT_ABSENCE_POLICY: AbsencePolicy = {
  callAfterDays: 1,
  jointVisitAfterDays: 2,
  suspectedDropoutAfterDays: 3,
  chronicAbsenceRatio: 0.1,
};

/** Effective mark per date (latest correction applied); a missing date counts as present. */
export type AttendanceHistory = ReadonlyMap<DateStr, AttendanceStatus>;

export const LADDER_STEPS = ['call_family', 'joint_home_visit', 'suspected_dropout'] as const;
export type LadderStep = (typeof LADDER_STEPS)[number];
export const LADDER_STEP_LABELS: Record<LadderStep, string> = {
  call_family: '请班主任联系家长',
  joint_home_visit: '两天未到校，学校与村里联合家访',
  suspected_dropout: '列入疑似辍学台账，报镇里',
};

/**
 * Consecutive unexcused school days ending at `asOf` (inclusive). Non-school days are skipped without breaking
 * the streak; a school day present or excused ends it. `since` is the streak's first day.
 */
export function consecutiveUnexcusedSchoolDays(history: AttendanceHistory, calendar: SchoolCalendar, asOf: DateStr): { days: number; since?: DateStr } {
  let days = 0;
  let since: DateStr | undefined;
  let d: DateStr | undefined = calendar.isSchoolDay(asOf) ? asOf : calendar.previousSchoolDay(asOf);
  while (d) {
    const mark = history.get(d);
    if (!mark || !isUnexcused(mark)) break;
    days++;
    since = d;
    d = calendar.previousSchoolDay(d);
  }
  return since ? { days, since } : { days };
}

/** Every step reached by a streak of `days`, in ladder order. */
export function ladderSteps(days: number, policy: AbsencePolicy): LadderStep[] {
  const thresholds: [LadderStep, number][] = [
    ['call_family', policy.callAfterDays],
    ['joint_home_visit', policy.jointVisitAfterDays],
    ['suspected_dropout', policy.suspectedDropoutAfterDays],
  ];
  return thresholds.filter(([, n]) => days >= n).map(([s]) => s);
}

/** Share of the term's school days up to `asOf` missed for any reason. */
export function chronicAbsence(history: AttendanceHistory, calendar: SchoolCalendar, term: TermConfig, asOf: DateStr, policy: AbsencePolicy) {
  const end = asOf < term.end ? asOf : term.end;
  const days = calendar.schoolDaysBetween(term.start, end);
  const absentDays = days.filter((d) => {
    const m = history.get(d);
    return m !== undefined && m !== 'present';
  }).length;
  const ratio = days.length === 0 ? 0 : absentDays / days.length;
  return { schoolDays: days.length, absentDays, ratio, atRisk: days.length > 0 && ratio >= policy.chronicAbsenceRatio };
}
