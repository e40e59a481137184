/** 过错责任追究: who had an alert and let it climb without a logged home visit. Append-only, one row per (alert, person). */
import type { Tx } from './prisma.js';
import { inChunks } from './duty.repository.js';

export interface FaultInput {
  alertId: number;
  studentId: number;
  schoolId: number;
  personId: number;
  role: string;
  step: 'town' | 'county';
  notifiedAt: Date;
  ackAt: Date | null;
  at: Date;
}

export async function recordedFor(db: Tx, alertId: number): Promise<Set<number>> {
  return new Set((await db.faultRecord.findMany({ where: { alertId }, select: { personId: true } })).map((r) => r.personId));
}

export async function addFaults(db: Tx, rows: FaultInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await db.faultRecord.createMany({
    data: rows.map((f) => ({
      alertId: f.alertId,
      studentId: f.studentId,
      schoolId: f.schoolId,
      personId: f.personId,
      role: f.role,
      step: f.step,
      notifiedAt: f.notifiedAt,
      ackAt: f.ackAt,
      recordedAt: f.at,
    })),
  });
  return r.count;
}

export async function faultsWhere(db: Tx, where: { schoolId?: number; personId?: number }) {
  return db.faultRecord.findMany({ where, orderBy: { id: 'asc' } });
}

/** The alert with its recipients, the school of its student, and each recipient's role; undefined when gone. */
export async function alertForFaults(db: Tx, alertId: number) {
  const alert = await db.alert.findUnique({ where: { id: alertId }, include: { recipients: true } });
  if (!alert) return undefined;
  const student = await db.student.findUnique({ where: { id: alert.studentId }, select: { class: { select: { schoolId: true } } } });
  if (!student) return undefined;
  const people = await db.person.findMany({ where: { id: { in: alert.recipients.map((r) => r.personId) } }, select: { id: true, role: true } });
  return { alert, schoolId: student.class.schoolId, roles: new Map(people.map((p) => [p.id, p.role])) };
}

/** Names and 工号 of people, and names of schools, by id (in chunks). */
export async function namesFor(db: Tx, personIds: number[], schoolIds: number[]) {
  const people = await inChunks([...new Set(personIds)], (ids) =>
    db.person.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, staffId: true } }),
  );
  const schools = await inChunks([...new Set(schoolIds)], (ids) => db.school.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }));
  return { people: new Map(people.map((p) => [p.id, p])), schools: new Map(schools.map((s) => [s.id, s.name])) };
}

/** A school by its exact name, or the one school whose name contains the text. */
export async function schoolNamed(db: Tx, text: string) {
  const exact = await db.school.findFirst({ where: { name: text } });
  if (exact) return exact;
  const some = await db.school.findMany({ where: { name: { contains: text } }, take: 2 });
  return some.length === 1 ? some[0] : undefined;
}

export async function peopleByStaffIdOrName(db: Tx, text: string) {
  return db.person.findMany({ where: { OR: [{ staffId: text }, { name: text }] }, take: 5 });
}
