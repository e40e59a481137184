/** A plain interactive transaction (no write lock taken up front, no retry, no seal): see write.ts for write transactions. */
import type { Db, Tx } from './prisma.js';

export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn);
}
