/** The duty ledger: a row per (duty, period, target), claimed before the duty writes anything. */
import type { Tx } from './prisma.js';

export async function keysDone(db: Tx, keys: string[]): Promise<Set<string>> {
  const done = new Set<string>();
  if (keys.length === 0) return done;
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db.dutyRun.findMany({ where: { key: { in: keys.slice(i, i + 500) } }, select: { key: true } });
    for (const r of rows) done.add(r.key);
  }
  return done;
}

/** Inserts the ledger row; throws a unique-constraint error (P2002) when another run already holds the key. */
export async function claim(db: Tx, r: { key: string; duty: string; period: string; target: string; dueAt: Date; at: Date }): Promise<void> {
  await db.dutyRun.create({ data: { key: r.key, duty: r.duty, period: r.period, target: r.target, dueAt: r.dueAt, ranAt: r.at, outcome: 'running' } });
}

export async function finish(db: Tx, key: string, outcome: 'sent' | 'not_needed' | 'too_late', messages: number): Promise<void> {
  await db.dutyRun.update({ where: { key }, data: { outcome, messages } });
}

export async function runsOf(db: Tx, duty?: string) {
  return db.dutyRun.findMany({ where: duty ? { duty } : {}, orderBy: [{ dueAt: 'asc' }, { key: 'asc' }] });
}

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  const msg = e instanceof Error ? e.message : '';
  return code === 'P2002' || /Unique constraint failed|UNIQUE constraint failed/i.test(msg);
}

/** When duties first ran on this database (a marker row), or undefined on a database that never ran them. */
export async function installedAt(db: Tx): Promise<Date | undefined> {
  return (await db.dutyRun.findUnique({ where: { key: 'runner:installed' } }))?.dueAt;
}

export async function markInstalled(db: Tx, at: Date): Promise<void> {
  try {
    await db.dutyRun.create({ data: { key: 'runner:installed', duty: 'runner', period: 'installed', target: '-', dueAt: at, ranAt: at, outcome: 'not_needed' } });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e; // another process marked it first
  }
}
