/**
 * Claiming a message for delivery: one conditional UPDATE that checks, against what the database says every process
 * has done, everything that must hold before the platform is called. A single statement takes SQLite's write lock
 * before it reads, so two processes are serialised by it and never both fill the last place in a rate window.
 * On PostgreSQL a statement reads a snapshot and takes no such lock, so there the UPDATEs run in a transaction that
 * first takes an advisory lock per platform: a second process's claim for the platform waits and then counts the
 * first one's (each statement of READ COMMITTED sees what committed before it began). A pass's claims go in one
 * transaction (claimMany): one commit for all of them.
 */
import { Prisma } from '../../generated/prisma/client.js';
import { type Db, dialect } from './prisma.js';
import { executeBatch } from './direct.js';
import { retryWhenBusy } from './busy.js';

/** First key of the per-platform claim lock (the second is the platform name's hash). */
const CLAIM_LOCK_KEY = 0x6b636c6d;

/** The `lastError` of a message the platform refused with 429; also how a running pause is found again. */
export const RATE_LIMITED = 'rate limited';

/** A sliding window the claim must leave room in: claims (platform calls) since `since`, fewer than `max`. */
export interface ClaimWindow {
  /** The whole platform, or this one chat. */
  scope: 'platform' | 'chat';
  since: Date;
  max: number;
}

export interface ClaimGuard {
  platform: string;
  windows: readonly ClaimWindow[];
  /** Quiet hours: an older message of the chat held by them does not keep this one back. */
  quiet?: { holdUrgent: boolean } | null;
}

/** Who holds a claim: settling a message needs both, so a process whose claim ran out cannot overwrite another's result. */
export interface ClaimToken {
  id: number;
  by: string;
  at: Date;
}

/** Due at `now` (alias `o`): pending or failed and not backing off, or left "sending" by a process that died. */
function due(o: string, now: Date, leaseCut: Date): Prisma.Sql {
  const c = (col: string) => Prisma.raw(`${o}."${col}"`);
  return Prisma.sql`((${c('status')} IN ('pending', 'failed') AND (${c('nextAttemptAt')} IS NULL OR ${c('nextAttemptAt')} <= ${now}))
    OR (${c('status')} = 'sending' AND ${c('claimedAt')} < ${leaseCut}))`;
}

/** A message to claim, as it was read, with what its claim must check. */
export interface ClaimRequest {
  m: { id: number; attempts: number; chatRef: string };
  guard?: ClaimGuard;
}

/**
 * Takes a message for delivery by this process, or returns null and changes nothing. It must still be as it was
 * read (same attempts) and due; no other message of its chat may be in flight or due before it (each chat in
 * order); its platform must not be paused by a 429; and every rate window of the guard must have room.
 */
export async function claim(
  db: Db,
  m: { id: number; attempts: number; chatRef: string },
  by: string,
  now: Date,
  leaseMs: number,
  guard?: ClaimGuard,
): Promise<ClaimToken | null> {
  return (await claimMany(db, [guard ? { m, guard } : { m }], by, now, leaseMs))[0]!;
}

/**
 * Claims several messages (of different chats) in one transaction, each as claim() would, in order: a later claim
 * counts the earlier ones in its rate windows. One commit for a pass's claims instead of one each. The token of
 * each, or null for one that could not be taken.
 */
export async function claimMany(db: Db, wanted: readonly ClaimRequest[], by: string, now: Date, leaseMs: number): Promise<(ClaimToken | null)[]> {
  if (wanted.length === 0) return [];
  const updates = wanted.map((w) => claimStatement(w, by, now, leaseMs));
  // PostgreSQL: the per-platform claim locks first, in one order (two processes' batches cannot wait on each other).
  const platforms = [...new Set(wanted.map((w) => w.guard?.platform ?? w.m.chatRef.slice(0, Math.max(0, w.m.chatRef.indexOf(':')))))].sort();
  const locks = dialect(db) === 'postgresql' ? platforms.map((p) => Prisma.sql`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY}::int4, hashtext(${p}))`) : [];
  const changed = await retryWhenBusy(() => executeBatch(db, [...locks, ...updates]));
  return wanted.map((w, i) => (changed[locks.length + i] === 1 ? { id: w.m.id, by, at: now } : null));
}

/** The claim of one message as one conditional UPDATE (exported for its query plan's test). */
export function claimStatement({ m, guard }: ClaimRequest, by: string, now: Date, leaseMs: number): Prisma.Sql {
  const leaseCut = new Date(now.getTime() - leaseMs);
  const conditions: Prisma.Sql[] = [
    Prisma.sql`"id" = ${m.id}`,
    Prisma.sql`"attempts" = ${m.attempts}`,
    due('"Outbox"', now, leaseCut),
    // No other message of the chat in flight, and none older due before it. The chat's unfinished messages only, found
    // by (chatRef, status): its delivered history (hundreds of rows in a busy chat) is not read.
    Prisma.sql`NOT EXISTS (SELECT 1 FROM "Outbox" e WHERE e."chatRef" = ${m.chatRef} AND e."status" IN ('pending', 'failed', 'sending') AND e."id" <> ${m.id}
      AND ((e."status" = 'sending' AND e."claimedAt" >= ${leaseCut})
        OR (e."id" < ${m.id} AND ${due('e', now, leaseCut)} AND (e."notBefore" IS NULL OR e."notBefore" <= ${now})${quietFilter(guard?.quiet)})))`,
  ];
  if (guard) {
    const platformRefs = `${guard.platform}:%`;
    conditions.push(
      Prisma.sql`NOT EXISTS (SELECT 1 FROM "Outbox" p WHERE p."status" = 'failed' AND p."nextAttemptAt" > ${now} AND p."lastError" LIKE ${`${RATE_LIMITED}%`} AND p."chatRef" LIKE ${platformRefs})`,
    );
    for (const w of guard.windows) {
      const scope = w.scope === 'chat' ? Prisma.sql`w."chatRef" = ${m.chatRef}` : Prisma.sql`w."chatRef" LIKE ${platformRefs}`;
      conditions.push(Prisma.sql`(SELECT COUNT(*) FROM "Outbox" w WHERE w."claimedAt" > ${w.since} AND ${scope}) < ${w.max}`);
    }
  }
  return Prisma.sql`UPDATE "Outbox" SET "status" = 'sending', "claimedBy" = ${by}, "claimedAt" = ${now} WHERE ${Prisma.join(conditions, ' AND ')}`;
}

function quietFilter(quiet: { holdUrgent: boolean } | null | undefined): Prisma.Sql {
  if (!quiet) return Prisma.empty;
  return quiet.holdUrgent ? Prisma.sql` AND e."kind" = 'reply'` : Prisma.sql` AND (e."kind" = 'reply' OR e."urgent" = ${true})`;
}
