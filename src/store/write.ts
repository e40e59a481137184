/**
 * Writing when another process may be writing too. Each write transaction takes the write lock at BEGIN (see
 * sqlite-immediate.ts) and waits for it up to the busy timeout; when the database stays busy longer than that, or
 * Prisma gives up waiting, the whole transaction runs again after a short random pause, a bounded number of times.
 * The function given must be safe to run again: everything it wrote was rolled back.
 */
import { bindTransaction } from './direct.js';
import type { Db, Tx } from './prisma.js';
import { sealInTransaction } from './chain.repository.js';
import { retryWhenBusy } from './busy.js';

export { isBusyError, retryWhenBusy } from './busy.js';

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
