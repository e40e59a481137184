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

/** Messages to deliver on these platforms, oldest first; failed ones are retried until they go dead. */
export async function pending(db: Tx, platforms: readonly string[], limit = 500) {
  if (platforms.length === 0) return [];
  return db.outbox.findMany({
    // only platforms that are running: messages for others wait without starving these
    where: { status: { in: ['pending', 'failed'] }, OR: platforms.map((p) => ({ chatRef: { startsWith: `${p}:` } })) },
    orderBy: { id: 'asc' },
    take: limit,
  });
}

export async function markSent(db: Tx, id: number, at: Date): Promise<void> {
  await db.outbox.update({ where: { id }, data: { status: 'sent', sentAt: at, attempts: { increment: 1 } } });
}

export async function markFailed(db: Tx, id: number, error: string, dead: boolean): Promise<void> {
  await db.outbox.update({
    where: { id },
    data: { status: dead ? 'dead' : 'failed', lastError: error.slice(0, 1000), attempts: { increment: 1 } },
  });
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
