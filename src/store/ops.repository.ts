/** What operators watch: is the database there, how much waits in the outbox, what died today. */
import type { Db } from './prisma.js';

export async function databaseReachable(db: Db): Promise<boolean> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

export interface OutboxHealth {
  /** Pending or failed messages that are due now (not held by quiet hours or backoff), and those being sent. */
  backlog: number;
  /** When the oldest of them was written. */
  oldestDueAt: Date | null;
  deadSince: number;
}

export async function outboxHealth(db: Db, now: Date, deadSince: Date): Promise<OutboxHealth> {
  const due = {
    status: { in: ['pending', 'failed', 'sending'] },
    AND: [{ OR: [{ notBefore: null }, { notBefore: { lte: now } }] }, { OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }],
  };
  const [backlog, oldest, deadSinceCount] = await Promise.all([
    db.outbox.count({ where: due }),
    db.outbox.findFirst({ where: due, orderBy: { id: 'asc' }, select: { createdAt: true } }),
    db.outbox.count({ where: { status: 'dead', claimedAt: { gte: deadSince } } }),
  ]);
  return { backlog, oldestDueAt: oldest?.createdAt ?? null, deadSince: deadSinceCount };
}

/** Students' and guardians' names, for the log redactor. */
export async function sensitiveNames(db: Db): Promise<string[]> {
  const rows = await db.student.findMany({ select: { name: true, guardian: true } });
  const out: string[] = [];
  for (const r of rows) {
    out.push(r.name);
    if (r.guardian) out.push(r.guardian);
  }
  return out;
}
