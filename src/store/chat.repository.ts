/** Direct-message routing, class-group bindings and the audit log. */
import type { Tx } from './prisma.js';
import { currentAccountOf } from './account.repository.js';
import { insertLater } from './deferred-rows.js';

/** The chat a direct message to this person goes to: their current account (latest, not revoked), else the console. */
export async function dmRefFor(db: Tx, personId: number): Promise<string> {
  const acc = await currentAccountOf(db, personId);
  if (acc) return `${acc.platform}:dm:${acc.accountId}`;
  const p = await db.person.findUniqueOrThrow({ where: { id: personId } });
  return `console:dm:${p.staffId}`;
}

export async function groupClass(db: Tx, chatRef: string): Promise<number | undefined> {
  const b = await db.groupBinding.findFirst({ where: { chatRef }, orderBy: { id: 'desc' } });
  return b?.classId;
}

export async function bindGroup(db: Tx, chatRef: string, classId: number, personId: number, at: Date): Promise<void> {
  await db.groupBinding.create({ data: { chatRef, classId, boundById: personId, boundAt: at } });
}

const AUDIT_COLUMNS = ['at', 'action', 'detail', 'actorId', 'chatRef'] as const;

/**
 * One audit row, written as a plain INSERT (every command that changes something writes one: no query to build); in a
 * handling's shared write transaction with the others' at its end (deferred-rows.ts).
 */
export async function audit(db: Tx, at: Date, action: string, detail: unknown, actorId?: number, chatRef?: string): Promise<void> {
  await insertLater(db, 'AuditLog', AUDIT_COLUMNS, [at, action, JSON.stringify(detail), actorId ?? null, chatRef ?? null]);
}
