/** Chat accounts bound to people. Append-only: a binding is revoked, never deleted or rewritten. */
import type { Tx } from './prisma.js';
import { writeKept } from './deferred-rows.js';

export interface RevokedAccount {
  platform: string;
  accountId: string;
}

/**
 * Binds an account to a person. Revokes the account's earlier binding (whoever it was for) and the person's other
 * accounts on the same platform; returns those other accounts, which can no longer act as the person. Their direct
 * messages not yet delivered move to the new account.
 */
export async function bindAccount(db: Tx, personId: number, platform: string, accountId: string, at: Date): Promise<RevokedAccount[]> {
  const others = await db.chatAccount.findMany({
    where: { personId, platform, revokedAt: null, accountId: { not: accountId } },
    select: { accountId: true },
    orderBy: { id: 'asc' },
  });
  await db.chatAccount.updateMany({ where: { platform, accountId, revokedAt: null }, data: { revokedAt: at } });
  await db.chatAccount.updateMany({ where: { personId, platform, revokedAt: null }, data: { revokedAt: at } });
  await db.chatAccount.create({ data: { platform, accountId, personId, boundAt: at } });
  // Messages for the person still waiting for the old accounts go to the new one instead (a lost phone gets nothing).
  if (others.length > 0) await writeKept(db);
  for (const o of others) {
    await db.outbox.updateMany({
      where: { chatRef: `${platform}:dm:${o.accountId}`, personId, status: { in: ['pending', 'failed'] } },
      data: { chatRef: `${platform}:dm:${accountId}` },
    });
  }
  return [...new Set(others.map((o) => o.accountId))].map((id) => ({ platform, accountId: id }));
}

/** The person a platform account currently acts as (a revoked account acts as nobody). */
export async function activePersonIdOf(db: Tx, platform: string, accountId: string): Promise<number | undefined> {
  const acc = await db.chatAccount.findFirst({ where: { platform, accountId, revokedAt: null }, orderBy: { id: 'desc' } });
  return acc?.personId;
}

/** The person's current account for direct messages: the latest binding not revoked, on any platform. */
export async function currentAccountOf(db: Tx, personId: number): Promise<{ platform: string; accountId: string } | undefined> {
  const acc = await db.chatAccount.findFirst({ where: { personId, revokedAt: null }, orderBy: [{ boundAt: 'desc' }, { id: 'desc' }] });
  return acc ? { platform: acc.platform, accountId: acc.accountId } : undefined;
}

/** Which of these people have a current (not revoked) account, in chunks the database accepts. */
export async function peopleWithAccount(db: Tx, personIds: number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await db.chatAccount.findMany({ where: { revokedAt: null, personId: { in: personIds.slice(i, i + 500) } }, select: { personId: true } });
    for (const r of rows) out.add(r.personId);
  }
  return out;
}
