/** What the trend charts read: a school's weekly counts over weeks, and its towns' schools. */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { num } from './area-sql.js';

export async function schoolById(db: Tx, schoolId: number) {
  return db.school.findUniqueOrThrow({ where: { id: schoolId } });
}

export async function townById(db: Tx, townId: number) {
  return db.town.findUniqueOrThrow({ where: { id: townId } });
}

/** The weekly count in force (the latest correction) per class of the school and week. */
export async function schoolCountsInForce(
  db: Tx,
  schoolId: number,
  weeks: string[],
): Promise<{ classId: number; week: string; enrolled: number | null; present: number | null }[]> {
  if (weeks.length === 0) return [];
  const rows = await db.$queryRaw<{ classId: number; week: string; enrolled: number | null; present: number | null }[]>(
    Prisma.sql`SELECT w."classId" AS "classId", w."week" AS "week", w."enrolled" AS "enrolled", w."present" AS "present" FROM "WeeklyCount" w JOIN "SchoolClass" c ON c."id" = w."classId"
      WHERE c."schoolId" = ${schoolId} AND w."week" IN (${Prisma.join(weeks)})
      AND NOT EXISTS (SELECT 1 FROM "WeeklyCount" n WHERE n."classId" = w."classId" AND n."week" = w."week" AND n."id" > w."id")`,
  );
  return rows.map((r) => ({
    classId: num(r.classId),
    week: r.week,
    enrolled: r.enrolled === null ? null : num(r.enrolled),
    present: r.present === null ? null : num(r.present),
  }));
}
