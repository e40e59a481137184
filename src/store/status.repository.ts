/**
 * What `情况` reads, aggregated per class in the database: one statement per figure for the whole area, whatever
 * its size (no id lists are bound; the only lists are a month's weeks and a term's school days).
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import type { Area } from '../domain/org.js';
import type { DateStr } from '../domain/types.js';
import { classesOfArea, MARK_IN_FORCE, num, studentsOfArea } from './area-sql.js';

/** Joins a student s to their class c and school sc. */
const PLACE = Prisma.sql`JOIN "SchoolClass" c ON c."id" = s."classId" JOIN "School" sc ON sc."id" = c."schoolId"`;

/** The area's classes with their school, in school, stage, grade, class order. */
export async function classesInArea(tx: Tx, area: Area) {
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
  return tx.schoolClass.findMany({
    where,
    select: { id: true, name: true, schoolId: true, stage: true, school: { select: { name: true } } },
    orderBy: [{ schoolId: 'asc' }, { stage: 'asc' }, { grade: 'asc' }, { classNo: 'asc' }],
  });
}

/** Students per class and register status. */
export async function studentsByClassAndStatus(tx: Tx, area: Area): Promise<{ classId: number; status: string; n: number }[]> {
  const rows = await tx.$queryRaw<{ classId: number; status: string; n: unknown }[]>(
    Prisma.sql`SELECT s."classId" AS "classId", s."status" AS "status", COUNT(*) AS "n" FROM "Student" s ${PLACE} WHERE ${studentsOfArea(area)} GROUP BY s."classId", s."status"`,
  );
  return rows.map((r) => ({ classId: num(r.classId), status: r.status, n: num(r.n) }));
}

/** Absences in force (any status but present) per class and status: over [from, to], and on `today`. */
export async function absencesByClass(
  tx: Tx,
  area: Area,
  from: DateStr,
  to: DateStr,
  today: DateStr,
): Promise<{ classId: number; status: string; days: number; today: number }[]> {
  const rows = await tx.$queryRaw<{ classId: number; status: string; days: unknown; today: unknown }[]>(
    Prisma.sql`SELECT s."classId" AS "classId", m."status" AS "status", COUNT(*) AS "days", SUM(CASE WHEN m."date" = ${today} THEN 1 ELSE 0 END) AS "today"
      FROM "AttendanceMark" m JOIN "Student" s ON s."id" = m."studentId" ${PLACE}
      WHERE m."date" >= ${from} AND m."date" <= ${to} AND m."status" <> 'present' AND ${MARK_IN_FORCE} AND ${studentsOfArea(area)}
      GROUP BY s."classId", m."status"`,
  );
  return rows.map((r) => ({ classId: num(r.classId), status: r.status, days: num(r.days), today: num(r.today) }));
}

/** Classes of the area whose attendance was recorded as taken (今天全到) on a date. */
export async function classAttendanceOn(tx: Tx, area: Area, date: DateStr): Promise<Set<number>> {
  const rows = await tx.$queryRaw<{ classId: number }[]>(
    Prisma.sql`SELECT DISTINCT a."classId" AS "classId" FROM "ClassAttendance" a JOIN "SchoolClass" c ON c."id" = a."classId" JOIN "School" sc ON sc."id" = c."schoolId" WHERE a."date" = ${date} AND ${classesOfArea(area)}`,
  );
  return new Set(rows.map((r) => num(r.classId)));
}

/** The (class, week) pairs with a weekly count, for the given weeks. */
export async function weeksCounted(tx: Tx, area: Area, weeks: string[]): Promise<{ classId: number; week: string }[]> {
  if (weeks.length === 0) return [];
  const rows = await tx.$queryRaw<{ classId: number; week: string }[]>(
    Prisma.sql`SELECT w."classId" AS "classId", w."week" AS "week" FROM "WeeklyCount" w JOIN "SchoolClass" c ON c."id" = w."classId" JOIN "School" sc ON sc."id" = c."schoolId"
      WHERE w."week" IN (${Prisma.join(weeks)}) AND ${classesOfArea(area)} GROUP BY w."classId", w."week"`,
  );
  return rows.map((r) => ({ classId: num(r.classId), week: r.week }));
}

