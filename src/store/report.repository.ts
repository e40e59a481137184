/**
 * What the monthly report reads: register changes and case events with their dates, counted per school and grade
 * in the database for a school, a town's schools or the whole county at once (no id lists are bound).
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { num, studentsOfArea } from './area-sql.js';

/** The unit a report covers: a school, the schools of a town, or every school of the county. */
export type ReportScope = { kind: 'school'; schoolId: number } | { kind: 'town'; townId: number } | { kind: 'county' };

const PLACE = Prisma.sql`JOIN "SchoolClass" c ON c."id" = s."classId" JOIN "School" sc ON sc."id" = c."schoolId"`;

export interface GradeKey {
  schoolId: number;
  stage: string;
  grade: number;
}

export async function addRegisterEvent(db: Tx, e: { studentId: number; change: string; on: string; byId: number; at: Date }): Promise<void> {
  await db.registerEvent.create({ data: { studentId: e.studentId, change: e.change, on: e.on, byId: e.byId, recordedAt: e.at } });
}

/** Students per school and grade (all statuses: the report counts those who left too) and how many are enrolled. */
export async function rollByGrade(db: Tx, scope: ReportScope): Promise<(GradeKey & { students: number; enrolled: number })[]> {
  const rows = await db.$queryRaw<{ schoolId: number; stage: string; grade: number; students: unknown; enrolled: unknown }[]>(
    Prisma.sql`SELECT c."schoolId" AS "schoolId", c."stage" AS "stage", c."grade" AS "grade", COUNT(*) AS "students", SUM(CASE WHEN s."status" = 'enrolled' THEN 1 ELSE 0 END) AS "enrolled"
      FROM "Student" s ${PLACE} WHERE ${studentsOfArea(scope)} GROUP BY c."schoolId", c."stage", c."grade"`,
  );
  return rows.map((r) => ({ schoolId: num(r.schoolId), stage: r.stage, grade: num(r.grade), students: num(r.students), enrolled: num(r.enrolled) }));
}

/** Register changes dated within [from, to], counted per school, grade and change. */
export async function registerChangesByGrade(db: Tx, scope: ReportScope, from: string, to: string): Promise<(GradeKey & { change: string; n: number })[]> {
  const rows = await db.$queryRaw<{ schoolId: number; stage: string; grade: number; change: string; n: unknown }[]>(
    Prisma.sql`SELECT c."schoolId" AS "schoolId", c."stage" AS "stage", c."grade" AS "grade", e."change" AS "change", COUNT(*) AS "n"
      FROM "RegisterEvent" e JOIN "Student" s ON s."id" = e."studentId" ${PLACE}
      WHERE e."on" >= ${from} AND e."on" <= ${to} AND ${studentsOfArea(scope)} GROUP BY c."schoolId", c."stage", c."grade", e."change"`,
  );
  return rows.map((r) => ({ schoolId: num(r.schoolId), stage: r.stage, grade: num(r.grade), change: r.change, n: num(r.n) }));
}

/** Case events of the given types (confirm = onto the dropout roster, return = back at school) with the student's school and grade, by id. */
export async function caseEventsByGrade(
  db: Tx,
  scope: ReportScope,
  types: string[],
): Promise<(GradeKey & { caseId: number; type: string; payload: string })[]> {
  const rows = await db.$queryRaw<{ schoolId: number; stage: string; grade: number; caseId: number; type: string; payload: string }[]>(
    Prisma.sql`SELECT c."schoolId" AS "schoolId", c."stage" AS "stage", c."grade" AS "grade", e."caseId" AS "caseId", e."type" AS "type", e."payload" AS "payload"
      FROM "CaseEvent" e JOIN "DropoutCase" d ON d."id" = e."caseId" JOIN "Student" s ON s."id" = d."studentId" ${PLACE}
      WHERE e."type" IN (${Prisma.join(types)}) AND ${studentsOfArea(scope)} ORDER BY e."id"`,
  );
  return rows.map((r) => ({ schoolId: num(r.schoolId), stage: r.stage, grade: num(r.grade), caseId: num(r.caseId), type: r.type, payload: r.payload }));
}

/** The school with its town and county (the form's heading). */
export async function schoolHeading(db: Tx, schoolId: number) {
  return db.school.findUniqueOrThrow({ where: { id: schoolId }, include: { town: true, county: true } });
}

export async function townHeading(db: Tx, townId: number) {
  return db.town.findUniqueOrThrow({ where: { id: townId }, include: { county: true } });
}

export async function countyHeading(db: Tx) {
  return db.county.findFirstOrThrow({ orderBy: { id: 'asc' } });
}

/** Schools having classes within the scope, with their town, by id. */
export async function schoolsWithClasses(db: Tx, scope: ReportScope) {
  const where = scope.kind === 'school' ? { id: scope.schoolId } : scope.kind === 'town' ? { townId: scope.townId } : {};
  return db.school.findMany({ where: { ...where, classes: { some: {} } }, include: { town: true }, orderBy: { id: 'asc' } });
}
