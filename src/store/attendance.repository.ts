/**
 * Attendance marks: append-only; the latest mark per (student, date) is in force. A class-taken row
 * (ClassAttendance) says the class's attendance was taken that day: an unmarked pupil of that class was present.
 * A school day with neither is unknown for the pupil (domain/absence.ts).
 */
import type { Tx } from './prisma.js';
import type { AttendanceStatus, DateStr } from '../domain/types.js';

export interface MarkInput {
  studentId: number;
  date: DateStr;
  status: AttendanceStatus;
  note?: string;
  reportedById: number;
  chatRef: string;
  at: Date;
}

export async function currentMark(db: Tx, studentId: number, date: DateStr) {
  return db.attendanceMark.findFirst({ where: { studentId, date }, orderBy: { id: 'desc' } });
}

/** Appends a mark; returns it and the mark it supersedes (if any). */
export async function addMark(db: Tx, m: MarkInput) {
  const previous = await currentMark(db, m.studentId, m.date);
  const row = await db.attendanceMark.create({
    data: {
      studentId: m.studentId,
      date: m.date,
      status: m.status,
      note: m.note ?? null,
      reportedById: m.reportedById,
      chatRef: m.chatRef,
      recordedAt: m.at,
      supersedesId: previous?.id ?? null,
    },
  });
  return { row, previous };
}

/** Effective marks of a student from a date on (latest per date). */
export async function historyOf(db: Tx, studentId: number, from: DateStr): Promise<Map<DateStr, AttendanceStatus>> {
  const rows = await db.attendanceMark.findMany({ where: { studentId, date: { gte: from } }, orderBy: { id: 'asc' } });
  const map = new Map<DateStr, AttendanceStatus>();
  for (const r of rows) map.set(r.date, r.status as AttendanceStatus);
  return map;
}

/** Effective marks of many students from a date on (latest per date), in chunks of 500 students. */
export async function historiesOf(db: Tx, studentIds: readonly number[], from: DateStr): Promise<Map<number, Map<DateStr, AttendanceStatus>>> {
  const out = new Map<number, Map<DateStr, AttendanceStatus>>(studentIds.map((id) => [id, new Map()]));
  for (let i = 0; i < studentIds.length; i += 500) {
    const rows = await db.attendanceMark.findMany({
      where: { studentId: { in: studentIds.slice(i, i + 500) }, date: { gte: from } },
      orderBy: { id: 'asc' },
      select: { studentId: true, date: true, status: true },
    });
    for (const r of rows) out.get(r.studentId)!.set(r.date, r.status as AttendanceStatus);
  }
  return out;
}

/** Effective marks of a class on one date: studentId → status. */
export async function classMarksOn(db: Tx, classId: number, date: DateStr): Promise<Map<number, AttendanceStatus>> {
  const rows = await db.attendanceMark.findMany({ where: { date, studentId: { in: await studentIdsOf(db, classId) } }, orderBy: { id: 'asc' } });
  const map = new Map<number, AttendanceStatus>();
  for (const r of rows) map.set(r.studentId, r.status as AttendanceStatus);
  return map;
}

async function studentIdsOf(db: Tx, classId: number): Promise<number[]> {
  return (await db.student.findMany({ where: { classId }, select: { id: true } })).map((s) => s.id);
}

/** Records that the class's attendance was taken that day (once: a second report the same day adds no row). */
export async function markClassTaken(db: Tx, classId: number, date: DateStr, personId: number, chatRef: string, at: Date): Promise<void> {
  if (await db.classAttendance.findFirst({ where: { classId, date }, select: { id: true } })) return;
  await db.classAttendance.create({ data: { classId, date, reportedById: personId, chatRef, recordedAt: at } });
}

/**
 * A mark the teacher actually stated. Old versions wrote a bare 'present' (no note) for alerted pupils a class
 * teacher did not list; such a mark is implicit, like a class-taken day, and a later 缺勤 may replace it.
 */
export function isStatement(m: { status: string; note: string | null }): boolean {
  return !(m.status === 'present' && m.note === null);
}

/** Marks in force of a class on one date with their notes: studentId → mark row. */
export async function classMarkRowsOn(db: Tx, classId: number, date: DateStr) {
  const rows = await db.attendanceMark.findMany({ where: { date, studentId: { in: await studentIdsOf(db, classId) } }, orderBy: { id: 'asc' } });
  const map = new Map<number, (typeof rows)[number]>();
  for (const r of rows) map.set(r.studentId, r);
  return map;
}

/** Days from `from` on when each of these classes took attendance (chunks of 500 classes). */
export async function takenDaysOf(db: Tx, classIds: readonly number[], from: DateStr): Promise<Map<number, Set<DateStr>>> {
  const ids = [...new Set(classIds)];
  const out = new Map<number, Set<DateStr>>(ids.map((id) => [id, new Set()]));
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.classAttendance.findMany({
      where: { classId: { in: ids.slice(i, i + 500) }, date: { gte: from } },
      select: { classId: true, date: true },
    });
    for (const r of rows) out.get(r.classId)!.add(r.date);
  }
  return out;
}

/**
 * What is known of many pupils' attendance from a date on: their marks in force, and 'present' on the days their
 * class took attendance without marking them. Days missing from a map are unknown. A few set-based reads.
 */
export async function knownHistoriesOf(
  db: Tx,
  students: readonly { id: number; classId: number }[],
  from: DateStr,
): Promise<Map<number, Map<DateStr, AttendanceStatus>>> {
  const [marks, taken] = await Promise.all([
    historiesOf(
      db,
      students.map((s) => s.id),
      from,
    ),
    takenDaysOf(
      db,
      students.map((s) => s.classId),
      from,
    ),
  ]);
  for (const s of students) {
    const h = marks.get(s.id)!;
    for (const d of taken.get(s.classId) ?? []) if (!h.has(d)) h.set(d, 'present');
  }
  return marks;
}
