/**
 * Outbound messages are written here first; delivery reads them back, claims them (outbox-claim.repository.ts) and
 * settles them here. Upkeep (dead letters, pruning) is in outbox-upkeep.repository.ts.
 */
import { Prisma, type Outbox } from '../../generated/prisma/client.js';
import { insertRowsReturning } from './bulk-insert.js';
import { insertLater, writeKept } from './deferred-rows.js';
import { executeCoalesced, firstOfEach, type MultiRow, queryRows } from './direct.js';
import { when, whenOrNull } from './raw-rows.js';
import { type Db, dialect, type Tx } from './prisma.js';
import { due, pausing, RATE_LIMITED, type ClaimToken } from './outbox-claim.repository.js';

export { claim, claimMany, RATE_LIMITED, type ClaimGuard, type ClaimRequest, type ClaimToken, type ClaimWindow } from './outbox-claim.repository.js';

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

function row(at: Date, m: NewMessage) {
  return {
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
  };
}

/** One message; its id. The same statement as enqueueMany's (a reply is on every message's path: no query to build). */
export async function enqueue(db: Tx, at: Date, m: NewMessage): Promise<number> {
  return (await enqueueMany(db, at, [m]))[0]!;
}

const OUTBOX_COLUMNS = ['createdAt', 'chatRef', 'personId', 'text', 'buttons', 'attachment', 'kind', 'dutyKey', 'urgent', 'notBefore'] as const;

/**
 * One message whose id nobody needs (a reply): in a shared write transaction written with the others' at its end
 * (deferred-rows.ts), at once otherwise.
 */
export async function enqueueLater(db: Tx, at: Date, m: NewMessage): Promise<void> {
  await insertLater(db, 'Outbox', OUTBOX_COLUMNS, values(at, m));
}

/** Many messages in multi-row inserts (a duty's fan-out: one statement per chunk, not per message); ids in the order given. */
export async function enqueueMany(db: Tx, at: Date, ms: readonly NewMessage[]): Promise<number[]> {
  const rows = ms.map((m) => values(at, m));
  return (await insertRowsReturning<{ id: number }>(db, 'Outbox', OUTBOX_COLUMNS, rows, ['id'])).map((r) => r.id);
}

/** A message's row as the values of OUTBOX_COLUMNS, in their order. */
function values(at: Date, m: NewMessage) {
  const r = row(at, m);
  return OUTBOX_COLUMNS.map((c) => r[c]);
}

export interface DeliverableQuery {
  /** Only this platform's messages (each platform's pump reads its own): others wait without starving it. */
  platform: string;
  now: Date;
  /** A claim older than this is a process that died while sending. */
  leaseMs: number;
  /** Quiet hours: only replies, and urgent messages unless they are held too. */
  quiet?: { holdUrgent: boolean } | null;
  /** Paging: ids after this one. */
  afterId?: number;
  limit?: number;
}

const OUTBOX_ALL = [
  'id',
  'createdAt',
  'chatRef',
  'personId',
  'text',
  'buttons',
  'attachment',
  'kind',
  'dutyKey',
  'urgent',
  'notBefore',
  'status',
  'attempts',
  'nextAttemptAt',
  'claimedBy',
  'claimedAt',
  'lastError',
  'sentAt',
  'deadReportedAt',
] as const;

type RawOutbox = { [K in keyof Outbox]: unknown };

/** A row read by SQL typed as Prisma reads it (SQLite gives integers, booleans and instants in its own shapes). */
function outboxRow(r: RawOutbox): Outbox {
  return {
    id: Number(r.id),
    createdAt: when(r.createdAt),
    chatRef: String(r.chatRef),
    personId: r.personId === null ? null : Number(r.personId),
    text: String(r.text),
    buttons: (r.buttons as string | null) ?? null,
    attachment: (r.attachment as string | null) ?? null,
    kind: String(r.kind),
    dutyKey: (r.dutyKey as string | null) ?? null,
    urgent: r.urgent === true || r.urgent === 1 || r.urgent === 1n,
    notBefore: whenOrNull(r.notBefore),
    status: String(r.status),
    attempts: Number(r.attempts),
    nextAttemptAt: whenOrNull(r.nextAttemptAt),
    claimedBy: (r.claimedBy as string | null) ?? null,
    claimedAt: whenOrNull(r.claimedAt),
    lastError: (r.lastError as string | null) ?? null,
    sentAt: whenOrNull(r.sentAt),
    deadReportedAt: whenOrNull(r.deadReportedAt),
  };
}

