/** Places by id or name: the county, towns, villages, schools and their classes. */
import type { Tx } from './prisma.js';

/** The county's name (the first county row). */
export async function countyName(db: Tx): Promise<{ name: string } | null> {
  return db.county.findFirst({ select: { name: true } });
}

export async function findTownById(db: Tx, id: number) {
  return db.town.findUnique({ where: { id } });
}

/** A town's name; throws when there is no such town. */
export async function townNameById(db: Tx, id: number): Promise<{ name: string }> {
  return db.town.findUniqueOrThrow({ where: { id }, select: { name: true } });
}

/** The first town of that exact name. */
export async function townByName(db: Tx, name: string) {
  return db.town.findFirst({ where: { name } });
}

/** All town ids in id order. */
export async function allTownIds(db: Tx): Promise<number[]> {
  return (await db.town.findMany({ orderBy: { id: 'asc' }, select: { id: true } })).map((t) => t.id);
}

/** These towns' names by id (id order). */
export async function townNames(db: Tx, ids: readonly number[]): Promise<{ id: number; name: string }[]> {
  return db.town.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true }, orderBy: { id: 'asc' } });
}

export async function findSchoolById(db: Tx, id: number) {
  return db.school.findUnique({ where: { id } });
}

/** A school's name and town; throws when there is no such school. */
export async function schoolTownById(db: Tx, id: number): Promise<{ name: string; townId: number }> {
  return db.school.findUniqueOrThrow({ where: { id }, select: { name: true, townId: true } });
}

/** The town of a school; throws when there is no such school. */
export async function townIdOfSchool(db: Tx, id: number): Promise<number> {
  return (await db.school.findUniqueOrThrow({ where: { id }, select: { townId: true } })).townId;
}

/** The first school of that exact name. */
export async function schoolByName(db: Tx, name: string) {
  return db.school.findFirst({ where: { name } });
}

/** A school's classes of one stage by grade and class number (all its classes: org.repository.ts classesOfSchool). */
export async function classesOfStage(db: Tx, schoolId: number, stage: string) {
  return db.schoolClass.findMany({ where: { schoolId, stage }, orderBy: [{ grade: 'asc' }, { classNo: 'asc' }] });
}

/** Every school, town and village with what a rates import matches by name (one statement each). */
export async function allPlaces(db: Tx) {
  return Promise.all([
    db.school.findMany({ select: { id: true, name: true, townId: true, kind: true } }),
    db.town.findMany({ select: { id: true, name: true } }),
    db.village.findMany({ select: { id: true, name: true, townId: true } }),
  ]);
}
