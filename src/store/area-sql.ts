/**
 * Where-clauses for an area in set-based SQL, written portably (double-quoted identifiers, bound values): the
 * statements that use them join "Student" s, "SchoolClass" c, "School" sc (and "Village" v where said).
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Area } from '../domain/org.js';

/** Students of the area as `情况` counts them: the town's schools (not the town's villages), a village's residents. */
export function studentsOfArea(area: Area): Prisma.Sql {
  switch (area.kind) {
    case 'county':
      return Prisma.sql`1 = 1`;
    case 'town':
      return Prisma.sql`sc."townId" = ${area.townId}`;
    case 'school':
      return Prisma.sql`c."schoolId" = ${area.schoolId}`;
    case 'class':
      return Prisma.sql`c."id" = ${area.classId}`;
    case 'village':
      return Prisma.sql`s."villageId" = ${area.villageId}`;
  }
}

/** Classes of the area (c, sc): a village's are those with at least one of its residents. */
export function classesOfArea(area: Area): Prisma.Sql {
  if (area.kind !== 'village') return studentsOfArea(area);
  return Prisma.sql`EXISTS (SELECT 1 FROM "Student" s WHERE s."classId" = c."id" AND s."villageId" = ${area.villageId})`;
}

/** Students of the area by domain studentInArea (s, c, sc, v): a town's are those at its schools or living in its villages. */
export function studentsInArea(area: Area): Prisma.Sql {
  return area.kind === 'town' ? Prisma.sql`(sc."townId" = ${area.townId} OR v."townId" = ${area.townId})` : studentsOfArea(area);
}

/** The mark m is in force: no later row (higher id) for the same student and date (see attendance.repository). */
export const MARK_IN_FORCE = Prisma.sql`NOT EXISTS (SELECT 1 FROM "AttendanceMark" n WHERE n."studentId" = m."studentId" AND n."date" = m."date" AND n."id" > m."id")`;

/** A COUNT/SUM from raw SQL: number on SQLite, bigint or decimal on PostgreSQL. */
export const num = (v: unknown): number => Number(v ?? 0);
