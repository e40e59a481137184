/** "Someone else is writing": how a busy database shows in errors, and running a write again while it is. */
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
export async function retryWhenBusy<T>(fn: () => Promise<T>, opts: { attempts?: number; backoffMs?: number } = {}): Promise<T> {
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
