/**
 * Write transactions that arrive together share one (group commit): the inbound messages of different chats, handled
 * in lanes, each ask for a write transaction; while one batch runs, the ones asking wait and then run as the next
 * batch, one after another in one transaction, each under a savepoint of its own.
 *
 * What each caller sees is what withWriteTransaction gives it: its function's result once everything it wrote is
 * committed, or its function's error with everything it wrote undone (rolled back to its savepoint, the others'
 * work kept). What a batch saves is per transaction, not per statement: BEGIN and COMMIT (on SQLite each commit
 * writes every page it touched to the log), the write lock (on PostgreSQL a round trip, and every writer of every
 * process waits for it), Prisma's interactive transaction, and the record chain's check and seal (write.ts), once
 * for the batch.
 *
 * When the batch itself fails (its commit, its seal, a savepoint that cannot be rolled back to), each function runs
 * again alone, in a transaction of its own, and its caller gets that run's outcome; the functions given must be safe to
 * run again, as for withWriteTransaction. A database that stays busy fails every caller of the batch with the busy
 * error, as it would have failed each of them alone; so does a batch that Prisma ended at its timeout (30 s), which
 * counts as busy (write.ts runs it again first): BATCH_BUDGET_MS keeps batches far from it.
 *
 * What each function learns at its start (JobStart), in as few round trips as the batch allows: whether the message it
 * handles is new (its Delivery recorded for it, all of the batch's in one statement before the first savepoint) and
 * the organisation's version as its own statements will see it (org-cache.ts; read with its savepoint, one round trip
 * on PostgreSQL). A delivery recorded for a function whose writes are undone, or that the batch had no time for, is
 * forgotten again before COMMIT, as if it had been written under its savepoint: a resend of that message is handled.
 */
import { performance } from 'node:perf_hooks';
import { Prisma } from '../../generated/prisma/client.js';
import { deferRows } from './deferred-rows.js';
import { executeStatement } from './direct.js';
import { type Delivery, firstDeliveries, firstDeliveryAt, forgetDelivery, platformKey } from './inbound.repository.js';
import { orgVersion, orgVersionAfter } from './org-cache.js';
import type { Db, Tx } from './prisma.js';
import { isBusyError, withWriteTransaction } from './write.js';

/**
 * Functions run in one batch at most (a longer queue goes in several). Each savepoint that writes is a subtransaction
 * on PostgreSQL, which keeps up to 64 of them per transaction cheaply.
 */
export const MAX_BATCH = 24;

/**
 * A batch takes no further function once it has run this long; the rest wait for the next one. One slow handling (a
 * county report drawn inside its transaction) should not take a batch of them past Prisma's 30 s transaction timeout.
 */
export const BATCH_BUDGET_MS = 1000;

/** What a function of a shared transaction learns at its start. */
export interface JobStart {
  /** Its delivery's message is new (recorded now, in this transaction); false when seen before; undefined without one. */
  first: boolean | undefined;
  /** The organisation's version as its transaction sees it (org-cache.ts); undefined for a message seen before. */
  orgVersion: number | undefined;
}

type JobFn<T> = (tx: Tx, start: JobStart) => Promise<T>;

