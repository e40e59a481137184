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
import { executeBatch, executeBatchWithRows, returning } from './direct.js';
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

/**
 * Due at `now` (alias `o`): pending or failed and not backing off, or left "sending" by a process that died. What a
 * claim checks and what a delivery pass's page reads (outbox.repository.ts, deliverable).
 */
export function due(o: string, now: Date, leaseCut: Date): Prisma.Sql {
  const c = (col: string) => Prisma.raw(`${o}."${col}"`);
  return Prisma.sql`((${c('status')} IN ('pending', 'failed') AND (${c('nextAttemptAt')} IS NULL OR ${c('nextAttemptAt')} <= ${now}))
    OR (${c('status')} = 'sending' AND ${c('claimedAt')} < ${leaseCut}))`;
}

/**
 * Rows (alias `p`) that hold the platform's 429 pause at `now`: a message it refused, due again after the pause. What a
 * claim checks (none may exist) and what a delivery pass reads with its page (outbox.repository.ts, deliverable).
 */
export function pausing(p: string, platform: string, now: Date): Prisma.Sql {
  const c = (col: string) => Prisma.raw(`${p}."${col}"`);
  return Prisma.sql`${c('status')} = 'failed' AND ${c('nextAttemptAt')} > ${now} AND ${c('lastError')} LIKE ${`${RATE_LIMITED}%`} AND ${c('chatRef')} LIKE ${`${platform}:%`}`;
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
 * Claims several messages (of different chats) in one transaction, each as claim() would. One commit for a pass's
 * claims instead of one each, and, when the messages share a platform and are of different chats, one statement: its
 * platform-wide windows (every claim of the platform in the last second, or since midnight) are counted once for all
 * of them, with room for every one of them, instead of once per message. When that finds no room for all of them (a
 * window nearly full) nothing is claimed by it, and the messages are claimed one by one in order, a later claim
 * counting the earlier ones. The token of each, or null for one that could not be taken.
 */
export async function claimMany(db: Db, wanted: readonly ClaimRequest[], by: string, now: Date, leaseMs: number): Promise<(ClaimToken | null)[]> {
  if (wanted.length === 0) return [];
  // PostgreSQL: the per-platform claim locks first, in one order (two processes' batches cannot wait on each other).
  const platforms = [...new Set(wanted.map((w) => w.guard?.platform ?? w.m.chatRef.slice(0, Math.max(0, w.m.chatRef.indexOf(':')))))].sort();
  const locks = dialect(db) === 'postgresql' ? platforms.map((p) => Prisma.sql`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_KEY}::int4, hashtext(${p}))`) : [];
  const tokens = (ids: ReadonlySet<number>) => wanted.map((w) => (ids.has(w.m.id) ? { id: w.m.id, by, at: now } : null));
  if (wanted.length > 1 && together(wanted)) {
    const outcomes = await retryWhenBusy(() => executeBatchWithRows(db, [...locks, returning(claimStatement(wanted, by, now, leaseMs))]));
    const ids = new Set((outcomes[locks.length] as { id: unknown }[]).map((r) => Number(r.id)));
    if (ids.size > 0 || !wanted.some((w) => w.guard?.windows.some((x) => x.scope === 'platform'))) return tokens(ids);
  }
  const updates = wanted.map((w) => claimStatement([w], by, now, leaseMs));
  const changed = await retryWhenBusy(() => executeBatch(db, [...locks, ...updates]));
  return tokens(new Set(wanted.filter((_, i) => changed[locks.length + i] === 1).map((w) => w.m.id)));
}

/** Whether messages can be claimed by one statement: one platform and quiet-hours rule (or none), each of another chat. */
function together(wanted: readonly ClaimRequest[]): boolean {
  const key = (w: ClaimRequest) => (w.guard ? `${w.guard.platform}|${w.guard.quiet ? (w.guard.quiet.holdUrgent ? 'hold' : 'quiet') : ''}` : '');
  return new Set(wanted.map(key)).size === 1 && new Set(wanted.map((w) => w.m.chatRef)).size === wanted.length;
}

/**
 * The claim of messages as one conditional UPDATE returning the ids it took (exported for its query plan's test).
 * They share the guard's platform and quiet hours (claimMany's `together`); each is checked on its own for its
 * attempts, being due, its chat's order and its chat's windows. The platform's pause and windows hold for all alike:
 * a platform window must have room for every message of the statement that has it.
 */
export function claimStatement(wanted: readonly ClaimRequest[], by: string, now: Date, leaseMs: number): Prisma.Sql {
  const leaseCut = new Date(now.getTime() - leaseMs);
  const guard = wanted[0]!.guard;
  const each = wanted.map(({ m, guard: g }) => {
    const own = [Prisma.sql`"id" = ${m.id}`, Prisma.sql`"attempts" = ${m.attempts}`];
    for (const w of g?.windows ?? []) {
      if (w.scope === 'chat')
        own.push(Prisma.sql`(SELECT COUNT(*) FROM "Outbox" w WHERE w."claimedAt" > ${w.since} AND w."chatRef" = ${m.chatRef}) < ${w.max}`);
    }
    return Prisma.sql`(${Prisma.join(own, ' AND ')})`;
  });
  const conditions: Prisma.Sql[] = [
    Prisma.sql`"id" IN (${Prisma.join(wanted.map((w) => w.m.id))})`,
    Prisma.sql`(${Prisma.join(each, ' OR ')})`,
    due('"Outbox"', now, leaseCut),
    // No other message of the chat in flight, and none older due before it. The chat's unfinished messages only, found
    // by (chatRef, status): its delivered history (hundreds of rows in a busy chat) is not read.
    Prisma.sql`NOT EXISTS (SELECT 1 FROM "Outbox" e WHERE e."chatRef" = "Outbox"."chatRef" AND e."status" IN ('pending', 'failed', 'sending') AND e."id" <> "Outbox"."id"
      AND ((e."status" = 'sending' AND e."claimedAt" >= ${leaseCut})
        OR (e."id" < "Outbox"."id" AND ${due('e', now, leaseCut)} AND (e."notBefore" IS NULL OR e."notBefore" <= ${now})${quietFilter(guard?.quiet)})))`,
  ];
  if (guard) {
    const platformRefs = `${guard.platform}:%`;
    conditions.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "Outbox" p WHERE ${pausing('p', guard.platform, now)})`);
    // Each platform window once, with room for as many claims as there are messages it applies to.
    const needed = new Map<string, { w: ClaimWindow; n: number }>();
    for (const { guard: g } of wanted) {
      for (const w of g?.windows ?? []) {
        if (w.scope !== 'platform') continue;
        const key = `${w.since.getTime()}/${w.max}`;
        const seen = needed.get(key);
        if (seen) seen.n++;
        else needed.set(key, { w, n: 1 });
      }
    }
    for (const { w, n } of needed.values()) {
      conditions.push(Prisma.sql`(SELECT COUNT(*) FROM "Outbox" w WHERE w."claimedAt" > ${w.since} AND w."chatRef" LIKE ${platformRefs}) + ${n} <= ${w.max}`);
    }
  }
  return Prisma.sql`UPDATE "Outbox" SET "status" = 'sending', "claimedBy" = ${by}, "claimedAt" = ${now} WHERE ${Prisma.join(conditions, ' AND ')} RETURNING "id"`;
}

function quietFilter(quiet: { holdUrgent: boolean } | null | undefined): Prisma.Sql {
  if (!quiet) return Prisma.empty;
  return quiet.holdUrgent ? Prisma.sql` AND e."kind" = 'reply'` : Prisma.sql` AND (e."kind" = 'reply' OR e."urgent" = ${true})`;
}
