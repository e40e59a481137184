/**
 * Students: the reads that are not part of the organisation lookups (org.repository.ts), and the writes of a
 * student's register (status and class). The writes are called from src/services/student-status.ts only: that is
 * the one place where a student's status changes (the guard test test/unit/store-door.test.ts checks it).
 */
import type { Tx } from './prisma.js';
import type { StudentStatus } from '../domain/types.js';

/** A class's enrolled students by 学籍号: names and 重点关注 kinds, for the return-to-school check list. */
export async function enrolledNamesOfClass(db: Tx, classId: number): Promise<{ name: string; attention: string }[]> {
  return db.student.findMany({ where: { classId, status: 'enrolled' }, orderBy: { studentNo: 'asc' }, select: { name: true, attention: true } });
}

/** These students' names by id (one statement per 500 ids); an unknown id is absent from the map. */
export async function studentNamesByIds(db: Tx, studentIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const ids = [...new Set(studentIds)];
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await db.student.findMany({ where: { id: { in: ids.slice(i, i + 500) } }, select: { id: true, name: true } })) out.set(r.id, r.name);
  }
  return out;
}

/** Each student's school and class name (ids in one statement per 500). */
export async function schoolAndClassOf(db: Tx, studentIds: readonly number[]): Promise<Map<number, { schoolId: number; className: string }>> {
  const out = new Map<number, { schoolId: number; className: string }>();
  const ids = [...new Set(studentIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.student.findMany({
      where: { id: { in: ids.slice(i, i + 500) } },
      select: { id: true, class: { select: { schoolId: true, name: true } } },
    });
    for (const r of rows) out.set(r.id, { schoolId: r.class.schoolId, className: r.class.name });
  }
  return out;
}

/** Sets a student's status (and class, when given). Only src/services/student-status.ts calls it. */
export async function writeStudentStatus(db: Tx, id: number, status: StudentStatus, classId?: number): Promise<void> {
  await db.student.update({ where: { id }, data: classId === undefined ? { status } : { classId, status } });
}

/** Moves a student to another class and records the move (from, to, when, who) as a register event. Only src/services/student-status.ts calls it. */
export async function writeStudentClass(
  db: Tx,
  e: { studentId: number; fromClassId: number; toClassId: number; on: string; byId: number; at: Date },
): Promise<void> {
  await db.student.update({ where: { id: e.studentId }, data: { classId: e.toClassId } });
  await db.registerEvent.create({
    data: { studentId: e.studentId, change: 'reclassed', on: e.on, byId: e.byId, recordedAt: e.at, fromClassId: e.fromClassId, toClassId: e.toClassId },
  });
}
