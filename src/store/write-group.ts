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
 */
import { performance } from 'node:perf_hooks';
import { Prisma } from '../../generated/prisma/client.js';
import { deferRows } from './deferred-rows.js';
import { executeStatement } from './direct.js';
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

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(e: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Group {
  waiting: Job[];
  running: boolean;
}
const groups = new WeakMap<object, Group>();

/** A write transaction (withWriteTransaction's, with its defaults), shared with the others asked for at the same time. */
export function withSharedWriteTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let group = groups.get(db);
  if (!group) groups.set(db, (group = { waiting: [], running: false }));
  const g = group;
  return new Promise<T>((resolve, reject) => {
    g.waiting.push({ fn, resolve: resolve as (v: unknown) => void, reject });
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
      // Replies and audit lines: one multi-row INSERT per table for the batch, before COMMIT.
      const later = deferRows(tx);
      for (const [i, job] of jobs.entries()) {
        if (i > 0 && performance.now() - started > BATCH_BUDGET_MS) break;
        // Not released: the commit releases them all, and each release would be a round trip on PostgreSQL.
        const name = `kcbx_shared_${i}`;
        await executeStatement(tx, sql(`SAVEPOINT ${name}`));
        later.begin();
        try {
          const value = await job.fn(tx);
          later.finished();
          done.push({ ok: true, value });
        } catch (error) {
          // Undo this one only; when even that fails the transaction is unusable and the batch fails (each alone then).
          await executeStatement(tx, sql(`ROLLBACK TO SAVEPOINT ${name}`));
          later.undone();
          done.push({ ok: false, error });
        }
      }
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
  return withWriteTransaction(db, job.fn).then(job.resolve, job.reject);
}
