/** Figures of a generated county computed from what the generator wrote (not from the database): what 情况 and the forms must say. */
import type { DateStr } from '../../src/domain/types.js';
import { isoWeek } from '../../src/domain/calendar.js';
import type { GeneratedCounty } from './big-county.js';

type R = Record<string, unknown> & { id: number };
const n = (v: unknown) => v as number;
const str = (v: unknown) => v as string;

export interface SchoolExpect {
  schoolId: number;
  name: string;
  townId: number;
  classes: number;
  onRoll: number;
  droppedOut: number;
  taken: number;
  absentToday: number;
  truantToday: number;
  weekly: number;
  monthTruant: number;
  alerts: number;
  cases: number;
  chronic: number;
}

/** 情况 per school as of `today`; chronic absence: at least `minAbsent` of the term's school days so far missed. */
export function expectedStatus(t: GeneratedCounty, today: DateStr, termDays: DateStr[], minAbsent: number): SchoolExpect[] {
  const classOf = new Map(t.student.map((s) => [s.id, n(s.classId)]));
  const schoolOfClass = new Map(t.schoolClass.map((c) => [c.id, n(c.schoolId)]));
  const schoolOf = (studentId: number) => schoolOfClass.get(classOf.get(studentId)!)!;
  const out = new Map<number, SchoolExpect>(
    t.school.map((s) => [
      s.id,
      {
        schoolId: s.id,
        name: str(s.name),
        townId: n(s.townId),
        classes: 0,
        onRoll: 0,
        droppedOut: 0,
        taken: 0,
        absentToday: 0,
        truantToday: 0,
        weekly: 0,
        monthTruant: 0,
        alerts: 0,
        cases: 0,
        chronic: 0,
      },
    ]),
  );
  for (const c of t.schoolClass) out.get(n(c.schoolId))!.classes++;
  for (const s of t.student) {
    const e = out.get(schoolOf(s.id))!;
    if (s.status === 'enrolled') e.onRoll++;
    if (s.status === 'dropped_out') e.droppedOut++;
  }
  const inForce = new Map<string, R>();
  for (const m of t.attendanceMark) inForce.set(`${m.studentId}|${m.date}`, m);
  const takenClasses = new Set(t.classAttendance.filter((a) => a.date === today).map((a) => n(a.classId)));
  const schoolDays = new Set(termDays);
  const absentDays = new Map<number, number>();
  for (const m of inForce.values()) {
    const e = out.get(schoolOf(n(m.studentId)))!;
    const absent = m.status !== 'present';
    if (absent && schoolDays.has(str(m.date)) && str(m.date) <= today) absentDays.set(n(m.studentId), (absentDays.get(n(m.studentId)) ?? 0) + 1);
    if (!absent) continue;
    if (str(m.date).slice(0, 7) === today.slice(0, 7) && m.status === 'truant') e.monthTruant++;
    if (m.date === today) {
      e.absentToday++;
      if (m.status === 'truant') e.truantToday++;
      takenClasses.add(classOf.get(n(m.studentId))!);
    }
  }
  for (const c of takenClasses) out.get(schoolOfClass.get(c)!)!.taken++;
  const week = isoWeek(today);
  for (const c of new Set(t.weeklyCount.filter((w) => w.week === week).map((w) => n(w.classId)))) out.get(schoolOfClass.get(c)!)!.weekly++;
  for (const a of t.alert) if (a.status === 'open') out.get(schoolOf(n(a.studentId)))!.alerts++;
  for (const d of t.dropoutCase) if (d.state !== 'returned' && d.state !== 'withdrawn') out.get(schoolOf(n(d.studentId)))!.cases++;
  const status = new Map(t.student.map((s) => [s.id, s.status]));
  for (const [id, k] of absentDays) if (k >= minAbsent && status.get(id) === 'enrolled') out.get(schoolOf(id))!.chronic++;
  return [...out.values()];
}

/** The lines 情况 prints for a school (as in src/core/commands/status.ts). */
export function statusLines(e: SchoolExpect): string[] {
  return [
    `${e.name}：在籍 ${e.onRoll} 人，辍学 ${e.droppedOut} 人`,
    `今天 ${e.taken}/${e.classes} 个班已报考勤，缺勤 ${e.absentToday}（旷课 ${e.truantToday}）；本周统计 ${e.weekly}/${e.classes} 个班已报`,
    `本月旷课 ${e.monthTruant} 人次；未解除预警 ${e.alerts}；进行中个案 ${e.cases}${e.chronic ? `；长期缺勤风险 ${e.chronic} 人` : ''}`,
  ];
}

export interface FormExpect {
  current: number;
  transferredIn: number;
  transferredOut: number;
  suspended: number;
  borrowing: number;
  droppedMonth: number;
  droppedTerm: number;
  returnedTerm: number;
  openCases: number;
}

/** The monthly form's totals for the students of the schools kept by `inScope`, term [from, asOf]. */
export function expectedForm(t: GeneratedCounty, inScope: (schoolId: number) => boolean, month: string, from: DateStr, asOf: DateStr): FormExpect {
  const schoolOfClass = new Map(t.schoolClass.map((c) => [c.id, n(c.schoolId)]));
  const mine = new Set(t.student.filter((s) => inScope(schoolOfClass.get(n(s.classId))!)).map((s) => s.id));
  const e: FormExpect = {
    current: 0,
    transferredIn: 0,
    transferredOut: 0,
    suspended: 0,
    borrowing: 0,
    droppedMonth: 0,
    droppedTerm: 0,
    returnedTerm: 0,
    openCases: 0,
  };
  for (const s of t.student) if (mine.has(s.id) && s.status === 'enrolled') e.current++;
  const field = { transferred_in: 'transferredIn', transferred_out: 'transferredOut', suspended: 'suspended', borrowing: 'borrowing' } as const;
  for (const r of t.registerEvent) if (mine.has(n(r.studentId)) && str(r.on) >= from && str(r.on) <= asOf) e[field[str(r.change) as keyof typeof field]]++;
  const caseOf = new Map(t.dropoutCase.map((d) => [d.id, d]));
  const confirmed = new Set(t.caseEvent.filter((x) => x.type === 'confirm').map((x) => n(x.caseId)));
  for (const x of t.caseEvent) {
    if (!mine.has(n(caseOf.get(n(x.caseId))!.studentId))) continue;
    const p = JSON.parse(str(x.payload)) as { at: string; returnedOn?: string };
    if (x.type === 'confirm' && p.at >= from && p.at <= asOf) {
      e.droppedTerm++;
      if (p.at.startsWith(month)) e.droppedMonth++;
    }
    if (x.type === 'return' && confirmed.has(n(x.caseId)) && (p.returnedOn ?? p.at) >= from && (p.returnedOn ?? p.at) <= asOf) e.returnedTerm++;
  }
  for (const d of t.dropoutCase) if (mine.has(n(d.studentId)) && d.state !== 'returned' && d.state !== 'withdrawn') e.openCases++;
  return e;
}
