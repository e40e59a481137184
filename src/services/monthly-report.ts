/** Which schools and towns have not confirmed a month's report (read by the report reminders and deadlines). */
import type { Tx } from '../store/prisma.js';

/** Schools having at least one class and no confirmation for the month, by town then school name. */
export async function schoolsNotConfirmed(tx: Tx, month: string): Promise<{ schoolId: number; schoolName: string; townId: number; townName: string }[]> {
  const [schools, done] = await Promise.all([
    tx.school.findMany({ where: { classes: { some: {} } }, include: { town: true } }),
    tx.monthlyConfirmation.findMany({ where: { month }, select: { schoolId: true } }),
  ]);
  const confirmed = new Set(done.map((d) => d.schoolId));
  return schools
    .filter((s) => !confirmed.has(s.id))
    .map((s) => ({ schoolId: s.id, schoolName: s.name, townId: s.townId, townName: s.town.name }))
    .sort((a, b) => a.townName.localeCompare(b.townName, 'zh') || a.schoolName.localeCompare(b.schoolName, 'zh'));
}

/** Towns having schools and no town confirmation for the month, with their schools still unconfirmed. */
export async function townsNotConfirmed(tx: Tx, month: string): Promise<{ townId: number; townName: string; schoolsNotConfirmed: string[] }[]> {
  const [towns, done, open] = await Promise.all([
    tx.town.findMany({ where: { schools: { some: { classes: { some: {} } } } }, orderBy: { name: 'asc' } }),
    tx.townConfirmation.findMany({ where: { month }, select: { townId: true } }),
    schoolsNotConfirmed(tx, month),
  ]);
  const confirmed = new Set(done.map((d) => d.townId));
  return towns
    .filter((t) => !confirmed.has(t.id))
    .map((t) => ({ townId: t.id, townName: t.name, schoolsNotConfirmed: open.filter((s) => s.townId === t.id).map((s) => s.schoolName) }));
}
