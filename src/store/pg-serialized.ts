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
import type { Prisma } from '../../generated/prisma/client.js';
import { prepareRepeated } from './pg-prepared.js';
import { type BatchOutcome, type BatchStatement, type DirectConnection, integer, isMarker, markTransaction, runOn, untilEnded } from './direct.js';
import { runScript, simpleQuery, type SimpleClient } from './pg-script.js';

type Factory = PrismaPg;
type Adapter = Awaited<ReturnType<Factory['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;
type Query = Parameters<Adapter['queryRaw']>[0];
type ArgType = Query['argTypes'][number];
type ResultSet = Awaited<ReturnType<Adapter['queryRaw']>>;

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

/** What Prisma's client tells the adapter about a raw query's values (the adapter formats a Date by it). */
function argType(v: unknown): ArgType {
  const scalarType =
    v instanceof Date
      ? 'datetime'
      : typeof v === 'string'
        ? 'string'
        : typeof v === 'boolean'
          ? 'boolean'
          : typeof v === 'bigint'
            ? 'bigint'
            : typeof v === 'number'
              ? Number.isInteger(v)
                ? 'int'
                : 'float'
              : 'unknown';
  return { scalarType, arity: 'scalar' };
}

// The adapter's column types (driver-adapter-utils' ColumnTypeEnum) that Prisma's client turns into other JS values.
const INT64 = 1;
const DATE_TIME = 10;

/** A result set as rows of named values, typed as direct.ts promises (integers as numbers, instants as Dates). */
function rowsOf(r: ResultSet): Record<string, unknown>[] {
  return r.rows.map((row) => {
    const out: Record<string, unknown> = {};
    r.columnNames.forEach((name, i) => {
      const v = row[i];
      const t = r.columnTypes[i];
      out[name] = v === null || v === undefined ? null : t === DATE_TIME ? new Date(v as string) : t === INT64 ? integer(v as string) : v;
    });
    return out;
  });
}

/** direct.ts on the adapter itself (its pool) or on one of its transactions (its connection): Prisma's client skipped. */
function directOn(q: Pick<Adapter, 'queryRaw' | 'executeRaw'>): DirectConnection {
  const query = (sql: Prisma.Sql): Query => ({ sql: sql.text, args: sql.values as Query['args'], argTypes: sql.values.map(argType) });
  return {
    all: async (sql) => rowsOf(await q.queryRaw(query(sql))),
    run: (sql) => q.executeRaw(query(sql)),
  };
}

/**
 * Statements without values in one simple query (one round trip; PostgreSQL runs them in order and stops at the first
 * that fails): the rows of the last, values as pg-script.ts parses them (integers as numbers). The pg client answers
 * a query of several statements with one result each, which the adapter's queryRaw does not take.
 */
async function simpleScript(client: SimpleClient, sqls: readonly string[]): Promise<Record<string, unknown>[]> {
  // An error as the driver gives it (its SQLSTATE in `code`, which busy.ts reads).
  return (await simpleQuery(client, sqls.join('; '))).at(-1)?.rows ?? [];
}

/**
 * A transaction that finds itself for direct.ts (the marker, answered here without a round trip) and says when it has
 * ended, so a direct statement for it afterwards fails instead of running elsewhere; with its direct statements.
 */
function directTransaction(tx: Transaction, ended: () => void): { tx: Transaction; direct: DirectConnection } {
  let open = true;
  // One statement at a time on the transaction's connection, Prisma's and direct.ts's together, in the order asked:
  // a pg client given a second query while one runs queues it itself, which pg 8 deprecates.
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  };
  const queryRaw = (q: Query) => inTurn(() => tx.queryRaw(q));
  const executeRaw = (q: Query) => inTurn(() => tx.executeRaw(q));
  const client = (tx as unknown as { client?: SimpleClient }).client;
  const script = client && typeof client.query === 'function' ? (sqls: readonly string[]) => inTurn(() => simpleScript(client, sqls)) : undefined;
  const mine = untilEnded({ ...directOn({ queryRaw, executeRaw }), ...(script ? { script } : {}) }, () => open);
  const end = () => {
    if (open) ended();
    open = false;
  };
  const proxy = new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'executeRaw') return executeRaw;
      if (prop === 'queryRaw') {
        return async (q: Query) => {
          if (!isMarker(q.sql)) return queryRaw(q);
          markTransaction(String(q.args[0]), mine);
          return { columnNames: ['kcbxDirectMarker'], columnTypes: [7], rows: [[q.args[0]]] } as ResultSet;
        };
      }
      if (prop === 'commit' || prop === 'rollback') {
        return async () => {
          end();
          return target[prop]();
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { tx: proxy, direct: mine };
}

function serialized(inner: Adapter, lockTimeoutMs: number, serve: (direct: DirectConnection | undefined) => void): Adapter {
  // The write transaction holding the lock now (this process, this client): at most one.
  let holder: DirectConnection | undefined;
  const root = directOn(inner);
  /**
   * Statements in one transaction of their own on a pool connection (direct.ts's executeBatch): READ COMMITTED, the
   * server's default level, taking only the locks its statements take (OWN_LOCKS_ONLY), without the round trip that
   * names the level or Prisma's interactive transaction around it. PostgreSQL syncs each commit already. As one
   * simple query (pg-script.ts: one round trip, its values written in) unless a value cannot be written in.
   */
  const pool = (inner as unknown as { client?: SimpleClient }).client;
  const batch = async (qs: readonly BatchStatement[]): Promise<BatchOutcome[]> => {
    if (qs.length === 1) return [await runOn(root, qs[0]!)]; // durable or not: a commit of its own is synced
    const script = pool ? await runScript(pool, qs) : undefined;
    if (script) return script;
    const tx = await inner.startTransaction(); // BEGIN
    try {
      const on = directOn(tx);
      const outcomes: BatchOutcome[] = [];
      for (const q of qs) outcomes.push(await runOn(on, q));
      await tx.executeRaw(statement('COMMIT'));
      await tx.commit();
      return outcomes;
    } catch (e) {
      await tx.executeRaw(statement('ROLLBACK')).catch(() => undefined);
      await tx.rollback().catch(() => undefined);
      throw e;
    }
  };
  serve({ all: root.all, run: root.run, openTransaction: () => holder, batch });
  // The adapter is a class instance: keep its methods bound to it, override only startTransaction.
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'dispose') {
        return async () => {
          serve(undefined);
          return target.dispose();
        };
      }
      if (prop === 'startTransaction') {
        return async (isolationLevel?: Parameters<Adapter['startTransaction']>[0]) => {
          const { tx, direct: mine } = directTransaction(await target.startTransaction(isolationLevel), () => {
            if (holder === mine) holder = undefined;
          });
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
          holder = mine;
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
): Pick<Factory, 'provider' | 'adapterName' | 'connect'> & { direct(): DirectConnection | undefined } {
  const factory = new PrismaPg({ connectionString, ...(opts.max ? { max: opts.max } : {}) });
  const lockTimeoutMs = opts.lockTimeoutMs ?? 10_000;
  let direct: DirectConnection | undefined;
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      // The adapter's pool (its `client`), before it opens a connection.
      if (!prepareRepeated((adapter as unknown as { client?: unknown }).client))
        throw new Error('PostgreSQL adapter without its pool: statements cannot be prepared');
      return serialized(adapter, lockTimeoutMs, (d) => (direct = d));
    },
    direct: () => direct,
  };
}
