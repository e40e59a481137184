/** Figures people look at: per class, aggregated per school, for a day, a week or a month. No names. */
import type { Tx } from '../store/prisma.js';
import type { Area } from '../domain/org.js';
import type { DateStr } from '../domain/types.js';
import { chronicAbsence, type AbsencePolicy } from '../domain/absence.js';
import { isoWeek } from '../domain/calendar.js';
import type { SchoolCalendar, TermConfig } from '../domain/calendar.js';
import { termDropoutCounts } from '../domain/rates.js';
import {
  absencesByClass,
  caseEventsByClass,
  chronicallyAbsentByClass,
  classesInArea,
  classAttendanceOn,
  openAlertsByClass,
  openCasesByClass,
  studentsByClassAndStatus,
  weeksCounted,
} from '../store/status.repository.js';

export interface ClassFigures {
  classId: number;
  className: string;
  schoolId: number;
  schoolName: string;
  stage: string;
  onRoll: number;
  /** On the dropout roster now (register status 辍学). */
  droppedOut: number;
  /** This term's confirmed dropouts and returns, as the monthly form counts them (the dropout rate's inputs). */
  droppedTerm: number;
  returnedTerm: number;
  takenToday: boolean;
  absentToday: { sick: number; personal: number; truant: number };
  weekReported: boolean;
  weeksReportedInMonth: number;
  monthAbsences: { sick: number; personal: number; truant: number };
  openAlerts: number;
  openCases: number;
  /** Students whose absences (any reason) reach the chronic-absence share of this term's school days so far. */
  chronicAtRisk: number;
}

/** Weeks (ISO) whose Monday..Sunday touch the month's school days. */
export function weeksOfMonth(month: string, cal: SchoolCalendar): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const days = cal.schoolDaysBetween(`${month}-01`, `${month}-${String(last).padStart(2, '0')}`);
  return [...new Set(days.map(isoWeek))];
}

type Triple = { sick: number; personal: number; truant: number };
const ABSENCE_KINDS = new Set(['sick', 'personal', 'truant']);

/** Per class of the area: each figure is one aggregate statement over the whole area, joined here by class id. */
export async function classFigures(
  tx: Tx,
  area: Area,
  today: DateStr,
  cal: SchoolCalendar,
  policy: AbsencePolicy,
  terms: readonly TermConfig[] = [],
): Promise<ClassFigures[]> {
  const month = today.slice(0, 7);
  const week = isoWeek(today);
  const monthWeeks = weeksOfMonth(month, cal);
  const term = rateTerm(today, cal, terms);
  const [classes, roll, absences, taken, counted, alerts, cases, atRisk, caseEvents] = await Promise.all([
    classesInArea(tx, area),
    studentsByClassAndStatus(tx, area),
    absencesByClass(tx, area, `${month}-01`, `${month}-31`, today),
    classAttendanceOn(tx, area, today),
    weeksCounted(tx, area, [...new Set([week, ...monthWeeks])]),
    openAlertsByClass(tx, area),
    openCasesByClass(tx, area),
    chronicallyAbsent(tx, area, today, cal, policy),
    term ? caseEventsByClass(tx, area, ['confirm', 'return']) : Promise.resolve([]),
  ]);
  const confirmed = new Set(caseEvents.filter((e) => e.type === 'confirm').map((e) => e.caseId));
  const eventsOf = new Map<number, typeof caseEvents>();
  for (const e of caseEvents) eventsOf.set(e.classId, (eventsOf.get(e.classId) ?? []).concat(e));
  const asOf = term && today < term.end ? today : (term?.end ?? today);
  const rollOf = new Map<number, { onRoll: number; droppedOut: number }>();
  for (const r of roll) {
    const f = rollOf.get(r.classId) ?? { onRoll: 0, droppedOut: 0 };
    if (r.status === 'enrolled') f.onRoll += r.n;
    if (r.status === 'dropped_out') f.droppedOut += r.n;
    rollOf.set(r.classId, f);
  }
  const absent = new Map<number, { month: Triple; today: Triple }>();
  for (const a of absences) {
    if (!ABSENCE_KINDS.has(a.status)) continue;
    const f = absent.get(a.classId) ?? { month: { sick: 0, personal: 0, truant: 0 }, today: { sick: 0, personal: 0, truant: 0 } };
    f.month[a.status as keyof Triple] += a.days;
    f.today[a.status as keyof Triple] += a.today;
    absent.set(a.classId, f);
  }
  const weeksOf = new Map<number, Set<string>>();
  for (const k of counted) weeksOf.set(k.classId, (weeksOf.get(k.classId) ?? new Set()).add(k.week));
  return classes.map((c) => {
    const a = absent.get(c.id);
    const absentToday = a ? a.today : { sick: 0, personal: 0, truant: 0 };
    const reported = weeksOf.get(c.id) ?? new Set<string>();
    return {
      classId: c.id,
      className: c.name,
      schoolId: c.schoolId,
      schoolName: c.school.name,
      stage: c.stage,
      onRoll: rollOf.get(c.id)?.onRoll ?? 0,
      droppedOut: rollOf.get(c.id)?.droppedOut ?? 0,
      ...(term ? termDropoutCounts(eventsOf.get(c.id) ?? [], term.start, asOf, confirmed) : { droppedTerm: 0, returnedTerm: 0 }),
      takenToday: taken.has(c.id) || absentToday.sick + absentToday.personal + absentToday.truant > 0,
      absentToday,
      weekReported: reported.has(week),
      weeksReportedInMonth: monthWeeks.filter((w) => reported.has(w)).length,
      monthAbsences: a ? a.month : { sick: 0, personal: 0, truant: 0 },
      openAlerts: alerts.get(c.id) ?? 0,
      openCases: cases.get(c.id) ?? 0,
      chronicAtRisk: atRisk.get(c.id) ?? 0,
    };
  });
}

