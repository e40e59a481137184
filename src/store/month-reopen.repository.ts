/** Reopened months (MonthReopening) and their re-confirmations (MonthReconfirmation), next to the first confirmation. */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { int, text } from './raw-rows.js';
import { insertUnlessDuplicate } from './unique-insert.js';
import { queryRows } from './direct.js';

/** A school's month: its first confirmation, its latest re-confirmation and its latest reopening (three statements at once). */
export async function monthRows(db: Tx, schoolId: number, month: string) {
  const [first, again, reopenings] = await Promise.all([
    db.monthlyConfirmation.findUnique({ where: { schoolId_month: { schoolId, month } } }),
    db.monthReconfirmation.findMany({ where: { schoolId, month }, orderBy: { id: 'desc' }, take: 1 }),
    db.monthReopening.findMany({ where: { schoolId, month }, orderBy: { id: 'desc' }, take: 1 }),
  ]);
  return { first, again: again[0], lastReopening: reopenings[0] };
}

/** Whether this reopening has been re-confirmed. */
export async function isReconfirmed(db: Tx, reopeningId: number): Promise<boolean> {
  return (await db.monthReconfirmation.findUnique({ where: { reopeningId } })) !== null;
}

/** The month's reopenings and the reopenings re-confirmed (two statements at once). */
export async function reopeningsOfMonth(db: Tx, month: string): Promise<{ opened: { id: number; schoolId: number }[]; reconfirmedIds: number[] }> {
  const [opened, done] = await Promise.all([
    db.monthReopening.findMany({ where: { month }, select: { id: true, schoolId: true } }),
    db.monthReconfirmation.findMany({ where: { month }, select: { reopeningId: true } }),
  ]);
  return { opened, reconfirmedIds: done.map((d) => d.reopeningId) };
}

/** Records a re-confirmation; false if the reopening was re-confirmed a moment ago. */
export async function addReconfirmation(
  db: Tx,
  r: { reopeningId: number; schoolId: number; month: string; figures: string; confirmedById: number; chatRef: string; confirmedAt: Date },
): Promise<boolean> {
  return insertUnlessDuplicate(db, () => db.monthReconfirmation.create({ data: r }));
}

/** The (school, month) pairs confirmed among these months. */
export async function confirmedInMonths(db: Tx, months: readonly string[]): Promise<{ schoolId: number; month: string }[]> {
  // SQL (raw-rows.ts): every recorded mark asks (a confirmed month reopens). Callers use it as a set.
  if (months.length === 0) return [];
  const rows = await queryRows<{ schoolId: unknown; month: unknown }>(
    db,
    Prisma.sql`SELECT "schoolId", "month" FROM "MonthlyConfirmation" WHERE "month" IN (${Prisma.join([...months])})`,
  );
  return rows.map((r) => ({ schoolId: int(r.schoolId), month: text(r.month) }));
}

export async function addReopening(
  db: Tx,
  r: {
    schoolId: number;
    month: string;
    confirmedFigures: string;
    currentFigures: string;
    causeTable: string;
    causeRowId: number;
    byId: number;
    reopenedAt: Date;
  },
): Promise<void> {
  await db.monthReopening.create({ data: r });
}
