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

/**
 * Messages that may be delivered now on these platforms, oldest first: pending or failed and due again, not held
 * (notBefore), and messages left "sending" by a process that died (its claim older than the lease).
 */
export async function deliverable(db: Tx, platforms: readonly string[], now: Date, leaseMs: number, limit = 500) {
  if (platforms.length === 0) return [];
  return db.outbox.findMany({
    where: {
      // only platforms that are running: messages for others wait without starving these
      AND: [
        { OR: platforms.map((p) => ({ chatRef: { startsWith: `${p}:` } })) },
        { OR: [{ status: { in: ['pending', 'failed'] }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }, { status: 'sending', claimedAt: { lt: new Date(now.getTime() - leaseMs) } }] },
        { OR: [{ notBefore: null }, { notBefore: { lte: now } }] },
      ],
    },
    orderBy: { id: 'asc' },
    take: limit,
  });
}

/** Takes a message for delivery by this process; false when another process has it. */
export async function claim(db: Tx, id: number, by: string, now: Date, leaseMs: number): Promise<boolean> {
  const r = await db.outbox.updateMany({
    where: { id, OR: [{ status: { in: ['pending', 'failed'] } }, { status: 'sending', claimedAt: { lt: new Date(now.getTime() - leaseMs) } }] },
    data: { status: 'sending', claimedBy: by, claimedAt: now },
  });
  return r.count === 1;
}

export async function markSent(db: Tx, id: number, at: Date): Promise<void> {
  await db.outbox.update({ where: { id }, data: { status: 'sent', sentAt: at, attempts: { increment: 1 }, lastError: null } });
}

/** A failure: counted as an attempt, retried from `retryAt`, or dead when out of attempts. */
export async function markFailed(db: Tx, id: number, error: string, dead: boolean, retryAt: Date | null = null): Promise<void> {
  await db.outbox.update({
    where: { id },
    data: { status: dead ? 'dead' : 'failed', lastError: error.slice(0, 1000), attempts: { increment: 1 }, nextAttemptAt: dead ? null : retryAt },
  });
}

/** The platform said 429: not an attempt, just later. */
export async function markRateLimited(db: Tx, id: number, error: string, retryAt: Date): Promise<void> {
  await db.outbox.update({ where: { id }, data: { status: 'failed', lastError: error.slice(0, 1000), nextAttemptAt: retryAt } });
}

/** How many messages went out on a platform since an instant (the WeChat daily cap survives restarts). */
export async function sentSince(db: Tx, platform: string, since: Date): Promise<number> {
  return db.outbox.count({ where: { chatRef: { startsWith: `${platform}:` }, status: 'sent', sentAt: { gte: since } } });
}

/** Cancels messages not yet sent (e.g. an alert withdrawn by a correction). Returns how many were cancelled. */
export async function cancelPending(db: Tx, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db.outbox.updateMany({ where: { id: { in: ids }, status: 'pending' }, data: { status: 'cancelled' } });
  return r.count;
}

export async function statusOf(db: Tx, ids: number[]) {
  return db.outbox.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, personId: true } });
}
