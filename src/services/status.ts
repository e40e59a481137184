/** Figures people look at: per class, aggregated per school, for a day, a week or a month. No names. */
import type { Tx } from '../store/prisma.js';
import type { Area } from '../domain/org.js';
import type { AttendanceStatus, DateStr } from '../domain/types.js';
import { chronicAbsence, type AbsencePolicy } from '../domain/absence.js';
import { isoWeek } from '../domain/calendar.js';
import type { SchoolCalendar } from '../domain/calendar.js';
import { countsInForce } from '../store/weekly-count.repository.js';

export interface ClassFigures {
  classId: number;
  className: string;
  schoolId: number;
  schoolName: string;
  stage: string;
  onRoll: number;
  droppedOut: number;
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

async function classesIn(tx: Tx, area: Area) {
  const where =
    area.kind === 'county'
      ? {}
      : area.kind === 'town'
        ? { school: { townId: area.townId } }
        : area.kind === 'school'
          ? { schoolId: area.schoolId }
          : area.kind === 'class'
            ? { id: area.classId }
            : { students: { some: { villageId: area.villageId } } };
  return tx.schoolClass.findMany({ where, include: { school: true }, orderBy: [{ schoolId: 'asc' }, { stage: 'asc' }, { grade: 'asc' }, { classNo: 'asc' }] });
}

/** Weeks (ISO) whose Monday..Sunday touch the month's school days. */
export function weeksOfMonth(month: string, cal: SchoolCalendar): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const days = cal.schoolDaysBetween(`${month}-01`, `${month}-${String(last).padStart(2, '0')}`);
  return [...new Set(days.map(isoWeek))];
}

export async function classFigures(tx: Tx, area: Area, today: DateStr, cal: SchoolCalendar, policy: AbsencePolicy): Promise<ClassFigures[]> {
  const classes = await classesIn(tx, area);
  const ids = classes.map((c) => c.id);
  const villageFilter = area.kind === 'village' ? { villageId: area.villageId } : {};
  const students = await tx.student.findMany({ where: { classId: { in: ids }, ...villageFilter }, select: { id: true, classId: true, status: true } });
  const classOf = new Map(students.map((s) => [s.id, s.classId]));
  const month = today.slice(0, 7);
  const marks = await tx.attendanceMark.findMany({ where: { studentId: { in: [...classOf.keys()] }, date: { startsWith: month } }, orderBy: { id: 'asc' } });
  const effective = new Map<string, { studentId: number; date: string; status: string }>();
  for (const m of marks) effective.set(`${m.studentId}|${m.date}`, m);
  const taken = new Set((await tx.classAttendance.findMany({ where: { classId: { in: ids }, date: today } })).map((t) => t.classId));
  const week = isoWeek(today);
  const monthWeeks = weeksOfMonth(month, cal);
  const counts = await countsInForce(tx, ids, [...new Set([week, ...monthWeeks])]);
  const alerts = await tx.alert.findMany({ where: { status: 'open', studentId: { in: [...classOf.keys()] } }, select: { studentId: true } });
  const cases = await tx.dropoutCase.findMany({ where: { state: { notIn: ['returned', 'withdrawn'] }, studentId: { in: [...classOf.keys()] } }, select: { studentId: true } });
  const atRisk = await chronicallyAbsent(tx, students.filter((s) => s.status === 'enrolled').map((s) => s.id), today, cal, policy);

  return classes.map((c) => {
    const mine = students.filter((s) => s.classId === c.id);
    const f: ClassFigures = {
      classId: c.id,
      className: c.name,
      schoolId: c.schoolId,
      schoolName: c.school.name,
      stage: c.stage,
      onRoll: mine.filter((s) => s.status === 'enrolled').length,
      droppedOut: mine.filter((s) => s.status === 'dropped_out').length,
      takenToday: taken.has(c.id),
      absentToday: { sick: 0, personal: 0, truant: 0 },
      weekReported: counts.some((k) => k.classId === c.id && k.week === week),
      weeksReportedInMonth: counts.filter((k) => k.classId === c.id && monthWeeks.includes(k.week)).length,
      monthAbsences: { sick: 0, personal: 0, truant: 0 },
      openAlerts: alerts.filter((a) => classOf.get(a.studentId) === c.id).length,
      openCases: cases.filter((k) => classOf.get(k.studentId) === c.id).length,
      chronicAtRisk: [...atRisk].filter((id) => classOf.get(id) === c.id).length,
    };
    for (const m of effective.values()) {
      if (classOf.get(m.studentId) !== c.id || m.status === 'present') continue;
      const k = m.status as 'sick' | 'personal' | 'truant';
      f.monthAbsences[k] += 1;
      if (m.date === today) {
        f.absentToday[k] += 1;
        f.takenToday = true;
      }
    }
    return f;
  });
}

/** Students at risk by chronic absence this term (any reason counts). */
async function chronicallyAbsent(tx: Tx, studentIds: number[], today: DateStr, cal: SchoolCalendar, policy: AbsencePolicy): Promise<Set<number>> {
  const term = cal.termOf(today);
  if (!term) return new Set();
  const marks = await tx.attendanceMark.findMany({ where: { studentId: { in: studentIds }, date: { gte: term.start, lte: today } }, orderBy: { id: 'asc' } });
  const histories = new Map<number, Map<DateStr, AttendanceStatus>>();
  for (const m of marks) {
    if (!histories.has(m.studentId)) histories.set(m.studentId, new Map());
    histories.get(m.studentId)!.set(m.date, m.status as AttendanceStatus);
  }
  const out = new Set<number>();
  for (const [id, h] of histories) if (chronicAbsence(h, cal, term, today, policy).atRisk) out.add(id);
  return out;
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
    const s = map.get(r.schoolId) ?? { schoolId: r.schoolId, schoolName: r.schoolName, classes: [], onRoll: 0, droppedOut: 0, absentToday: 0, truantToday: 0, classesTaken: 0, classesReportedWeek: 0, monthTruantDays: 0, openAlerts: 0, openCases: 0, chronicAtRisk: 0 };
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
