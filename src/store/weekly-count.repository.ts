/** Weekly class counts: append-only; a later count for the same class and week supersedes the earlier one. */
import type { Tx } from './prisma.js';
import type { CountFigures } from '../domain/types.js';

export async function latestCount(db: Tx, classId: number, week: string) {
  return db.weeklyCount.findFirst({ where: { classId, week }, orderBy: { id: 'desc' } });
}

export async function addCount(db: Tx, c: { classId: number; week: string; figures: CountFigures; rawText: string; reportedById: number; chatRef: string; at: Date }) {
  const previous = await latestCount(db, c.classId, c.week);
  const f = c.figures;
  const row = await db.weeklyCount.create({
    data: {
      classId: c.classId,
      week: c.week,
      enrolled: f.enrolled ?? null,
      present: f.present ?? null,
      leave: f.leave ?? null,
      truant: f.truant ?? null,
      dropout: f.dropout ?? null,
      returned: f.returned ?? null,
      rawText: c.rawText,
      reportedById: c.reportedById,
      chatRef: c.chatRef,
      recordedAt: c.at,
      supersedesId: previous?.id ?? null,
    },
  });
  return { row, previous };
}

/** The count in force per class for the given weeks. */
export async function countsInForce(db: Tx, classIds: number[], weeks: string[]) {
  const rows = await db.weeklyCount.findMany({ where: { classId: { in: classIds }, week: { in: weeks } }, orderBy: { id: 'asc' } });
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) latest.set(`${r.classId}|${r.week}`, r);
  return [...latest.values()];
}

export async function enrolledInClass(db: Tx, classId: number): Promise<number> {
  return db.student.count({ where: { classId, status: 'enrolled' } });
}

export async function addPending(db: Tx, p: { personId: number; chatRef: string; kind: string; payload: unknown; at: Date; expiresAt: Date }): Promise<void> {
  await db.pendingConfirmation.updateMany({ where: { personId: p.personId, chatRef: p.chatRef, resolvedAt: null }, data: { resolvedAt: p.at, resolution: 'replaced' } });
  await db.pendingConfirmation.create({ data: { personId: p.personId, chatRef: p.chatRef, kind: p.kind, payload: JSON.stringify(p.payload), createdAt: p.at, expiresAt: p.expiresAt } });
}

export async function openPending(db: Tx, personId: number, chatRef: string, at: Date) {
  return db.pendingConfirmation.findFirst({ where: { personId, chatRef, resolvedAt: null, expiresAt: { gt: at } }, orderBy: { id: 'desc' } });
}

export async function resolvePending(db: Tx, id: number, at: Date, resolution: string): Promise<void> {
  await db.pendingConfirmation.update({ where: { id }, data: { resolvedAt: at, resolution } });
}
