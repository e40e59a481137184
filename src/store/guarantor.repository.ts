/**
 * 包保: the people named responsible for a pupil besides the default two lines. Append-only rows (add | remove);
 * the latest row for a (student, person) is in force. Only active people count.
 */
import type { Tx } from './prisma.js';
import type { PersonRow } from './org.repository.js';
import { inChunks } from './duty.repository.js';

export type GuarantorAction = 'add' | 'remove';

export async function addGuarantorRows(
  tx: Tx,
  rows: readonly { studentId: number; personId: number; action: GuarantorAction; byId: number; chatRef: string; at: Date }[],
): Promise<void> {
  if (rows.length > 0) await tx.studentGuarantor.createMany({ data: [...rows] });
}

/** The named people of each of many students now (active people, by id), read in chunks. */
export async function guarantorsOfMany(db: Tx, studentIds: readonly number[]): Promise<Map<number, PersonRow[]>> {
  const ids = [...new Set(studentIds)];
  const rows = await inChunks(ids, (chunk) =>
    db.studentGuarantor.findMany({ where: { studentId: { in: chunk } }, orderBy: { id: 'asc' }, select: { studentId: true, personId: true, action: true } }),
  );
  const latest = new Map<string, { studentId: number; personId: number; action: string }>();
  for (const r of rows) latest.set(`${r.studentId}:${r.personId}`, r);
  const named = [...latest.values()].filter((r) => r.action === 'add');
  const people = await inChunks([...new Set(named.map((r) => r.personId))], (chunk) => db.person.findMany({ where: { id: { in: chunk }, active: true } }));
  const byId = new Map(people.map((p) => [p.id, p]));
  const out = new Map<number, PersonRow[]>(ids.map((id) => [id, []]));
  for (const r of named.sort((a, b) => a.personId - b.personId)) {
    const p = byId.get(r.personId);
    if (p) out.get(r.studentId)!.push(p);
  }
  return out;
}

export async function guarantorsOf(db: Tx, studentId: number): Promise<PersonRow[]> {
  return (await guarantorsOfMany(db, [studentId])).get(studentId) ?? [];
}

/** Every row about a student, oldest first (who named or removed whom, when). */
export async function guarantorHistory(db: Tx, studentId: number) {
  return db.studentGuarantor.findMany({ where: { studentId }, orderBy: { id: 'asc' } });
}
