/** Dropout cases: the event log is the truth; `state` is a cache of its replay. */
import type { Tx } from './prisma.js';
import { insertRows, insertRowsReturning } from './bulk-insert.js';

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

/** Which of these students have an open case (in chunks the database accepts). */
export async function studentsWithOpenCase(db: Tx, studentIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < studentIds.length; i += 500) {
    const rows = await db.dropoutCase.findMany({
      where: { studentId: { in: studentIds.slice(i, i + 500) }, state: { notIn: ['returned', 'withdrawn'] } },
      select: { studentId: true },
    });
    for (const r of rows) out.add(r.studentId);
  }
  return out;
}

/** Many new cases in multi-row inserts; their ids in the order given. */
export async function createCases(db: Tx, rows: readonly { studentId: number; openedOn: string; state: string }[], at: Date): Promise<number[]> {
  const made = await insertRowsReturning<{ id: number }>(
    db,
    'DropoutCase',
    ['studentId', 'state', 'openedOn', 'createdAt'],
    rows.map((r) => [r.studentId, r.state, r.openedOn, at]),
    ['id'],
  );
  return made.map((m) => m.id);
}

/** Many events, each moving its case to a new state: the events in multi-row inserts, the states one update per state. */
export async function appendEvents(
  db: Tx,
  rows: readonly { caseId: number; event: { type: string }; byId: number; newState: string }[],
  at: Date,
): Promise<void> {
  await insertRows(
    db,
    'CaseEvent',
    ['caseId', 'type', 'payload', 'byId', 'recordedAt'],
    rows.map((r) => [r.caseId, r.event.type, JSON.stringify(r.event), r.byId, at]),
  );
  const byState = new Map<string, number[]>();
  for (const r of rows) byState.set(r.newState, [...(byState.get(r.newState) ?? []), r.caseId]);
  for (const [state, ids] of byState) {
    for (let i = 0; i < ids.length; i += 500) await db.dropoutCase.updateMany({ where: { id: { in: ids.slice(i, i + 500) } }, data: { state } });
  }
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
    data: {
      studentId: v.studentId,
      caseId: v.caseId,
      visitorId: v.visitorId,
      date: v.date,
      reason: v.reason,
      outcome: v.outcome,
      note: v.note ?? null,
      chatRef: v.chatRef,
      recordedAt: v.at,
    },
  });
  return row.id;
}
