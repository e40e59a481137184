/** Organisation lookups: people, students and where they sit on both responsibility lines. */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { studentsFull, studentsFullWithMark, type DayMark, type StudentFull } from './student-full.js';
import type { Actor, StudentPlace } from '../domain/org.js';
import type { Role } from '../domain/types.js';
import { activePersonIdOf } from './account.repository.js';

export interface PersonRow {
  id: number;
  staffId: string;
  name: string;
  role: string;
  townId: number | null;
  villageId: number | null;
  schoolId: number | null;
  classId: number | null;
  phone: string | null;
}

export function toActor(p: PersonRow): Actor {
  return { id: p.id, role: p.role as Role, townId: p.townId, villageId: p.villageId, schoolId: p.schoolId, classId: p.classId };
}

export async function countyExists(db: Tx): Promise<boolean> {
  return (await db.county.count()) > 0;
}

export async function getCounty(db: Tx) {
  return db.county.findFirst({ orderBy: { id: 'asc' } });
}

export async function personById(db: Tx, id: number): Promise<PersonRow | null> {
  return db.person.findUnique({ where: { id } });
}

/** A console handle: staff id (工号) first, then exact name. */
export async function peopleByHandle(db: Tx, handle: string): Promise<PersonRow[]> {
  const byId = await db.person.findUnique({ where: { staffId: handle } });
  if (byId) return [byId];
  return db.person.findMany({ where: { name: handle, active: true }, orderBy: { id: 'asc' } });
}

/** The person an account acts as; a revoked account (replaced by a newer one) acts as nobody. */
export async function personByAccount(db: Tx, platform: string, accountId: string): Promise<PersonRow | null> {
  const personId = await activePersonIdOf(db, platform, accountId);
  return personId !== undefined ? db.person.findUnique({ where: { id: personId } }) : null;
}

export type { DayMark, StudentFull } from './student-full.js';

/** The student with class, school, village and town (one SQL statement: student-full.ts). */
export async function studentById(db: Tx, id: number): Promise<StudentFull | null> {
  return (await studentsFull(db, Prisma.sql`"s"."id" = ${id}`))[0] ?? null;
}

export function placeOf(s: StudentFull): StudentPlace {
  return {
    classId: s.classId,
    schoolId: s.class.schoolId,
    schoolTownId: s.class.school.townId,
    villageId: s.villageId,
    villageTownId: s.village.townId,
  };
}

/** Students matching a name or 学籍号 (or its last digits), enrolled, within the given classes or school. */
export async function findStudents(db: Tx, where: StudentScope, token: string): Promise<StudentFull[]> {
  return findBy((condition) => studentsFull(db, condition), where, token);
}

/** findStudents, each with the mark in force on `date` (studentsFullWithMark): one statement for both. */
export async function findStudentsWithMark(db: Tx, where: StudentScope, token: string, date: string): Promise<(StudentFull & { dayMark: DayMark })[]> {
  return findBy((condition) => studentsFullWithMark(db, condition, date), where, token);
}

type StudentScope = { classId?: number; schoolId?: number; villageId?: number };

/** By name in the scope, else by 学籍号 tail when the token looks like one. */
async function findBy<T>(read: (condition: Prisma.Sql) => Promise<T[]>, where: StudentScope, token: string): Promise<T[]> {
  const scope = [
    ...(where.classId !== undefined ? [Prisma.sql`"s"."classId" = ${where.classId}`] : []),
    ...(where.schoolId !== undefined ? [Prisma.sql`"c"."schoolId" = ${where.schoolId}`] : []),
    ...(where.villageId !== undefined ? [Prisma.sql`"s"."villageId" = ${where.villageId}`] : []),
  ];
  const byName = await read(Prisma.join([...scope, Prisma.sql`"s"."name" = ${token}`], ' AND '));
  if (byName.length > 0) return byName;
  if (/^[A-Za-z]?\d{4,}$/.test(token)) {
    // As the model API's endsWith: LIKE '%token' (the token has no LIKE wildcards: letters and digits only).
    return read(Prisma.join([...scope, Prisma.sql`"s"."studentNo" LIKE ${`%${token}`}`], ' AND '));
  }
  return [];
}

export async function classById(db: Tx, id: number) {
  return db.schoolClass.findUnique({ where: { id }, include: { school: true } });
}

export async function classesOfSchool(db: Tx, schoolId: number) {
  return db.schoolClass.findMany({ where: { schoolId }, orderBy: [{ stage: 'asc' }, { grade: 'asc' }, { classNo: 'asc' }] });
}

export async function peopleWithRole(db: Tx, role: Role, where: { townId?: number; villageId?: number; schoolId?: number; classId?: number } = {}) {
  return db.person.findMany({ where: { role, active: true, ...where }, orderBy: { id: 'asc' } });
}

/** Everyone responsible for a student on both lines, by ladder level. */
export async function responsibleFor(db: Tx, s: StudentFull) {
  const [classTeachers, principals, cadres, townOfficials] = await Promise.all([
    peopleWithRole(db, 'class_teacher', { classId: s.classId }),
    peopleWithRole(db, 'principal', { schoolId: s.class.schoolId }),
    peopleWithRole(db, 'village', { villageId: s.villageId }),
    peopleWithRole(db, 'town', { townId: s.village.townId }),
  ]);
  return { classTeachers, principals, cadres, townOfficials };
}

/** The name of an area as people write it on a form: 示范县, 青石镇, 青石镇中心小学, 石桥村, 三(2)班. */
export async function areaName(db: Tx, area: import('../domain/org.js').Area): Promise<string> {
  switch (area.kind) {
    case 'county':
      return (await db.county.findFirst({ orderBy: { id: 'asc' } }))?.name ?? '本县';
    case 'town':
      return (await db.town.findUnique({ where: { id: area.townId } }))?.name ?? '';
    case 'village':
      return (await db.village.findUnique({ where: { id: area.villageId } }))?.name ?? '';
    case 'school':
      return (await db.school.findUnique({ where: { id: area.schoolId } }))?.name ?? '';
    case 'class': {
      const c = await db.schoolClass.findUnique({ where: { id: area.classId }, include: { school: true } });
      return c ? `${c.school.name} ${c.name}` : '';
    }
  }
}
