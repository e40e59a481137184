/** Chat accounts, invite codes and class-group bindings. */
import type { Tx } from './prisma.js';

export async function createInvite(db: Tx, personId: number, code: string, at: Date, expiresAt: Date): Promise<void> {
  await db.inviteCode.create({ data: { code, personId, createdAt: at, expiresAt } });
}

export async function findInvite(db: Tx, code: string) {
  return db.inviteCode.findUnique({ where: { code } });
}

/** Binds an account to the invite's person and consumes the code, atomically. */
export async function redeemInvite(db: Tx, code: string, platform: string, accountId: string, at: Date): Promise<void> {
  await db.inviteCode.update({ where: { code }, data: { usedAt: at, usedBy: `${platform}:${accountId}` } });
  const invite = await db.inviteCode.findUniqueOrThrow({ where: { code } });
  await db.chatAccount.upsert({
    where: { platform_accountId: { platform, accountId } },
    create: { platform, accountId, personId: invite.personId, boundAt: at },
    update: { personId: invite.personId, boundAt: at },
  });
}

/** The chat a direct message to this person goes to: their latest bound account, else the console. */
export async function dmRefFor(db: Tx, personId: number): Promise<string> {
  const acc = await db.chatAccount.findFirst({ where: { personId }, orderBy: { boundAt: 'desc' } });
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

export async function audit(db: Tx, at: Date, action: string, detail: unknown, actorId?: number, chatRef?: string): Promise<void> {
  await db.auditLog.create({ data: { at, action, detail: JSON.stringify(detail), actorId: actorId ?? null, chatRef: chatRef ?? null } });
}
