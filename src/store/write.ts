/**
 * Writing when another process may be writing too. Each write transaction takes the write lock at BEGIN (see
 * sqlite-immediate.ts) and waits for it up to the busy timeout; when the database stays busy longer than that, or
 * Prisma gives up waiting, the whole transaction runs again after a short random pause, a bounded number of times.
 * The function given must be safe to run again: everything it wrote was rolled back.
 */
import { bindTransaction } from './direct.js';
import type { Db, Tx } from './prisma.js';
import { sealInTransaction } from './chain.repository.js';

export interface WriteOptions {
  /** Runs of the whole transaction before the error is thrown (default 6). */
  attempts?: number;
  /** Pause before the second run in ms, doubling after each busy run, with ±50 % jitter (default 50). */
  backoffMs?: number;
  /** Longest a transaction may run once started, in ms (Prisma's `timeout`, default 30 s). */
  timeout?: number;
  /** Longest to wait for this process's turn and the lock, in ms (Prisma's `maxWait`, default 60 s). */
  maxWait?: number;
  /** Seal the new rows of the sealed tables into the hash chain before commit (default true; false only for migrations). */
  seal?: boolean;
}

const BUSY_CODES = new Set([
  'P1008', // the adapter's SQLITE_BUSY: "Operation has timed out"
  'P2028', // "Unable to start a transaction in the given time", or it expired while waiting
  'P2034', // write conflict or deadlock (PostgreSQL)
  '40001', // PostgreSQL serialization_failure
  '40P01', // PostgreSQL deadlock_detected
  '55P03', // PostgreSQL lock_not_available: the write lock not had within lock_timeout (pg-serialized.ts)
]);

/** True for an error that means "someone else is writing": worth running the transaction again. */
export function isBusyError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if (typeof err.code === 'string' && (BUSY_CODES.has(err.code) || /^SQLITE_(BUSY|LOCKED)/.test(err.code))) return true;
  if (
    typeof err.message === 'string' &&
    /database (table )?is (locked|busy)|Operation has timed out|TransactionWriteConflict|could not serialize access|deadlock detected|canceling statement due to lock timeout/.test(
      err.message,
    )
  )
    return true;
  return err.cause !== undefined && err.cause !== e && isBusyError(err.cause);
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` again while it fails because the database is busy, up to `attempts` runs; other errors pass at once. */
export async function retryWhenBusy<T>(fn: () => Promise<T>, opts: Pick<WriteOptions, 'attempts' | 'backoffMs'> = {}): Promise<T> {
  const attempts = opts.attempts ?? 6;
  let delay = opts.backoffMs ?? 50;
  for (let run = 1; ; run++) {
    try {
      return await fn();
    } catch (e) {
      if (run >= attempts || !isBusyError(e)) throw e;
      await pause(delay * (0.5 + Math.random()));
      delay *= 2;
    }
  }
}

/** One write transaction: the write lock from its first statement, run again (whole) while the database is busy. */
export function withWriteTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, opts: WriteOptions = {}): Promise<T> {
  const timing = { timeout: opts.timeout ?? 30_000, maxWait: opts.maxWait ?? 60_000 };
  const run = async (tx: Tx) => {
    bindTransaction(db, tx);
    const result = await fn(tx);
    if (opts.seal !== false) await sealInTransaction(db, tx);
    return result;
  };
  return retryWhenBusy(() => db.$transaction(run, timing), opts);
}
