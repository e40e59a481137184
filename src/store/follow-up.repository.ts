/** Cases in their follow-up after 复学 (state `following`): when each period ends, read set-based. */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { int, text } from './raw-rows.js';
import { queryRows } from './direct.js';

export interface FollowUp {
  caseId: number;
  studentId: number;
  /** Last day of the follow-up (from the case's latest return event). */
  until: string;
}

function untilOf(events: readonly { payload: string }[]): string | undefined {
  const last = events[0];
  if (!last) return undefined;
  const p = JSON.parse(last.payload) as { followUntil?: string };
  return p.followUntil;
}

const latestReturn = { where: { type: 'return' }, orderBy: { id: 'desc' as const }, take: 1, select: { payload: true } };

/** The follow-up of each of these students that has one (chunks of 500). */
export async function followUpsOf(db: Tx, studentIds: readonly number[]): Promise<Map<number, FollowUp>> {
  const out = new Map<number, FollowUp>();
  for (let i = 0; i < studentIds.length; i += 500) {
    // SQL (raw-rows.ts): every recorded absence asks. The cases as the model API read them (same filter, its
    // order), then their latest return event each (newest first, the first per case kept).
    const rows = (
      await queryRows<{ id: unknown; studentId: unknown }>(
        db,
        Prisma.sql`SELECT "id", "studentId" FROM "DropoutCase" WHERE "state" = ${'following'} AND "studentId" IN (${Prisma.join(studentIds.slice(i, i + 500))})`,
      )
    ).map((r) => ({ id: int(r.id), studentId: int(r.studentId) }));
    if (rows.length === 0) continue;
    const latest = new Map<number, { payload: string }[]>();
    for (const e of await queryRows<{ caseId: unknown; payload: unknown }>(
      db,
      Prisma.sql`SELECT "caseId", "payload" FROM "CaseEvent" WHERE "type" = 'return' AND "caseId" IN (${Prisma.join(rows.map((r) => r.id))}) ORDER BY "id" DESC`,
    ))
      if (!latest.has(int(e.caseId))) latest.set(int(e.caseId), [{ payload: text(e.payload) }]);
    for (const r of rows) {
      const until = untilOf(latest.get(r.id) ?? []);
      if (until) out.set(r.studentId, { caseId: r.id, studentId: r.studentId, until });
    }
  }
  return out;
}

/** Every follow-up whose last day is on or before `date` (the state index narrows it to the followed cases). */
export async function followUpsEndedBy(db: Tx, date: string): Promise<FollowUp[]> {
  const rows = await db.dropoutCase.findMany({ where: { state: 'following' }, include: { events: latestReturn }, orderBy: { id: 'asc' } });
  return rows.flatMap((r) => {
    const until = untilOf(r.events);
    return until && until <= date ? [{ caseId: r.id, studentId: r.studentId, until }] : [];
  });
}

/** Which of these students have an open alert (chunks of 500). */
export async function studentsWithOpenAlertsAmong(db: Tx, studentIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < studentIds.length; i += 500) {
    const rows = await db.alert.findMany({
      where: { status: 'open', studentId: { in: studentIds.slice(i, i + 500) } },
      select: { studentId: true },
      distinct: ['studentId'],
    });
    for (const r of rows) out.add(r.studentId);
  }
  return out;
}
