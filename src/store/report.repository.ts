/** What the monthly report reads: register changes and case events with their dates, per student. */
import type { Tx } from './prisma.js';

export async function addRegisterEvent(db: Tx, e: { studentId: number; change: string; on: string; byId: number; at: Date }): Promise<void> {
  await db.registerEvent.create({ data: { studentId: e.studentId, change: e.change, on: e.on, byId: e.byId, recordedAt: e.at } });
}

/** Register changes dated within [from, to]. */
export async function registerEventsBetween(db: Tx, studentIds: number[], from: string, to: string) {
  return db.registerEvent.findMany({ where: { studentId: { in: studentIds }, on: { gte: from, lte: to } }, orderBy: { id: 'asc' } });
}

/** Case events (confirm = onto the dropout roster, return = back at school) with the case's student. */
export async function caseEventsOf(db: Tx, studentIds: number[], types: string[]) {
  return db.caseEvent.findMany({ where: { type: { in: types }, case: { studentId: { in: studentIds } } }, include: { case: true }, orderBy: { id: 'asc' } });
}

/** Students of a school with their class (all statuses: the report counts those who left too). */
export async function studentsOfSchool(db: Tx, schoolId: number) {
  return db.student.findMany({ where: { class: { schoolId } }, select: { id: true, status: true, classId: true, class: { select: { stage: true, grade: true } } } });
}
