/**
 * An insert that may meet a row already holding its unique key (two people confirming at once, a race already lost):
 * false and nothing written when it did. Inside a transaction the insert runs under a savepoint: on PostgreSQL a
 * failed statement aborts the whole transaction unless it is rolled back to one (SQLite would carry on, and takes the
 * same savepoint happily), so the caller's transaction stays usable either way.
 */
import { isUniqueViolation } from './duty-run.repository.js';
import type { Tx } from './prisma.js';

/** A transaction's client has no `$transaction` of its own; the top-level client does. */
const inTransaction = (db: Tx): boolean => !('$transaction' in db);

export async function insertUnlessDuplicate(db: Tx, insert: () => Promise<unknown>): Promise<boolean> {
  const savepoint = inTransaction(db);
  if (savepoint) await db.$executeRawUnsafe('SAVEPOINT "unique_insert"');
  try {
    await insert();
    if (savepoint) await db.$executeRawUnsafe('RELEASE SAVEPOINT "unique_insert"');
    return true;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    if (savepoint) {
      await db.$executeRawUnsafe('ROLLBACK TO SAVEPOINT "unique_insert"');
      await db.$executeRawUnsafe('RELEASE SAVEPOINT "unique_insert"');
    }
    return false;
  }
}
