/** 过错责任追究: who had an alert and let it climb without a logged home visit. Append-only, one row per (alert, person). */
import type { Tx } from './prisma.js';

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
    data: rows.map((f) => ({ alertId: f.alertId, studentId: f.studentId, schoolId: f.schoolId, personId: f.personId, role: f.role, step: f.step, notifiedAt: f.notifiedAt, ackAt: f.ackAt, recordedAt: f.at })),
  });
  return r.count;
}

export async function faultsWhere(db: Tx, where: { schoolId?: number; personId?: number }) {
  return db.faultRecord.findMany({ where, orderBy: { id: 'asc' } });
}