/** A page of what is due on a platform, and the platform's 429 pause read in the same statement. */
export interface DeliverablePage {
  rows: Outbox[];
  /**
   * When the platform may be called again after a 429 that has not run out yet (read from the outbox, so the pause
   * holds across rounds, restarts and processes); null when it is not paused. Only known with rows: a pass with
   * nothing due has nothing to hold back.
   */
  pausedUntil: Date | null;
}

/**
 * Messages that may be delivered now, oldest first: pending or failed and due again, not held (notBefore), and
 * messages left "sending" by a process that died (its claim older than the lease). Read on every delivery pass:
 * written as SQL (no Prisma query to build), due as claim() has it (`due`). Each row also carries the
 * platform's pause (an uncorrelated subquery, evaluated once per statement): a pass used to read it with a statement
 * of its own first, and still does nothing more when the page comes back empty.
 */
export async function deliverable(db: Tx, q: DeliverableQuery): Promise<DeliverablePage> {
  const leaseCut = new Date(q.now.getTime() - q.leaseMs);
  const quiet = q.quiet ? (q.quiet.holdUrgent ? Prisma.sql` AND "kind" = 'reply'` : Prisma.sql` AND ("kind" = 'reply' OR "urgent" = ${true})`) : Prisma.empty;
  const rows = await queryRows<RawOutbox & { kcbxPausedUntil: unknown }>(
    db,
    Prisma.sql`SELECT ${Prisma.raw(OUTBOX_ALL.map((c) => `"${c}"`).join(', '))},
      (SELECT max(p."nextAttemptAt") FROM "Outbox" p WHERE ${pausing('p', q.platform, q.now)}) AS "kcbxPausedUntil"
      FROM "Outbox"
      WHERE "id" > ${q.afterId ?? 0} AND ${refsLike([`${q.platform}:`])}
      AND ${due('"Outbox"', q.now, leaseCut)}
      AND ("notBefore" IS NULL OR "notBefore" <= ${q.now})${quiet}
      ORDER BY "id" ASC LIMIT ${q.limit ?? 500}`,
  );
  return { rows: rows.map(outboxRow), pausedUntil: rows.length ? whenOrNull(rows[0]!.kcbxPausedUntil) : null };
}

/**
 * Settling: only the process that still holds the claim (same claimedBy and claimedAt, still "sending") writes the
 * result. A process whose lease ran out while it was sending finds the row taken over and changes nothing: false.
 *
 * One `UPDATE … WHERE id = ? AND …` written as SQL (every delivered message settles: no Prisma query to build), not
 * updateMany: that wraps it in a transaction, and on SQLite two clients in one process then wait on each other's lock.
 * The results of sends that finish together share one commit (executeCoalesced).
 */
async function settle(db: Db, t: ClaimToken, set: Prisma.Sql): Promise<boolean> {
  const changed = await executeCoalesced(db, Prisma.sql`UPDATE "Outbox" SET ${set} WHERE "status" = 'sending' AND ${held(t)}`);
  return changed > 0; // 0: the claim is no longer ours
}

/** This claim's row while the claim still holds (with `"status" = 'sending'`): what every result is written under. */
const held = (t: ClaimToken): Prisma.Sql => Prisma.sql`"id" = ${t.id} AND "claimedBy" = ${t.by} AND "claimedAt" = ${t.at}`;

export async function markSent(db: Db, t: ClaimToken, at: Date): Promise<boolean> {
  const write: MultiRow<Sent> = { key: 'Outbox sent', row: { t, at }, maxRows: 150, statement: (rows) => settleSent(db, rows), changed: settledIds };
  return (await executeCoalesced(db, write)) > 0; // 0: the claim is no longer ours
}

interface Sent {
  t: ClaimToken;
  at: Date;
}

/** Sends that went out together, settled by one UPDATE (each only while its claim still holds), returning their ids. */
function settleSent(db: Db, rows: readonly Sent[]): Prisma.Sql {
  // PostgreSQL types a CASE of bound values as text: the instants are cast to the column's type there.
  const instant = dialect(db) === 'postgresql' ? (at: Date) => Prisma.sql`CAST(${at} AS TIMESTAMP(3))` : (at: Date) => Prisma.sql`${at}`;
  const sentAt = Prisma.join(
    rows.map(({ t, at }) => Prisma.sql`WHEN ${t.id} THEN ${instant(at)}`),
    ' ',
  );
  const stillHeld = Prisma.join(
    rows.map(({ t }) => Prisma.sql`(${held(t)})`),
    ' OR ',
  );
  return Prisma.sql`UPDATE "Outbox" SET "status" = 'sent', "sentAt" = CASE "id" ${sentAt} END, "attempts" = "attempts" + 1, "lastError" = NULL, "nextAttemptAt" = NULL
    WHERE "id" IN (${Prisma.join(rows.map(({ t }) => t.id))}) AND "status" = 'sending' AND (${stillHeld}) RETURNING "id"`;
}

