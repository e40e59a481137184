/**
 * Attendance marks: append-only; the latest mark per (student, date) is in force. A class-taken row
 * (ClassAttendance) says the class's attendance was taken that day: an unmarked pupil of that class was present.
 * A school day with neither is unknown for the pupil (domain/absence.ts).
 */
import { Prisma, type AttendanceMark } from '../../generated/prisma/client.js';
import { dialect, type Tx } from './prisma.js';
import type { AttendanceStatus, DateStr } from '../domain/types.js';
import { columns, int, MARK_COLUMNS, markRow, text, type Raw } from './raw-rows.js';
import { executeStatement, queryRows } from './direct.js';
import { alertedUnmarkedOn, alertedUnmarkedQuery } from './alert.repository.js';

export interface MarkInput {
  studentId: number;
  date: DateStr;
  status: AttendanceStatus;
  note?: string;
  reportedById: number;
  chatRef: string;
  at: Date;
}

// The hot path's reads and writes here are SQL (raw-rows.ts): each message that records attendance runs several.
const MARK = columns(MARK_COLUMNS);

export async function currentMark(db: Tx, studentId: number, date: DateStr): Promise<AttendanceMark | null> {
  const rows = await queryRows<Raw<AttendanceMark>>(
    db,
    Prisma.sql`SELECT ${MARK} FROM "AttendanceMark" WHERE "studentId" = ${studentId} AND "date" = ${date} ORDER BY "id" DESC LIMIT 1`,
  );
  return rows[0] ? markRow(rows[0]) : null;
}

/** Appends a mark; returns it and the mark it supersedes (if any). */
export async function addMark(db: Tx, m: MarkInput): Promise<{ row: AttendanceMark; previous: AttendanceMark | null }> {
  const previous = await currentMark(db, m.studentId, m.date);
  const values = [m.studentId, m.date, m.status, m.note ?? null, m.reportedById, m.chatRef, m.at, previous?.id ?? null];
  const rows = await queryRows<Raw<AttendanceMark>>(
    db,
    Prisma.sql`INSERT INTO "AttendanceMark" (${columns(MARK_COLUMNS.slice(1))}) VALUES (${Prisma.join(values)}) RETURNING ${MARK}`,
  );
  return { row: markRow(rows[0]!), previous };
}

/** Effective marks of a student from a date on (latest per date). */
export async function historyOf(db: Tx, studentId: number, from: DateStr): Promise<Map<DateStr, AttendanceStatus>> {
  const rows = await queryRows<{ date: unknown; status: unknown }>(
    db,
    Prisma.sql`SELECT "date", "status" FROM "AttendanceMark" WHERE "studentId" = ${studentId} AND "date" >= ${from} ORDER BY "id" ASC`,
  );
  const map = new Map<DateStr, AttendanceStatus>();
  for (const r of rows) map.set(text(r.date), text(r.status) as AttendanceStatus);
  return map;
}

/** Effective marks of many students from a date on (latest per date), in chunks of 500 students. */
export async function historiesOf(db: Tx, studentIds: readonly number[], from: DateStr): Promise<Map<number, Map<DateStr, AttendanceStatus>>> {
  const out = new Map<number, Map<DateStr, AttendanceStatus>>(studentIds.map((id) => [id, new Map()]));
  for (let i = 0; i < studentIds.length; i += 500) {
    const rows = await queryRows<{ studentId: unknown; date: unknown; status: unknown }>(
      db,
      Prisma.sql`SELECT "studentId", "date", "status" FROM "AttendanceMark" WHERE "studentId" IN (${Prisma.join(studentIds.slice(i, i + 500))}) AND "date" >= ${from} ORDER BY "id" ASC`,
    );
    for (const r of rows) out.get(int(r.studentId))!.set(text(r.date), text(r.status) as AttendanceStatus);
  }
  return out;
}

/** Effective marks of a class on one date: studentId → status. */
export async function classMarksOn(db: Tx, classId: number, date: DateStr): Promise<Map<number, AttendanceStatus>> {
  const rows = await queryRows<{ studentId: unknown; status: unknown }>(
    db,
    Prisma.sql`SELECT "studentId", "status" FROM "AttendanceMark" WHERE "date" = ${date} AND "studentId" IN (${pupilsOf(classId)}) ORDER BY "id" ASC`,
  );
  const map = new Map<number, AttendanceStatus>();
  for (const r of rows) map.set(int(r.studentId), text(r.status) as AttendanceStatus);
  return map;
}

