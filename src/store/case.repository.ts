/** Dropout cases: the event log is the truth; `state` is a cache of its replay. */
import type { Tx } from './prisma.js';

export async function openCaseOf(db: Tx, studentId: number) {
  return db.dropoutCase.findFirst({
    where: { studentId, state: { notIn: ['returned', 'withdrawn'] } },
    include: { events: { orderBy: { id: 'asc' } } },
    orderBy: { id: 'desc' },
  });
}

export async function createCase(db: Tx, studentId: number, openedOn: string, state: string, at: Date) {
  return db.dropoutCase.create({ data: { studentId, openedOn, state, createdAt: at } });
}

export async function appendEvent(db: Tx, caseId: number, event: { type: string }, byId: number, newState: string, at: Date): Promise<void> {
  await db.caseEvent.create({ data: { caseId, type: event.type, payload: JSON.stringify(event), byId, recordedAt: at } });
  await db.dropoutCase.update({ where: { id: caseId }, data: { state: newState } });
}

export async function addHomeVisit(
  db: Tx,
  v: { studentId: number; caseId: number | null; visitorId: number; date: string; reason: string; outcome: string; note?: string; chatRef: string; at: Date },
): Promise<number> {
  const row = await db.homeVisit.create({
    data: { studentId: v.studentId, caseId: v.caseId, visitorId: v.visitorId, date: v.date, reason: v.reason, outcome: v.outcome, note: v.note ?? null, chatRef: v.chatRef, recordedAt: v.at },
  });
  return row.id;
}
