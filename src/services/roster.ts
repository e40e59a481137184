/** Dropout cases within an area: the open ones, or only those on the dropout roster (辍学学生花名册). */
import type { Tx } from '../store/prisma.js';
import type { Area } from '../domain/org.js';
import { studentInArea } from '../domain/org.js';
import { onDropoutRoster, type DropoutCase } from '../domain/dropout-case.js';
import { placeOf, studentById, type StudentFull } from '../store/org.repository.js';
import { openCasesWithStudents } from '../store/duty.repository.js';
import { rebuild } from './cases.js';

export interface CaseInArea {
  row: { id: number; openedOn: string };
  s: StudentFull;
  c: DropoutCase;
}

export async function casesInArea(tx: Tx, area: Area, rosterOnly: boolean): Promise<CaseInArea[]> {
  const out: CaseInArea[] = [];
  for (const row of await openCasesWithStudents(tx)) {
    const s = await studentById(tx, row.studentId);
    if (!s || !studentInArea(area, placeOf(s))) continue;
    const c = rebuild(row);
    if (rosterOnly && !onDropoutRoster(c)) continue;
    out.push({ row, s, c });
  }
  return out;
}