/** 1 for each send whose row the UPDATE settled (the first of its id, should one be settled twice at once). */
function settledIds(rows: readonly Sent[], returned: readonly Record<string, unknown>[]): number[] {
  return firstOfEach(
    rows.map(({ t }) => String(t.id)),
    returned.map((r) => String(r.id)),
  );
}

/** A failure: counted as an attempt, retried from `retryAt`, or dead when out of attempts (then reported in a digest). */
export async function markFailed(db: Db, t: ClaimToken, error: string, dead: boolean, retryAt: Date | null = null): Promise<boolean> {
  return settle(
    db,
    t,
    Prisma.sql`"status" = ${dead ? 'dead' : 'failed'}, "lastError" = ${error.slice(0, 1000)}, "attempts" = "attempts" + 1, "nextAttemptAt" = ${dead ? null : retryAt}`,
  );
}

/** The platform said 429: not an attempt, just later; the row is also the platform's pause (see deliverable). */
export async function markRateLimited(db: Db, t: ClaimToken, retryAfterSeconds: number, retryAt: Date): Promise<boolean> {
  return settle(db, t, Prisma.sql`"status" = 'failed', "lastError" = ${`${RATE_LIMITED}: retry after ${retryAfterSeconds}s`}, "nextAttemptAt" = ${retryAt}`);
}

/** Chat refs starting with one of the prefixes (as Prisma's startsWith: LIKE, its wildcards escaped). */
function refsLike(prefixes: readonly string[]): Prisma.Sql {
  const like = (p: string) => Prisma.sql`"chatRef" LIKE ${`${p.replace(/[\\%_]/g, '\\$&')}%`} ESCAPE '\\'`;
  return Prisma.sql`(${Prisma.join(prefixes.map(like), ' OR ')})`;
}

/**
 * Platform calls since an instant on these platforms, oldest first: every claim is one (its latest is kept). With
 * `notBy`, only other processes' claims (a pump records its own as it makes them).
 */
export async function claimsSince(
  db: Tx,
  platforms: readonly string[],
  since: Date,
  notBy?: string,
): Promise<{ chatRef: string; claimedAt: Date; claimedBy: string | null }[]> {
  if (platforms.length === 0) return [];
  const others = notBy === undefined ? Prisma.empty : Prisma.sql` AND ("claimedBy" IS NULL OR "claimedBy" <> ${notBy})`;
  // Read on every delivery pass: written as SQL (no Prisma query to build), as claim() is.
  const rows = await queryRows<{ chatRef: string; claimedAt: Date | string; claimedBy: string | null }>(
    db,
    Prisma.sql`SELECT "chatRef", "claimedAt", "claimedBy" FROM "Outbox" WHERE "claimedAt" > ${since}${others} AND ${refsLike(platforms.map((p) => `${p}:`))} ORDER BY "claimedAt" ASC`,
  );
  return rows.map((r) => ({ chatRef: r.chatRef, claimedAt: new Date(r.claimedAt), claimedBy: r.claimedBy }));
}

/** How many platform calls since an instant (the WeChat daily cap, over today's claims only: a bounded window). */
export async function claimCountSince(db: Tx, platform: string, since: Date): Promise<number> {
  const rows = await queryRows<{ n: number | bigint }>(
    db,
    Prisma.sql`SELECT COUNT(*) AS "n" FROM "Outbox" WHERE "claimedAt" >= ${since} AND ${refsLike([`${platform}:`])}`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Cancels messages not yet sent (e.g. an alert withdrawn by a correction), including those waiting for a retry; one
 * being sent at this moment cannot be taken back. Returns how many were cancelled.
 */
export async function cancelPending(db: Tx, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  await writeKept(db);
  const r = await db.outbox.updateMany({ where: { id: { in: ids }, status: { in: ['pending', 'failed'] } }, data: { status: 'cancelled' } });
  return r.count;
}

export async function statusOf(db: Tx, ids: number[]) {
  await writeKept(db);
  return db.outbox.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, personId: true } });
}
