/** Dropout cases within an area: the open ones, or only those on the dropout roster (辍学学生花名册). */
import type { Tx } from '../store/prisma.js';
import type { Area } from '../domain/org.js';
import { onDropoutRoster, type DropoutCase } from '../domain/dropout-case.js';
import type { StudentFull } from '../store/org.repository.js';
import { casesInArea as storedCasesInArea } from '../store/area-cases.repository.js';
import { rebuild } from './cases.js';

export interface CaseInArea {
  row: { id: number; openedOn: string };
  s: StudentFull;
  c: DropoutCase;
  /** The pupil's transfer awaiting the receiving school's confirmation (ledger label 转学待核实), or null. */
  transfer: { id: number; state: string } | null;
}

/** The area's open cases by case id, each rebuilt from its events; the area is chosen in the database. */
export async function casesInArea(tx: Tx, area: Area, rosterOnly: boolean): Promise<CaseInArea[]> {
  const out: CaseInArea[] = [];
  for (const row of await storedCasesInArea(tx, area, true)) {
    const c = rebuild(row);
    if (rosterOnly && !onDropoutRoster(c)) continue;
    out.push({ row, s: row.student, c, transfer: row.transfer });
  }
  return out;
}
