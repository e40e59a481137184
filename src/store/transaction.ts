/** A plain interactive transaction (no write lock taken up front, no retry, no seal): see write.ts for write transactions. */
import { bindTransaction } from './direct.js';
import type { Db, Tx } from './prisma.js';

export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction((tx) => {
    bindTransaction(db, tx);
    return fn(tx);
  });
}