/** The ids of a class's pupils (whatever their status), as a subquery. */
function pupilsOf(classId: number): Prisma.Sql {
  return Prisma.sql`SELECT "id" FROM "Student" WHERE "classId" = ${classId}`;
}

/**
 * Records that the class's attendance was taken that day (once: a second report the same day adds no row). One
 * statement: the row is inserted only where the class has none for the day (the write lock makes the check and the
 * insert one step).
 */
export async function markClassTaken(db: Tx, classId: number, date: DateStr, personId: number, chatRef: string, at: Date): Promise<void> {
  await executeStatement(db, classTakenInsert(db, classId, date, personId, chatRef, at));
}

function classTakenInsert(db: Tx, classId: number, date: DateStr, personId: number, chatRef: string, at: Date): Prisma.Sql {
  // In a SELECT list PostgreSQL cannot tell a bound value's type from the column it goes to, as it does in VALUES.
  const row =
    dialect(db) === 'postgresql'
      ? Prisma.sql`CAST(${classId} AS INTEGER), CAST(${date} AS TEXT), CAST(${personId} AS INTEGER), CAST(${chatRef} AS TEXT), CAST(${at} AS TIMESTAMP(3))`
      : Prisma.sql`${classId}, ${date}, ${personId}, ${chatRef}, ${at}`;
  return Prisma.sql`INSERT INTO "ClassAttendance" ("classId", "date", "reportedById", "chatRef", "recordedAt") SELECT ${row}
      WHERE NOT EXISTS (SELECT 1 FROM "ClassAttendance" WHERE "classId" = ${classId} AND "date" = ${date})`;
}

/**
 * A class teacher's attendance for the class that day: records it taken (markClassTaken) and returns the pupils it
 * counts as present without a word (alertedUnmarkedOn). On PostgreSQL one round trip under the write lock: the insert
 * goes as a data-modifying WITH, which runs whether or not the query reads it (the query does not read its table).
 */
export async function takeClassAttendance(db: Tx, classId: number, date: DateStr, personId: number, chatRef: string, at: Date): Promise<number[]> {
  if (dialect(db) !== 'postgresql') {
    await markClassTaken(db, classId, date, personId, chatRef, at);
    return alertedUnmarkedOn(db, classId, date);
  }
  const rows = await queryRows<{ studentId: unknown }>(
    db,
    Prisma.sql`WITH "taken" AS (${classTakenInsert(db, classId, date, personId, chatRef, at)}) ${alertedUnmarkedQuery(classId, date)}`,
  );
  return rows.map((r) => int(r.studentId));
}

/**
 * A mark the teacher actually stated. Old versions wrote a bare 'present' (no note) for alerted pupils a class
 * teacher did not list; such a mark is implicit, like a class-taken day, and a later 缺勤 may replace it.
 */
export function isStatement(m: { status: string; note: string | null }): boolean {
  return !(m.status === 'present' && m.note === null);
}

/** Marks in force of a class on one date with their notes: studentId → mark row. */
export async function classMarkRowsOn(db: Tx, classId: number, date: DateStr): Promise<Map<number, AttendanceMark>> {
  const rows = await queryRows<Raw<AttendanceMark>>(
    db,
    Prisma.sql`SELECT ${MARK} FROM "AttendanceMark" WHERE "date" = ${date} AND "studentId" IN (${pupilsOf(classId)}) ORDER BY "id" ASC`,
  );
  const map = new Map<number, AttendanceMark>();
  for (const r of rows.map(markRow)) map.set(r.studentId, r);
  return map;
}

/** Days from `from` on when each of these classes took attendance (chunks of 500 classes). */
export async function takenDaysOf(db: Tx, classIds: readonly number[], from: DateStr): Promise<Map<number, Set<DateStr>>> {
  const ids = [...new Set(classIds)];
  const out = new Map<number, Set<DateStr>>(ids.map((id) => [id, new Set()]));
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await queryRows<{ classId: unknown; date: unknown }>(
      db,
      Prisma.sql`SELECT "classId", "date" FROM "ClassAttendance" WHERE "classId" IN (${Prisma.join(ids.slice(i, i + 500))}) AND "date" >= ${from}`,
    );
    for (const r of rows) out.get(int(r.classId))!.add(text(r.date));
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
