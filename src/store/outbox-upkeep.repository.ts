/** The outbox's upkeep: dead letters for the county admin's digest and the CLI, and pruning old rows. */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx, Db } from './prisma.js';
import { queryRows } from './direct.js';
import { writeKept } from './deferred-rows.js';

export const DELIVERY_REPORT = 'delivery_report';

export interface DeadRow {
  id: number;
  chatRef: string;
  personId: number | null;
  kind: string;
  text: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  /** The last try. */
  claimedAt: Date | null;
  deadReportedAt: Date | null;
}

const DEAD_COLUMNS = {
  id: true,
  chatRef: true,
  personId: true,
  kind: true,
  text: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  claimedAt: true,
  deadReportedAt: true,
} as const;

/** Dead messages not yet in a digest (a dead digest itself is never reported: no loop). */
export async function hasUnreportedDead(db: Tx): Promise<boolean> {
  // SQL: the dispatcher asks after every delivery round (the model API's query costs several times the statement).
  const rows = await queryRows<unknown>(
    db,
    Prisma.sql`SELECT "id" FROM "Outbox" WHERE "status" = 'dead' AND "deadReportedAt" IS NULL AND "kind" <> ${DELIVERY_REPORT} LIMIT 1`,
  );
  return rows.length > 0;
}

/** When the last digest was written, if any is still in the outbox. */
export async function lastDigestAt(db: Tx): Promise<Date | null> {
  const r = await db.outbox.findFirst({ where: { kind: DELIVERY_REPORT }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
  return r?.createdAt ?? null;
}

/**
 * Marks every unreported dead letter as reported at `at` and returns them, oldest first. Call inside the
 * transaction that writes the digest: the UPDATE comes first so it takes the write lock, and of two processes only
 * one gets the rows.
 */
export async function takeUnreportedDead(tx: Tx, at: Date): Promise<DeadRow[]> {
  await writeKept(tx);
  const n = await tx.outbox.updateMany({ where: { status: 'dead', deadReportedAt: null, kind: { not: DELIVERY_REPORT } }, data: { deadReportedAt: at } });
  if (n.count === 0) return [];
  return tx.outbox.findMany({ where: { status: 'dead', deadReportedAt: at, kind: { not: DELIVERY_REPORT } }, select: DEAD_COLUMNS, orderBy: { id: 'asc' } });
}

/** Dead messages, newest first (digests included: a digest that could not be delivered is listed here only). */
export async function deadLetters(db: Tx, limit: number): Promise<{ total: number; rows: DeadRow[] }> {
  const [total, rows] = await Promise.all([
    db.outbox.count({ where: { status: 'dead' } }),
    db.outbox.findMany({ where: { status: 'dead' }, select: DEAD_COLUMNS, orderBy: { id: 'desc' }, take: limit }),
  ]);
  return { total, rows };
}

/** The accounts a person is bound on, latest first (where a digest can reach them). */
export async function accountsOf(db: Tx, personId: number): Promise<{ platform: string; accountId: string }[]> {
  return db.chatAccount.findMany({ where: { personId }, orderBy: { boundAt: 'desc' }, select: { platform: true, accountId: true } });
}

const FINISHED = ['sent', 'cancelled', 'dead'];

/**
 * Deletes delivered, cancelled and dead messages written before `before`, in batches of `batch` so no write holds
 * the database for long. Messages still to be delivered are kept whatever their age. Returns how many went.
 */
export async function pruneOutbox(db: Db, before: Date, batch = 500): Promise<number> {
  let pruned = 0;
  for (;;) {
    const ids = (await db.outbox.findMany({ where: { status: { in: FINISHED }, createdAt: { lt: before } }, select: { id: true }, take: batch })).map(
      (r) => r.id,
    );
    if (ids.length === 0) return pruned;
    pruned += (await db.outbox.deleteMany({ where: { id: { in: ids } } })).count;
    if (ids.length < batch) return pruned;
  }
}
