/**
 * Weekly class counts (班级每周一统计) of a report's scope for a month's weeks: the classes of the scope and the count
 * in force (latest row) per class and week, read in two set-based statements (no id lists are bound).
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { classesOfArea, num } from './area-sql.js';
import type { ReportScope } from './report.repository.js';

export interface ScopeClass {
  classId: number;
  schoolId: number;
  schoolName: string;
  stage: string;
  grade: number;
  classNo: number;
  name: string;
}

export interface WeekCountRow {
  classId: number;
  week: string;
  enrolled: number | null;
  present: number | null;
  leave: number | null;
  truant: number | null;
}

/** The scope's classes, primary before junior, then by grade and class number. */
export async function classesOfScope(tx: Tx, scope: ReportScope): Promise<ScopeClass[]> {
  const rows = await tx.$queryRaw<{ classId: unknown; schoolId: unknown; schoolName: string; stage: string; grade: unknown; classNo: unknown; name: string }[]>(
    Prisma.sql`SELECT c."id" AS "classId", c."schoolId" AS "schoolId", sc."name" AS "schoolName", c."stage" AS "stage", c."grade" AS "grade", c."classNo" AS "classNo", c."name" AS "name"
      FROM "SchoolClass" c JOIN "School" sc ON sc."id" = c."schoolId" WHERE ${classesOfArea(scope)}`,
  );
  const stageOrder = (s: string) => (s === 'primary' ? 0 : 1);
  return rows
    .map((r) => ({
      classId: num(r.classId),
      schoolId: num(r.schoolId),
      schoolName: r.schoolName,
      stage: r.stage,
      grade: num(r.grade),
      classNo: num(r.classNo),
      name: r.name,
    }))
    .sort((a, b) => a.schoolId - b.schoolId || stageOrder(a.stage) - stageOrder(b.stage) || a.grade - b.grade || a.classNo - b.classNo);
}

/** The count in force (the latest row) per class of the scope and week. */
export async function weekCountsOfScope(tx: Tx, scope: ReportScope, weeks: readonly string[]): Promise<WeekCountRow[]> {
  if (weeks.length === 0) return [];
  const rows = await tx.$queryRaw<{ classId: unknown; week: string; enrolled: unknown; present: unknown; leave: unknown; truant: unknown }[]>(
    Prisma.sql`SELECT w."classId" AS "classId", w."week" AS "week", w."enrolled" AS "enrolled", w."present" AS "present", w."leave" AS "leave", w."truant" AS "truant"
      FROM "WeeklyCount" w JOIN "SchoolClass" c ON c."id" = w."classId" JOIN "School" sc ON sc."id" = c."schoolId"
      WHERE w."week" IN (${Prisma.join([...weeks])}) AND ${classesOfArea(scope)}
        AND NOT EXISTS (SELECT 1 FROM "WeeklyCount" n WHERE n."classId" = w."classId" AND n."week" = w."week" AND n."id" > w."id")`,
  );
  const opt = (v: unknown) => (v === null || v === undefined ? null : num(v));
  return rows.map((r) => ({
    classId: num(r.classId),
    week: r.week,
    enrolled: opt(r.enrolled),
    present: opt(r.present),
    leave: opt(r.leave),
    truant: opt(r.truant),
  }));
}
