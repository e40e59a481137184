/** Outbound messages are written here first; delivery reads them back. */
import type { Tx } from './prisma.js';

export interface NewMessage {
  chatRef: string;
  personId?: number | null;
  text: string;
  buttons?: unknown;
  attachment?: unknown;
  /** reply | alert | duty:<name> | delivery_report … (for reading the outbox, not for routing). */
  kind?: string;
  dutyKey?: string;
  /** About a missing child: delivered through quiet hours (unless configured otherwise). */
  urgent?: boolean;
  /** Not delivered before this instant (quiet hours). */
  notBefore?: Date | null;
}

export async function enqueue(db: Tx, at: Date, m: NewMessage): Promise<number> {
  const row = await db.outbox.create({
    data: {
      createdAt: at,
      chatRef: m.chatRef,
      personId: m.personId ?? null,
      text: m.text,
      buttons: m.buttons === undefined ? null : JSON.stringify(m.buttons),
      attachment: m.attachment === undefined ? null : JSON.stringify(m.attachment),
      kind: m.kind ?? 'reply',
      dutyKey: m.dutyKey ?? null,
      urgent: m.urgent ?? false,
      notBefore: m.notBefore ?? null,
    },
  });
  return row.id;
}

/** The `lastError` of a message the platform refused with 429; also how a running pause is found again. */
export const RATE_LIMITED = 'rate limited';

export interface DeliverableQuery {
  /** Only these platforms (the running ones, not paused): messages for others wait without starving these. */
  platforms: readonly string[];
  now: Date;
  /** A claim older than this is a process that died while sending. */
  leaseMs: number;
  /** Quiet hours: only replies, and urgent messages unless they are held too. */
  quiet?: { holdUrgent: boolean } | null;
  /** Paging: ids after this one. */
  afterId?: number;
  limit?: number;
}

/** Where a message is due for a try at `now`: pending or failed and not backing off, or claimed by a dead process. */
function dueAt(now: Date, leaseMs: number) {
  return {
    OR: [
      { status: { in: ['pending', 'failed'] }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
      { status: 'sending', claimedAt: { lt: new Date(now.getTime() - leaseMs) } },
    ],
  };
}

const onPlatforms = (platforms: readonly string[]) => ({ OR: platforms.map((p) => ({ chatRef: { startsWith: `${p}:` } })) });

/**
 * Messages that may be delivered now, oldest first: pending or failed and due again, not held (notBefore), and
 * messages left "sending" by a process that died (its claim older than the lease).
 */
export async function deliverable(db: Tx, q: DeliverableQuery) {
  if (q.platforms.length === 0) return [];
  return db.outbox.findMany({
    where: {
      id: { gt: q.afterId ?? 0 },
      AND: [
        onPlatforms(q.platforms),
        dueAt(q.now, q.leaseMs),
        { OR: [{ notBefore: null }, { notBefore: { lte: q.now } }] },
        ...(q.quiet ? [{ OR: [{ kind: 'reply' }, ...(q.quiet.holdUrgent ? [] : [{ urgent: true }])] }] : []),
      ],
    },
    orderBy: { id: 'asc' },
    take: q.limit ?? 500,
  });
}

/**
 * Takes a message for delivery by this process: one atomic conditional UPDATE, so of two processes that read the
 * same row only one changes it. The row must still be as it was read (same attempts) and still due, so a process
 * holding a stale read cannot resend what another just sent or skip a backoff or 429 wait it just set. False: leave it.
 *
 * This is `update` with the conditions in its where (one `UPDATE … WHERE id = ? AND … RETURNING`), which is the
 * same statement `updateMany` issues and counts; updateMany also wraps it in a transaction, and on SQLite two
 * clients in one process (tests, a console next to a bot) then wait on each other's lock until the busy timeout.
 */
export async function claim(db: Tx, m: { id: number; attempts: number }, by: string, now: Date, leaseMs: number): Promise<boolean> {
  try {
    await db.outbox.update({
      where: { id: m.id, attempts: m.attempts, ...dueAt(now, leaseMs) },
      data: { status: 'sending', claimedBy: by, claimedAt: now },
      select: { id: true },
    });
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'P2025') return false; // no row matched: someone else has it
    throw e;
  }
}

export async function markSent(db: Tx, id: number, at: Date): Promise<void> {
  await db.outbox.update({ where: { id }, data: { status: 'sent', sentAt: at, attempts: { increment: 1 }, lastError: null, nextAttemptAt: null } });
}

/** A failure: counted as an attempt, retried from `retryAt`, or dead when out of attempts. */
export async function markFailed(db: Tx, id: number, error: string, dead: boolean, retryAt: Date | null = null): Promise<void> {
  await db.outbox.update({
    where: { id },
    data: { status: dead ? 'dead' : 'failed', lastError: error.slice(0, 1000), attempts: { increment: 1 }, nextAttemptAt: dead ? null : retryAt },
  });
}

/** The platform said 429: not an attempt, just later. */
export async function markRateLimited(db: Tx, id: number, retryAfterSeconds: number, retryAt: Date): Promise<void> {
  await db.outbox.update({ where: { id }, data: { status: 'failed', lastError: `${RATE_LIMITED}: retry after ${retryAfterSeconds}s`, nextAttemptAt: retryAt } });
}

/**
 * Platforms paused by a 429 that has not run out yet, with the instant each may be called again: read from the
 * outbox, so the pause holds across rounds, restarts and processes.
 */
export async function rateLimitPauses(db: Tx, platforms: readonly string[], now: Date): Promise<Map<string, Date>> {
  const paused = new Map<string, Date>();
  if (platforms.length === 0) return paused;
  const rows = await db.outbox.findMany({
    where: { status: 'failed', lastError: { startsWith: RATE_LIMITED }, nextAttemptAt: { gt: now }, ...onPlatforms(platforms) },
    select: { chatRef: true, nextAttemptAt: true },
  });
  for (const r of rows) {
    const platform = r.chatRef.slice(0, r.chatRef.indexOf(':'));
    if (!paused.has(platform) || paused.get(platform)! < r.nextAttemptAt!) paused.set(platform, r.nextAttemptAt!);
  }
  return paused;
}

/** Platform calls since an instant on these platforms, oldest first: every claim is one (its latest is kept). */
export async function claimsSince(db: Tx, platforms: readonly string[], since: Date): Promise<{ chatRef: string; claimedAt: Date }[]> {
  if (platforms.length === 0) return [];
  const rows = await db.outbox.findMany({
    where: { claimedAt: { gte: since }, ...onPlatforms(platforms) },
    select: { chatRef: true, claimedAt: true },
    orderBy: { claimedAt: 'asc' },
  });
  return rows.map((r) => ({ chatRef: r.chatRef, claimedAt: r.claimedAt! }));
}

/** How many messages went out on a platform since an instant (the WeChat daily cap survives restarts). */
export async function sentSince(db: Tx, platform: string, since: Date): Promise<number> {
  return db.outbox.count({ where: { chatRef: { startsWith: `${platform}:` }, status: 'sent', sentAt: { gte: since } } });
}

/**
 * Cancels messages not yet sent (e.g. an alert withdrawn by a correction), including those waiting for a retry; one
 * being sent at this moment cannot be taken back. Returns how many were cancelled.
 */
export async function cancelPending(db: Tx, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db.outbox.updateMany({ where: { id: { in: ids }, status: { in: ['pending', 'failed'] } }, data: { status: 'cancelled' } });
  return r.count;
}

export async function statusOf(db: Tx, ids: number[]) {
  return db.outbox.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, personId: true } });
}