/** The term the dropout rate covers: today's, or in a vacation the last one begun (as the monthly form reads it). */
export function rateTerm(today: DateStr, cal: SchoolCalendar, terms: readonly TermConfig[]): TermConfig | undefined {
  return cal.termOf(today) ?? [...terms].filter((t) => t.start <= today).sort((a, b) => (a.start < b.start ? 1 : -1))[0];
}

/** The fewest absent days among the term's school days so far that reach the chronic-absence share (the domain rule, asked). */
function chronicThreshold(days: DateStr[], cal: SchoolCalendar, term: TermConfig, asOf: DateStr, policy: AbsencePolicy): number | undefined {
  for (let k = 0; k <= days.length; k++) {
    const history = new Map(days.slice(0, k).map((d) => [d, 'sick' as const]));
    if (chronicAbsence(history, cal, term, asOf, policy).atRisk) return k;
  }
  return undefined;
}

/** Enrolled students at risk by chronic absence this term (any reason counts), per class. */
async function chronicallyAbsent(tx: Tx, area: Area, today: DateStr, cal: SchoolCalendar, policy: AbsencePolicy): Promise<Map<number, number>> {
  const term = cal.termOf(today);
  if (!term) return new Map();
  const days = cal.schoolDaysBetween(term.start, today < term.end ? today : term.end);
  const k = chronicThreshold(days, cal, term, today, policy);
  return k === undefined ? new Map() : chronicallyAbsentByClass(tx, area, term.start, today, days, k);
}

export interface SchoolFigures {
  schoolId: number;
  schoolName: string;
  classes: ClassFigures[];
  onRoll: number;
  droppedOut: number;
  absentToday: number;
  truantToday: number;
  classesTaken: number;
  classesReportedWeek: number;
  monthTruantDays: number;
  openAlerts: number;
  openCases: number;
  chronicAtRisk: number;
}

export function bySchool(rows: ClassFigures[]): SchoolFigures[] {
  const map = new Map<number, SchoolFigures>();
  for (const r of rows) {
    const s = map.get(r.schoolId) ?? {
      schoolId: r.schoolId,
      schoolName: r.schoolName,
      classes: [],
      onRoll: 0,
      droppedOut: 0,
      absentToday: 0,
      truantToday: 0,
      classesTaken: 0,
      classesReportedWeek: 0,
      monthTruantDays: 0,
      openAlerts: 0,
      openCases: 0,
      chronicAtRisk: 0,
    };
    s.classes.push(r);
    s.onRoll += r.onRoll;
    s.droppedOut += r.droppedOut;
    s.absentToday += r.absentToday.sick + r.absentToday.personal + r.absentToday.truant;
    s.truantToday += r.absentToday.truant;
    s.classesTaken += r.takenToday ? 1 : 0;
    s.classesReportedWeek += r.weekReported ? 1 : 0;
    s.monthTruantDays += r.monthAbsences.truant;
    s.openAlerts += r.openAlerts;
    s.openCases += r.openCases;
    s.chronicAtRisk += r.chronicAtRisk;
    map.set(r.schoolId, s);
  }
  return [...map.values()];
}
