/**
 * The PostgreSQL driver adapter with write transactions serialized across every process on the database, as SQLite's
 * `BEGIN IMMEDIATE` serializes them on a file (see sqlite-immediate.ts). The application relies on that: the record
 * hash chain seals new rows in order inside each write transaction, and check-then-write steps (a duty's run of the
 * day, a claim) assume nobody writes between the check and the write. Every interactive transaction therefore takes one
 * transaction-scoped advisory lock right after BEGIN; it is released at COMMIT or ROLLBACK. Statements outside a
 * transaction (the reads) take no lock and run in parallel on the pool.
 *
 * Waiting for the lock is bounded by `lock_timeout` (the busy timeout's twin); when it passes the error (SQLSTATE
 * 55P03) is a busy error and write.ts runs the whole transaction again.
 */
import { PrismaPg } from '@prisma/adapter-pg';

type Factory = PrismaPg;
type Adapter = Awaited<ReturnType<Factory['connect']>>;
type Query = Parameters<Adapter['queryRaw']>[0];

/** The one advisory lock key every write transaction takes (any fixed bigint; "kcbx" in ASCII). */
export const WRITE_LOCK_KEY = 0x6b636278;

const statement = (sql: string): Query => ({ sql, args: [], argTypes: [] });

/**
 * A transaction that asks for READ COMMITTED (PostgreSQL's default level) by name takes only the locks it takes
 * itself, not the write lock: the outbox claim (outbox-claim.repository.ts), one conditional UPDATE under its own
 * per-platform lock, like the sends' results, which are written outside any transaction. It runs beside the write
 * transactions instead of queueing behind them: each message's claim used to hold every other writer up for four
 * round trips.
 */
export const OWN_LOCKS_ONLY = 'READ COMMITTED';

function serialized(inner: Adapter, lockTimeoutMs: number): Adapter {
  // The adapter is a class instance: keep its methods bound to it, override only startTransaction.
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'startTransaction') {
        return async (isolationLevel?: Parameters<Adapter['startTransaction']>[0]) => {
          const tx = await target.startTransaction(isolationLevel);
          if (isolationLevel === OWN_LOCKS_ONLY) return tx;
          try {
            // One round trip (a statement without parameters goes as a simple query, which may hold several): the
            // lock is held from here to COMMIT, and every round trip while holding it holds up every other writer.
            await tx.executeRaw(
              statement(
                `SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}; SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY}); SET LOCAL lock_timeout = 0`,
              ),
            );
          } catch (e) {
            await tx.executeRaw(statement('ROLLBACK')).catch(() => undefined);
            await tx.rollback().catch(() => undefined);
            throw e;
          }
          return tx;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The driver adapter factory for a PostgreSQL URL, each transaction holding the database-wide write lock. */
export function serializedPg(
  connectionString: string,
  opts: { lockTimeoutMs?: number; max?: number } = {},
): Pick<Factory, 'provider' | 'adapterName' | 'connect'> {
  const factory = new PrismaPg({ connectionString, ...(opts.max ? { max: opts.max } : {}) });
  const lockTimeoutMs = opts.lockTimeoutMs ?? 10_000;
  return { provider: factory.provider, adapterName: factory.adapterName, connect: async () => serialized(await factory.connect(), lockTimeoutMs) };
}
