/** Reads of one alert, its recipients and the suspected-dropout streaks (beyond alert.repository.ts). */
import type { Tx } from './prisma.js';

/** These alerts by id (one statement per 500 ids); an unknown id is absent from the map. */
export async function alertsByIds(db: Tx, alertIds: readonly number[]) {
  const ids = [...new Set(alertIds)];
  const rows = [];
  for (let i = 0; i < ids.length; i += 500) rows.push(...(await db.alert.findMany({ where: { id: { in: ids.slice(i, i + 500) } } })));
  return new Map(rows.map((a) => [a.id, a]));
}

/** A recipient row with its alert. */
export async function recipientWithAlert(db: Tx, recipientId: number) {
  return db.alertRecipient.findUnique({ where: { id: recipientId }, include: { alert: true } });
}

/** The streak start of the student's latest suspected-dropout alert. */
export async function latestSuspectedStreak(db: Tx, studentId: number): Promise<{ streakSince: string } | null> {
  return db.alert.findFirst({ where: { studentId, step: 'suspected_dropout' }, orderBy: { id: 'desc' }, select: { streakSince: true } });
}

/** The latest suspected-dropout alert's streak start per student (one statement per 500 ids, well under the 999 bound). */
export async function suspectedStreakStarts(db: Tx, studentIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const ids = [...new Set(studentIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.alert.findMany({
      where: { studentId: { in: ids.slice(i, i + 500) }, step: 'suspected_dropout' },
      orderBy: { id: 'asc' },
      select: { studentId: true, streakSince: true },
    });
    for (const r of rows) out.set(r.studentId, r.streakSince);
  }
  return out;
}

/** The day a dropout case was opened. */
export async function caseOpenedOn(db: Tx, caseId: number): Promise<{ openedOn: string } | null> {
  return db.dropoutCase.findUnique({ where: { id: caseId }, select: { openedOn: true } });
}
