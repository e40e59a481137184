/**
 * Dropout cases of an area with their events and students, and the people responsible for them: the area is
 * chosen in the database, then the rows are read by id in chunks well under SQLite's 999 bound values.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import type { Area } from '../domain/org.js';
import { num, studentsInArea } from './area-sql.js';
import { openTransferStates } from './transfer.repository.js';

const CHUNK = 500;

function chunks<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

const studentInclude = { class: { include: { school: true } }, village: { include: { town: true } } } as const;

/** Ids of the cases of students in the area (domain studentInArea), open ones only or all, by id. */
async function caseIdsInArea(db: Tx, area: Area, openOnly: boolean): Promise<number[]> {
  const open = openOnly ? Prisma.sql`d."state" NOT IN ('returned', 'withdrawn')` : Prisma.sql`1 = 1`;
  const rows = await db.$queryRaw<{ id: number }[]>(
    Prisma.sql`SELECT d."id" AS "id" FROM "DropoutCase" d JOIN "Student" s ON s."id" = d."studentId" JOIN "SchoolClass" c ON c."id" = s."classId"
      JOIN "School" sc ON sc."id" = c."schoolId" JOIN "Village" v ON v."id" = s."villageId" WHERE ${open} AND ${studentsInArea(area)} ORDER BY d."id"`,
  );
  return rows.map((r) => num(r.id));
}

/**
 * The cases (with events in order and their student, class, school, village and town), by case id; `transfer` is the
 * pupil's transfer not yet confirmed by the receiving school (the ledger shows such a case as 转学待核实), or null.
 */
export async function casesInArea(db: Tx, area: Area, openOnly: boolean) {
  const ids = await caseIdsInArea(db, area, openOnly);
  const cases = [];
  for (const part of chunks(ids))
    cases.push(...(await db.dropoutCase.findMany({ where: { id: { in: part } }, include: { events: { orderBy: { id: 'asc' } } }, orderBy: { id: 'asc' } })));
  const studentIds = [...new Set(cases.map((c) => c.studentId))];
  const students = [];
  for (const part of chunks(studentIds)) students.push(...(await db.student.findMany({ where: { id: { in: part } }, include: studentInclude })));
  const byId = new Map(students.map((s) => [s.id, s]));
  const transfers = await openTransferStates(db, studentIds);
  return cases.flatMap((c) => {
    const student = byId.get(c.studentId);
    return student ? [{ ...c, student, transfer: transfers.get(c.studentId) ?? null }] : [];
  });
}

/** Active class teachers of the classes and village cadres of the villages, each list by id. */
export async function caretakersOf(db: Tx, classIds: number[], villageIds: number[]) {
  const teachers = [];
  for (const part of chunks([...new Set(classIds)]))
    teachers.push(...(await db.person.findMany({ where: { role: 'class_teacher', active: true, classId: { in: part } }, orderBy: { id: 'asc' } })));
  const cadres = [];
  for (const part of chunks([...new Set(villageIds)]))
    cadres.push(...(await db.person.findMany({ where: { role: 'village', active: true, villageId: { in: part } }, orderBy: { id: 'asc' } })));
  return { teachers: teachers.sort((a, b) => a.id - b.id), cadres: cadres.sort((a, b) => a.id - b.id) };
}
