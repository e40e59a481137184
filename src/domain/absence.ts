/**
 * The graduated absence ladder as county rules write it: 1 unexcused school day → the class teacher calls the
 * family; 2 consecutive → joint home visit by both lines; 3+ → suspected-dropout ledger, the town is told.
 * Chronic absence (any reason) marks a student at risk. Pure: dates and history are arguments.
 *
 * Known and unknown days. A school day is KNOWN for a pupil when the pupil has a mark that day, or attendance was
 * taken for the pupil's class that day (then an unmarked pupil was present). Otherwise it is UNKNOWN: nobody said
 * anything, so it neither breaks nor extends a streak. The ladder counts the known unexcused school days in a row,
 * looking across unknown days: Mon truant, Tue unknown, Wed truant is a streak of 2 on Wed (the joint home visit).
 *
 * How far back a streak reaches across gaps: only within the term of its last day (a new term starts afresh, and
 * the return check covers the first day back), and across at most MAX_UNKNOWN_RUN (5) unknown school days in a
 * row — one school week. A longer silence ends the streak: a week nobody recorded is not evidence either way, and
 * linking absences a fortnight apart would send a joint home visit on no real evidence.
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

/**
 * Effective mark per date (latest correction applied), with 'present' on days the pupil's class took attendance
 * and the pupil was not marked. A missing school day is UNKNOWN (see above).
 */
export type AttendanceHistory = ReadonlyMap<DateStr, AttendanceStatus>;

export const LADDER_STEPS = ['call_family', 'joint_home_visit', 'suspected_dropout'] as const;
export type LadderStep = (typeof LADDER_STEPS)[number];
export const LADDER_STEP_LABELS: Record<LadderStep, string> = {
  call_family: '请班主任联系家长',
  joint_home_visit: '两天未到校，学校与村里联合家访',
  suspected_dropout: '列入疑似辍学台账，报镇里',
};

/** Unknown school days in a row that a streak may look across; a longer run ends it. */
export const MAX_UNKNOWN_RUN = 5;

/**
 * Known unexcused school days in a row ending at `asOf` (inclusive). Non-school days and unknown school days are
 * skipped (up to MAX_UNKNOWN_RUN unknown days in a row), a known day present or excused ends it, and it never
 * reaches into an earlier term. `since` is the streak's first (known) day.
 */
export function consecutiveUnexcusedSchoolDays(history: AttendanceHistory, calendar: SchoolCalendar, asOf: DateStr): { days: number; since?: DateStr } {
  let days = 0;
  let since: DateStr | undefined;
  let unknownRun = 0;
  let d: DateStr | undefined = calendar.isSchoolDay(asOf) ? asOf : calendar.previousSchoolDay(asOf);
  const term = d ? calendar.termOf(d) : undefined;
  while (d && (!term || d >= term.start)) {
    const mark = history.get(d);
    if (mark === undefined) {
      if (++unknownRun > MAX_UNKNOWN_RUN) break;
    } else {
      if (!isUnexcused(mark)) break;
      unknownRun = 0;
      days++;
      since = d;
    }
    d = calendar.previousSchoolDay(d);
  }
  return since ? { days, since } : { days };
}

/** The school days of the week before `day` (the five school days before it, oldest first). */
export function recentSchoolDays(calendar: SchoolCalendar, day: DateStr, count = MAX_UNKNOWN_RUN): DateStr[] {
  const out: DateStr[] = [];
  let d = calendar.previousSchoolDay(day);
  const term = calendar.termOf(day);
  while (d && out.length < count && (!term || d >= term.start)) {
    out.unshift(d);
    d = calendar.previousSchoolDay(d);
  }
  return out;
}

/**
 * The policy while a returned pupil is followed (跟踪中, after 复学): one unexcused day goes straight to the joint
 * home visit (the class teacher is on it, so no separate call step); the suspected-dropout step is unchanged.
 */
export function followUpPolicy(policy: AbsencePolicy): AbsencePolicy {
  return { ...policy, callAfterDays: Number.POSITIVE_INFINITY, jointVisitAfterDays: 1 };
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
