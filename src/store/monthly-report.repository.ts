/** Monthly report confirmations: schools' (due to the town by the 23rd) and towns' (due to the county by the 25th). */
import type { Tx } from './prisma.js';
import { insertUnlessDuplicate } from './unique-insert.js';

export interface ReportingSchool {
  schoolId: number;
  schoolName: string;
  townId: number;
  townName: string;
}

export interface ConfirmationRow {
  id: number;
  month: string;
  /** The JSON snapshot of what was confirmed. */
  figures: string;
  confirmedById: number;
  chatRef: string;
  confirmedAt: Date;
}

export interface SchoolConfirmationRow extends ConfirmationRow {
  schoolId: number;
}

export interface TownConfirmationRow extends ConfirmationRow {
  townId: number;
}

/** Schools that report: those with at least one class (a school with no classes has nothing to report). */
export async function reportingSchools(tx: Tx, where: { townId?: number; schoolId?: number } = {}): Promise<ReportingSchool[]> {
  const rows = await tx.school.findMany({
    where: {
      classes: { some: {} },
      ...(where.townId !== undefined ? { townId: where.townId } : {}),
      ...(where.schoolId !== undefined ? { id: where.schoolId } : {}),
    },
    include: { town: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((s) => ({ schoolId: s.id, schoolName: s.name, townId: s.townId, townName: s.town.name }));
}

export async function schoolConfirmation(tx: Tx, schoolId: number, month: string): Promise<SchoolConfirmationRow | null> {
  return tx.monthlyConfirmation.findUnique({ where: { schoolId_month: { schoolId, month } } });
}

/** The month's school confirmations (at most one per school). */
export async function schoolConfirmations(tx: Tx, month: string): Promise<SchoolConfirmationRow[]> {
  return tx.monthlyConfirmation.findMany({ where: { month }, orderBy: { schoolId: 'asc' } });
}

export async function townConfirmation(tx: Tx, townId: number, month: string): Promise<TownConfirmationRow | null> {
  return tx.townConfirmation.findUnique({ where: { townId_month: { townId, month } } });
}

export async function townConfirmations(tx: Tx, month: string): Promise<TownConfirmationRow[]> {
  return tx.townConfirmation.findMany({ where: { month }, orderBy: { townId: 'asc' } });
}

interface NewConfirmation {
  month: string;
  figures: unknown;
  confirmedById: number;
  chatRef: string;
  confirmedAt: Date;
}

/** Writes the school's confirmation; false when one for the month already exists (e.g. written a moment ago by another process). */
export async function createSchoolConfirmation(tx: Tx, c: NewConfirmation & { schoolId: number }): Promise<boolean> {
  return insertUnlessDuplicate(tx, () =>
    tx.monthlyConfirmation.create({
      data: {
        schoolId: c.schoolId,
        month: c.month,
        figures: JSON.stringify(c.figures),
        confirmedById: c.confirmedById,
        chatRef: c.chatRef,
        confirmedAt: c.confirmedAt,
      },
    }),
  );
}

/** Writes the town's confirmation; false when one for the month already exists. */
export async function createTownConfirmation(tx: Tx, c: NewConfirmation & { townId: number }): Promise<boolean> {
  return insertUnlessDuplicate(tx, () =>
    tx.townConfirmation.create({
      data: {
        townId: c.townId,
        month: c.month,
        figures: JSON.stringify(c.figures),
        confirmedById: c.confirmedById,
        chatRef: c.chatRef,
        confirmedAt: c.confirmedAt,
      },
    }),
  );
}
