/**
 * Inbound messages already handled, so a redelivered message is handled once; and the inbox of updates recorded
 * before the platform is answered and handled after (InboundUpdate).
 */
import { Prisma } from '../../generated/prisma/client.js';
import { executeCoalesced, executeStatement, firstOfEach, queryRows } from './direct.js';
import type { Db, Tx } from './prisma.js';
import { retryWhenBusy, withWriteTransaction } from './write.js';

/**
 * Records the message; not first when it was seen before. One statement (`INSERT … ON CONFLICT DO NOTHING`, SQLite
 * and PostgreSQL alike: the hot path pays for every statement, and a conflict does not abort a PostgreSQL
 * transaction), which also reads the organisation's version (org-cache.ts) as this transaction sees it: a handling's
 * two reads before anything else, in one (write-group.ts, for a handling in a transaction of its own).
 */
export async function firstDeliveryAt(
  db: Tx,
  platform: string,
  messageId: string,
  at: Date,
): Promise<{ first: false } | { first: true; orgVersion: number | undefined }> {
  const rows = await queryRows<{ orgVersion: number | bigint | null }>(
    db,
    Prisma.sql`INSERT INTO "InboundMessage" ("platform", "messageId", "receivedAt") VALUES (${platform}, ${messageId}, ${at}) ON CONFLICT DO NOTHING RETURNING (SELECT "version" FROM "OrgVersion" WHERE "id" = 1) AS "orgVersion"`,
  );
  if (rows.length === 0) return { first: false };
  const v = rows[0]!.orgVersion;
  return { first: true, orgVersion: v === null ? undefined : Number(v) };
}

/** A message to be handled once: its platform, the platform's id for it, and when it arrived. */
export interface Delivery {
  platform: string;
  messageId: string;
  at: Date;
}

/** A platform's id for a message or an update as one key (the tables' unique keys: platform and id). */
export const platformKey = (platform: unknown, id: unknown) => `${String(platform)}\u0000${String(id)}`;

/**
 * Records several messages in one statement (a shared write transaction's, write-group.ts); for each, true when it
 * was not seen before: the first of its platform and id among them, when the database did not have it yet.
 */
export async function firstDeliveries(db: Tx, deliveries: readonly Delivery[]): Promise<boolean[]> {
  if (deliveries.length === 0) return [];
  const values = deliveries.map((d) => Prisma.sql`(${d.platform}, ${d.messageId}, ${d.at})`);
  const rows = await queryRows<{ platform: unknown; messageId: unknown }>(
    db,
    Prisma.sql`INSERT INTO "InboundMessage" ("platform", "messageId", "receivedAt") VALUES ${Prisma.join(values)} ON CONFLICT DO NOTHING RETURNING "platform", "messageId"`,
  );
  return firstOfEach(
    deliveries.map((d) => platformKey(d.platform, d.messageId)),
    rows.map((r) => platformKey(r.platform, r.messageId)),
  ).map((n) => n === 1);
}

/** Forgets that a message was seen (its handling failed after firstDeliveries recorded it): a resend is handled. */
export async function forgetDelivery(db: Tx, d: Pick<Delivery, 'platform' | 'messageId'>): Promise<void> {
  await executeStatement(db, Prisma.sql`DELETE FROM "InboundMessage" WHERE "platform" = ${d.platform} AND "messageId" = ${d.messageId}`);
}

export interface InboundUpdateRow {
  id: number;
  chatRef: string;
  payload: string;
  attempts: number;
}

/**
 * Records an update unless one with its platform and id is there already (a redelivery); true when recorded.
 * One statement on its own (`INSERT … ON CONFLICT DO NOTHING`, atomic without a transaction around it; it waits its
 * turn between this process's transactions), so it is committed when this returns, whatever else the process is doing.
 */
export async function recordUpdate(db: Db, u: { platform: string; updateId: string; chatRef: string; payload: string; at: Date }): Promise<boolean> {
  // Updates that arrive together (a burst of webhook calls) share one commit and one statement; each is answered once
  // it is on the disk: the platform will not send it again (durable, direct.ts).
  return (await executeCoalesced(db, { key: 'InboundUpdate', row: u, maxRows: 150, statement: insertUpdates, changed: updatesInserted }, 'durable')) > 0;
}

type UpdateRow = Parameters<typeof recordUpdate>[1];

/** One INSERT for a burst of updates, returning the ones it recorded (a redelivery is skipped). */
function insertUpdates(rows: readonly UpdateRow[]): Prisma.Sql {
  const values = rows.map((u) => Prisma.sql`(${u.platform}, ${u.updateId}, ${u.chatRef}, ${u.payload}, ${u.at}, 0)`);
  return Prisma.sql`INSERT INTO "InboundUpdate" ("platform", "updateId", "chatRef", "payload", "receivedAt", "attempts") VALUES ${Prisma.join(values)} ON CONFLICT DO NOTHING RETURNING "platform", "updateId"`;
}

/** 1 for each update recorded: the first of its platform and id in the burst, when the database did not have it yet. */
function updatesInserted(rows: readonly UpdateRow[], returned: readonly Record<string, unknown>[]): number[] {
  return firstOfEach(
    rows.map((u) => platformKey(u.platform, u.updateId)),
    returned.map((r) => platformKey(r.platform, r.updateId)),
  );
}

/** The oldest updates not yet handled, in the order they arrived. */
export async function unhandledUpdates(db: Tx, limit: number): Promise<InboundUpdateRow[]> {
  const rows = await queryRows<{ id: unknown; chatRef: unknown; payload: unknown; attempts: unknown }>(
    db,
    Prisma.sql`SELECT "id", "chatRef", "payload", "attempts" FROM "InboundUpdate" WHERE "handledAt" IS NULL ORDER BY "id" ASC LIMIT ${limit}`,
  );
  return rows.map((r) => ({ id: Number(r.id), chatRef: String(r.chatRef), payload: String(r.payload), attempts: Number(r.attempts) }));
}

/** Marks updates handled, in one statement per 500 (the inbox worker marks a round's updates together). */
export async function markUpdatesHandled(db: Db, ids: readonly number[], at: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await retryWhenBusy(() => executeStatement(db, Prisma.sql`UPDATE "InboundUpdate" SET "handledAt" = ${at} WHERE "id" IN (${Prisma.join(chunk)})`));
  }
}

/** A failed try: counted with its error; after the last allowed try the update is set aside as handled. */
export async function markUpdateFailed(db: Db, id: number, error: string, at: Date, giveUp: boolean): Promise<void> {
  await withWriteTransaction(db, (tx) =>
    tx.inboundUpdate.update({ where: { id }, data: { attempts: { increment: 1 }, lastError: error.slice(0, 500), ...(giveUp ? { handledAt: at } : {}) } }),
  );
}

/** Forgets updates handled before `before` (a redelivery after that is still handled once: see firstDeliveries). */
export async function pruneHandledUpdates(db: Db, before: Date): Promise<number> {
  const r = await withWriteTransaction(db, (tx) => tx.inboundUpdate.deleteMany({ where: { handledAt: { lt: before } } }));
  return r.count;
}
