/** The duty ledger: a row per (duty, period, target), claimed before the duty writes anything. */
import { insertRows } from './bulk-insert.js';
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

export type Outcome = 'sent' | 'not_needed' | 'too_late';
export interface Claim {
  key: string;
  duty: string;
  period: string;
  target: string;
  dueAt: Date;
}

/**
 * Inserts the ledger rows of a batch in multi-row INSERTs (8 values a row, under SQLite's 999); throws a unique
 * violation, rolling the batch back, when another run already holds any of the keys.
 */
export async function claimMany(db: Tx, rows: Claim[], at: Date): Promise<void> {
  await insertRows(
    db,
    'DutyRun',
    ['key', 'duty', 'period', 'target', 'dueAt', 'ranAt', 'outcome'],
    rows.map((r) => [r.key, r.duty, r.period, r.target, r.dueAt, at, 'running']),
  );
}

/** Writes the outcomes of a batch: one UPDATE per (outcome, messages) pair and chunk of keys. */
export async function finishMany(db: Tx, results: { key: string; outcome: Outcome; messages: number }[]): Promise<void> {
  const groups = new Map<string, string[]>();
  for (const r of results) groups.set(`${r.outcome}|${r.messages}`, [...(groups.get(`${r.outcome}|${r.messages}`) ?? []), r.key]);
  for (const [g, keys] of groups) {
    const [outcome, messages] = g.split('|') as [Outcome, string];
    for (let i = 0; i < keys.length; i += 500) {
      await db.dutyRun.updateMany({ where: { key: { in: keys.slice(i, i + 500) } }, data: { outcome, messages: Number(messages) } });
    }
  }
}

export async function runsOf(db: Tx, duty?: string) {
  return db.dutyRun.findMany({ where: duty ? { duty } : {}, orderBy: [{ dueAt: 'asc' }, { key: 'asc' }] });
}

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  const msg = e instanceof Error ? e.message : '';
  // P2002 through Prisma's client; the driver's own words through direct.ts (SQLite's message, the PostgreSQL adapter's kind)
  return code === 'P2002' || /Unique constraint failed|UNIQUE constraint failed|UniqueConstraintViolation/i.test(msg);
}

/** When duties first ran on this database (a marker row), or undefined on a database that never ran them. */
export async function installedAt(db: Tx): Promise<Date | undefined> {
  return (await db.dutyRun.findUnique({ where: { key: 'runner:installed' } }))?.dueAt;
}

export async function markInstalled(db: Tx, at: Date): Promise<void> {
  try {
    await db.dutyRun.create({
      data: { key: 'runner:installed', duty: 'runner', period: 'installed', target: '-', dueAt: at, ranAt: at, outcome: 'not_needed' },
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e; // another process marked it first
  }
}

/** Unresolved failures: the runner's retry list. */
export async function openFailures(db: Tx) {
  return db.dutyFailure.findMany({ where: { resolvedAt: null }, orderBy: { key: 'asc' } });
}

/**
 * Records one more failed attempt of an item (or of a duty's due()); a failure that was resolved and fails again
 * starts counting afresh. `nextAttemptAt` null means the runner gave up on it.
 */
export async function recordFailure(
  db: Tx,
  f: { key: string; duty: string; retryFrom: Date; error: string; at: Date },
  nextAttempt: (attempts: number) => Date | null,
): Promise<{ attempts: number; nextAttemptAt: Date | null }> {
  const prev = await db.dutyFailure.findUnique({ where: { key: f.key } });
  const fresh = !prev || prev.resolvedAt !== null;
  const attempts = fresh ? 1 : prev.attempts + 1;
  const nextAttemptAt = nextAttempt(attempts);
  const data = { duty: f.duty, retryFrom: f.retryFrom, attempts, lastError: f.error.slice(0, 2000), lastFailedAt: f.at, nextAttemptAt, resolvedAt: null };
  await db.dutyFailure.upsert({
    where: { key: f.key },
    create: { key: f.key, firstFailedAt: f.at, ...data },
    update: fresh ? { ...data, firstFailedAt: f.at } : data,
  });
  return { attempts, nextAttemptAt };
}

/** Marks failures as resolved: the item ran, here or in another process. */
export async function resolveFailures(db: Tx, keys: string[], at: Date): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) {
    await db.dutyFailure.updateMany({ where: { key: { in: keys.slice(i, i + 500) }, resolvedAt: null }, data: { resolvedAt: at } });
  }
}