interface Job {
  fn: JobFn<unknown>;
  delivery: Delivery | undefined;
  resolve(value: unknown): void;
  reject(e: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Group {
  waiting: Job[];
  running: boolean;
}
const groups = new WeakMap<object, Group>();

/**
 * A write transaction (withWriteTransaction's, with its defaults), shared with the others asked for at the same time.
 * With a delivery, the message is recorded as handled in it (JobStart.first: false when it was seen before).
 */
export function withSharedWriteTransaction<T>(db: Db, fn: JobFn<T>, delivery?: Delivery): Promise<T> {
  let group = groups.get(db);
  if (!group) groups.set(db, (group = { waiting: [], running: false }));
  const g = group;
  return new Promise<T>((resolve, reject) => {
    g.waiting.push({ fn, delivery, resolve: resolve as (v: unknown) => void, reject });
    if (!g.running) {
      g.running = true;
      // The ones asked for in this turn of the event loop join the first batch.
      setImmediate(() => void drain(db, g));
    }
  });
}

async function drain(db: Db, g: Group): Promise<void> {
  try {
    while (g.waiting.length > 0) {
      const jobs = g.waiting.splice(0, MAX_BATCH);
      const ran = await runBatch(db, jobs);
      // Those the batch had no time for go first in the next one.
      if (ran < jobs.length) g.waiting.unshift(...jobs.slice(ran));
    }
  } finally {
    g.running = false;
  }
}

const sql = (text: string) => Prisma.raw(text);

/** Runs the first of `jobs` in one transaction, as many as the budget allows; how many it ran (and settled). */
async function runBatch(db: Db, jobs: Job[]): Promise<number> {
  if (jobs.length === 1) {
    await alone(db, jobs[0]!);
    return 1;
  }
  let outcomes: Outcome[];
  try {
    outcomes = await withWriteTransaction(db, async (tx) => {
      const done: Outcome[] = [];
      const started = performance.now();
      // Every delivery of the batch in one statement; `recorded`: the ones this transaction holds now.
      const withDelivery = jobs.filter((j) => j.delivery);
      const firsts = await firstDeliveries(
        tx,
        withDelivery.map((j) => j.delivery!),
      );
      const recorded = new Map(withDelivery.map((j, k) => [j, firsts[k]!]));
      /** Deliveries forgotten in this transaction: another function with one of them records it anew. */
      const forgotten = new Set<string>();
      const key = (d: Delivery) => platformKey(d.platform, d.messageId);
      const forget = async (job: Job) => {
        if (!recorded.get(job)) return;
        recorded.set(job, false);
        forgotten.add(key(job.delivery!));
        await forgetDelivery(tx, job.delivery!);
      };
      // Replies and audit lines: one multi-row INSERT per table for the batch, before COMMIT.
      const later = deferRows(tx);
      let ran = 0;
      for (const [i, job] of jobs.entries()) {
        if (i > 0 && performance.now() - started > BATCH_BUDGET_MS) break;
        ran++;
        // Not released: the commit releases them all, and each release would be a round trip on PostgreSQL.
        const name = `kcbx_shared_${i}`;
        if (job.delivery && recorded.get(job) === false && forgotten.has(key(job.delivery))) {
          // Seen before only because a function before it in this batch had it: that one's writes were undone.
          forgotten.delete(key(job.delivery));
          recorded.set(job, (await firstDeliveries(tx, [job.delivery]))[0]!);
        }
        const first = job.delivery ? recorded.get(job)! : undefined;
        const version = await orgVersionAfter(tx, [`SAVEPOINT ${name}`]);
        later.begin();
        try {
          const value = await job.fn(tx, { first, orgVersion: first === false ? undefined : version });
          later.finished();
          done.push({ ok: true, value });
        } catch (error) {
          // Undo this one only; when even that fails the transaction is unusable and the batch fails (each alone then).
          await executeStatement(tx, sql(`ROLLBACK TO SAVEPOINT ${name}`));
          later.undone();
          await forget(job);
          done.push({ ok: false, error });
        }
      }
      // The ones left for the next batch record their deliveries there.
      for (const job of jobs.slice(ran)) await forget(job);
      await later.write();
      return done;
    });
  } catch (e) {
    if (isBusyError(e)) {
      for (const job of jobs) job.reject(e);
      return jobs.length;
    }
    for (const job of jobs) await alone(db, job);
    return jobs.length;
  }
  outcomes.forEach((o, i) => (o.ok ? jobs[i]!.resolve(o.value) : jobs[i]!.reject(o.error)));
  return outcomes.length;
}

/** One function in a write transaction of its own; its caller gets the outcome. */
function alone(db: Db, job: Job): Promise<void> {
  return withWriteTransaction(db, async (tx) => {
    // The delivery and the version in one statement (inbound.repository.ts).
    if (!job.delivery) return job.fn(tx, { first: undefined, orgVersion: await orgVersion(tx) });
    const d = await firstDeliveryAt(tx, job.delivery.platform, job.delivery.messageId, job.delivery.at);
    return job.fn(tx, d.first ? { first: true, orgVersion: d.orgVersion } : { first: false, orgVersion: undefined });
  }).then(job.resolve, job.reject);
}
