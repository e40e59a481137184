/**
 * Inbound messages already handled, so a redelivered message is handled once; and the inbox of updates recorded
 * before the platform is answered and handled after (InboundUpdate).
 */
import type { Db, Tx } from './prisma.js';
import { withWriteTransaction } from './write.js';

/** Records the message; false when it was seen before. */
export async function firstDelivery(db: Tx, platform: string, messageId: string, at: Date): Promise<boolean> {
  const key = { platform_messageId: { platform, messageId } };
  if (await db.inboundMessage.findUnique({ where: key })) return false;
  await db.inboundMessage.create({ data: { platform, messageId, receivedAt: at } });
  return true;
}

export interface InboundUpdateRow {
  id: number;
  chatRef: string;
  payload: string;
  attempts: number;
}

/**
 * Records an update unless one with its platform and id is there already (a redelivery); true when recorded.
 * In a write transaction of its own, so it is committed when this returns, whatever else the process is doing.
 */
export function recordUpdate(db: Db, u: { platform: string; updateId: string; chatRef: string; payload: string; at: Date }): Promise<boolean> {
  return withWriteTransaction(db, async (tx) => {
    const key = { platform_updateId: { platform: u.platform, updateId: u.updateId } };
    if (await tx.inboundUpdate.findUnique({ where: key, select: { id: true } })) return false;
    await tx.inboundUpdate.create({ data: { platform: u.platform, updateId: u.updateId, chatRef: u.chatRef, payload: u.payload, receivedAt: u.at } });
    return true;
  });
}

/** The oldest updates not yet handled, in the order they arrived. */
export function unhandledUpdates(db: Tx, limit: number): Promise<InboundUpdateRow[]> {
  return db.inboundUpdate.findMany({
    where: { handledAt: null },
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true, chatRef: true, payload: true, attempts: true },
  });
}

export async function markUpdateHandled(db: Db, id: number, at: Date): Promise<void> {
  await withWriteTransaction(db, (tx) => tx.inboundUpdate.update({ where: { id }, data: { handledAt: at } }));
}

/** A failed try: counted with its error; after the last allowed try the update is set aside as handled. */
export async function markUpdateFailed(db: Db, id: number, error: string, at: Date, giveUp: boolean): Promise<void> {
  await withWriteTransaction(db, (tx) =>
    tx.inboundUpdate.update({ where: { id }, data: { attempts: { increment: 1 }, lastError: error.slice(0, 500), ...(giveUp ? { handledAt: at } : {}) } }),
  );
}

/** Forgets updates handled before `before` (a redelivery after that is still handled once: see firstDelivery). */
export async function pruneHandledUpdates(db: Db, before: Date): Promise<number> {
  const r = await withWriteTransaction(db, (tx) => tx.inboundUpdate.deleteMany({ where: { handledAt: { lt: before } } }));
  return r.count;
}
