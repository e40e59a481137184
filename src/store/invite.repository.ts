/** One-time invite codes and failed attempts to use them. */
import type { Tx } from './prisma.js';

export interface NewInvite {
  personId: number;
  code: string;
}

/** Which of these codes already exist (any state), in chunks the database accepts. */
export async function existingCodes(db: Tx, codes: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await db.inviteCode.findMany({ where: { code: { in: codes.slice(i, i + 500) } }, select: { code: true } });
    for (const r of rows) out.add(r.code);
  }
  return out;
}

/** Writes new codes; each person's earlier codes not yet used stop working. */
export async function replaceInvites(db: Tx, invites: NewInvite[], at: Date, expiresAt: Date): Promise<void> {
  for (let i = 0; i < invites.length; i += 500) {
    const chunk = invites.slice(i, i + 500);
    await db.inviteCode.updateMany({
      where: { personId: { in: chunk.map((c) => c.personId) }, usedAt: null, revokedAt: null },
      data: { revokedAt: at },
    });
    await db.inviteCode.createMany({ data: chunk.map((c) => ({ code: c.code, personId: c.personId, createdAt: at, expiresAt })) });
  }
}

/** Uses a code if it is valid now (unused, not replaced, not expired): the person it was for, else undefined. */
export async function consumeInvite(db: Tx, code: string, usedBy: string, at: Date): Promise<number | undefined> {
  const { count } = await db.inviteCode.updateMany({
    where: { code, usedAt: null, revokedAt: null, expiresAt: { gt: at } },
    data: { usedAt: at, usedBy },
  });
  if (count !== 1) return undefined;
  return (await db.inviteCode.findUniqueOrThrow({ where: { code }, select: { personId: true } })).personId;
}

/** Records a failed attempt; attempts older than a day no longer matter and are dropped. */
export async function recordInviteFailure(db: Tx, platform: string, accountId: string, at: Date): Promise<void> {
  await db.inviteFailure.deleteMany({ where: { at: { lt: new Date(at.getTime() - 24 * 3600_000) } } });
  await db.inviteFailure.create({ data: { platform, accountId, at } });
}

/** An account's failed attempts since an instant, oldest first. */
export async function inviteFailuresSince(db: Tx, platform: string, accountId: string, since: Date): Promise<Date[]> {
  const rows = await db.inviteFailure.findMany({ where: { platform, accountId, at: { gt: since } }, select: { at: true }, orderBy: { at: 'asc' } });
  return rows.map((r) => r.at);
}

/** The county's active staff with the names of where they work, for invite sheets (a few queries, any size). */
export async function staffDirectory(db: Tx) {
  const [county, towns, villages, schools, classes, people] = await Promise.all([
    db.county.findFirst({ orderBy: { id: 'asc' } }),
    db.town.findMany({ orderBy: { id: 'asc' } }),
    db.village.findMany({ select: { id: true, townId: true, name: true } }),
    db.school.findMany({ select: { id: true, townId: true, name: true }, orderBy: { id: 'asc' } }),
    db.schoolClass.findMany({ select: { id: true, name: true, stage: true, grade: true, classNo: true } }),
    db.person.findMany({
      where: { active: true },
      select: { id: true, staffId: true, name: true, role: true, townId: true, villageId: true, schoolId: true, classId: true },
      orderBy: { id: 'asc' },
    }),
  ]);
  return { countyName: county?.name ?? '本县', towns, villages, schools, classes, people };
}

export type StaffDirectory = Awaited<ReturnType<typeof staffDirectory>>;