/** Open alerts per class (alerts, not students: a student may have several). */
export async function openAlertsByClass(tx: Tx, area: Area): Promise<Map<number, number>> {
  const rows = await tx.$queryRaw<{ classId: number; n: unknown }[]>(
    Prisma.sql`SELECT s."classId" AS "classId", COUNT(*) AS "n" FROM "Alert" a JOIN "Student" s ON s."id" = a."studentId" ${PLACE} WHERE a."status" = 'open' AND ${studentsOfArea(area)} GROUP BY s."classId"`,
  );
  return new Map(rows.map((r) => [num(r.classId), num(r.n)]));
}

/** Open dropout cases (neither returned nor withdrawn) per class. */
export async function openCasesByClass(tx: Tx, area: Area): Promise<Map<number, number>> {
  const rows = await tx.$queryRaw<{ classId: number; n: unknown }[]>(
    Prisma.sql`SELECT s."classId" AS "classId", COUNT(*) AS "n" FROM "DropoutCase" d JOIN "Student" s ON s."id" = d."studentId" ${PLACE}
      WHERE d."state" NOT IN ('returned', 'withdrawn') AND ${studentsOfArea(area)} GROUP BY s."classId"`,
  );
  return new Map(rows.map((r) => [num(r.classId), num(r.n)]));
}

/**
 * Enrolled students per class having at least `minAbsent` absences in force on the given school days (with
 * `minAbsent` 0: every enrolled student with any mark in force within [from, to], as the chronic-absence rule reads).
 * A county or town counts each student's marks first and places the few found (reading the term's marks once); a
 * school, class or village reaches its students' marks through them.
 */
export async function chronicallyAbsentByClass(
  tx: Tx,
  area: Area,
  from: DateStr,
  to: DateStr,
  schoolDays: DateStr[],
  minAbsent: number,
): Promise<Map<number, number>> {
  if (schoolDays.length === 0) return new Map();
  const absent = minAbsent > 0 ? Prisma.sql`m."status" <> 'present' AND m."date" IN (${Prisma.join(schoolDays)})` : Prisma.sql`1 = 1`;
  const marks = Prisma.sql`m."date" >= ${from} AND m."date" <= ${to} AND ${absent} AND ${MARK_IN_FORCE}`;
  const rows = await tx.$queryRaw<{ classId: number; n: unknown }[]>(
    area.kind === 'county' || area.kind === 'town'
      ? Prisma.sql`SELECT s."classId" AS "classId", COUNT(*) AS "n" FROM (
            SELECT m."studentId" AS "studentId" FROM "AttendanceMark" m WHERE ${marks} GROUP BY m."studentId" HAVING COUNT(*) >= ${minAbsent}
          ) x JOIN "Student" s ON s."id" = x."studentId" ${PLACE} WHERE s."status" = 'enrolled' AND ${studentsOfArea(area)} GROUP BY s."classId"`
      : Prisma.sql`SELECT t."classId" AS "classId", COUNT(*) AS "n" FROM (
            SELECT s."classId" AS "classId", m."studentId" AS "studentId" FROM "AttendanceMark" m JOIN "Student" s ON s."id" = m."studentId" ${PLACE}
            WHERE ${marks} AND s."status" = 'enrolled' AND ${studentsOfArea(area)} GROUP BY s."classId", m."studentId" HAVING COUNT(*) >= ${minAbsent}
          ) t GROUP BY t."classId"`,
  );
  return new Map(rows.map((r) => [num(r.classId), num(r.n)]));
}

/** Case events of the given types (confirm, return) with the student's class, for the area; in id order. */
export async function caseEventsByClass(tx: Tx, area: Area, types: string[]): Promise<{ classId: number; caseId: number; type: string; payload: string }[]> {
  const rows = await tx.$queryRaw<{ classId: number; caseId: number; type: string; payload: string }[]>(
    Prisma.sql`SELECT s."classId" AS "classId", e."caseId" AS "caseId", e."type" AS "type", e."payload" AS "payload"
      FROM "CaseEvent" e JOIN "DropoutCase" d ON d."id" = e."caseId" JOIN "Student" s ON s."id" = d."studentId" ${PLACE}
      WHERE e."type" IN (${Prisma.join(types)}) AND ${studentsOfArea(area)} ORDER BY e."id"`,
  );
  return rows.map((r) => ({ classId: num(r.classId), caseId: num(r.caseId), type: r.type, payload: r.payload }));
}
