/**
 * The better-sqlite3 driver adapter with write transactions that take SQLite's write lock at BEGIN.
 *
 * Prisma 6.19's adapter starts every interactive transaction with a plain (deferred) `BEGIN`: the transaction reads
 * first and asks for the write lock at its first write. With a second process on the same file, that upgrade fails at
 * once with "database is locked" when the other process wrote in between (SQLite cannot wait there: the snapshot the
 * transaction read is stale), whatever the busy timeout. `BEGIN IMMEDIATE` asks for the write lock first, waiting up
 * to the busy timeout, so a transaction that started can finish. Transactions of one process still run one at a time
 * (one connection), as in the adapter itself.
 *
 * A statement outside any transaction waits its turn too. On the one connection it would otherwise run inside
 * whichever transaction happens to be open — and vanish if that one rolls back (a refusal rolls back): a delivery's
 * "sent" or an autocommit write lost without an error. So code inside a `$transaction` callback must use its `tx`,
 * never the client itself: that waits for the transaction it is part of, until Prisma's timeout ends it.
 *
 * The adapter prepares every statement again (`prepare(sql).bind(args)`), SQLite compiling the same SQL text each
 * time: `cachePreparedStatements` keeps the compiled statements of a connection by SQL text, the most recently used
 * few hundred, and binds each call's values to the cached one at its run instead.
 */
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { Prisma } from '../../generated/prisma/client.js';
import { type BatchOutcome, type DirectConnection, integer, isMarker, isReturning, markTransaction, sqliteValue, untilEnded } from './direct.js';

type Factory = PrismaBetterSQLite3;
type Adapter = Awaited<ReturnType<Factory['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;
type Query = Parameters<Adapter['queryRaw']>[0];

const statement = (sql: string): Query => ({ sql, args: [], argTypes: [] });

/**
 * One at a time, first come first served within each class; a single statement waiting goes before a transaction
 * waiting. A statement is over in a moment and holds nothing; a transaction holds the connection for its whole
 * handling. So a webhook's update is recorded (and the platform answered) after the transaction running now, not
 * after every transaction queued behind it.
 */
export function queue(): (first?: boolean) => Promise<() => void> {
  let held = false;
  const statements: (() => void)[] = [];
  const transactions: (() => void)[] = [];
  const next = () => {
    const go = statements.shift() ?? transactions.shift();
    if (go) go();
    else held = false;
  };
  return (first = false) =>
    new Promise<() => void>((resolve) => {
      const grant = () => {
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          next();
        });
      };
      if (!held) {
        held = true;
        grant();
      } else (first ? statements : transactions).push(grant);
    });
}

/** The part of a better-sqlite3 statement the adapter uses. */
interface Statement {
  readonly reader: boolean;
  columns(): unknown[];
  raw(on?: boolean): Statement;
  run(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown[];
  bind(...args: unknown[]): Statement;
}
interface Connection {
  prepare(sql: string): Statement;
  /** better-sqlite3: whether a transaction is open on the connection. */
  readonly inTransaction: boolean;
}

/** Prepared statements kept per connection (by SQL text), least recently used dropped first. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Makes `connection.prepare` answer from a bounded LRU of compiled statements. The adapter binds each statement once
 * (`prepare(sql).bind(args)`, which better-sqlite3 allows only once per statement) and then runs it: the cached
 * statement stays unbound and gets the values at the run instead, through a small object that looks bound.
 * Statements prepared by `exec` scripts and DDL are not affected; SQLite prepares a cached statement again by itself
 * when the schema changed under it.
 */
export function cachePreparedStatements(connection: Connection, size = STATEMENT_CACHE_SIZE): { size(): number } {
  const prepare = connection.prepare.bind(connection);
  const cache = new Map<string, Statement>();
  const cached = (sql: string): Statement => {
    let stmt = cache.get(sql);
    if (stmt) {
      // Most recently used last: a Map keeps insertion order.
      cache.delete(sql);
      cache.set(sql, stmt);
      return stmt;
    }
    stmt = prepare(sql);
    cache.set(sql, stmt);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return stmt;
  };
  connection.prepare = (sql: string) => {
    const stmt = cached(sql);
    return {
      get reader() {
        return stmt.reader;
      },
      columns: () => stmt.columns(),
      bind(...values: unknown[]) {
        const bound: Statement = {
          reader: stmt.reader,
          columns: () => stmt.columns(),
          raw: () => bound,
          run: () => stmt.run(...values),
          // The adapter reads rows as arrays (raw); set on each run, as the statement is shared.
          all: () => (stmt.reader ? stmt.raw(true).all(...values) : stmt.all(...values)),
          bind: () => {
            throw new TypeError('The bind() method can only be invoked once per statement object');
          },
        };
        return bound;
      },
      raw: (on?: boolean) => stmt.raw(on),
      run: (...values: unknown[]) => stmt.run(...values),
      all: (...values: unknown[]) => (stmt.reader ? stmt.raw(false).all(...values) : stmt.all(...values)),
    };
  };
  return { size: () => cache.size };
}

function immediate(inner: Adapter, serve: (direct: DirectConnection | undefined) => void): Adapter {
  // The adapter's connection (better-sqlite3's Database), used by it and by each of its transactions.
  const connection = (inner as unknown as { client?: Connection }).client;
  if (connection && typeof connection.prepare === 'function') cachePreparedStatements(connection);
  const acquire = queue();
  /** Runs a statement between transactions, never inside another caller's. */
  const between = async <T>(run: () => Promise<T>): Promise<T> => {
    const release = await acquire(true);
    try {
      return await run();
    } finally {
      release();
    }
  };
  const direct = connection && typeof connection.prepare === 'function' ? directOn(connection) : undefined;
  // direct.ts: single statements without Prisma's client, in the same turn-taking as the adapter's own.
  const open: { now?: DirectConnection } = {};
  if (direct) {
    serve({
      all: (q) => between(() => direct.all(q)),
      run: (q) => between(() => direct.run(q)),
      openTransaction: () => open.now,
      batch: (qs, durability) => between(() => direct.batch!(qs, durability)),
    });
  }
  const adapter: Adapter = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (q) => between(() => inner.queryRaw(q)),
    executeRaw: (q) => between(() => inner.executeRaw(q)),
    executeScript: (s) => between(() => inner.executeScript(s)),
    dispose: () => {
      serve(undefined); // a closed connection: Prisma connects again at its next query, and serves anew
      return inner.dispose();
    },
    ...(inner.getConnectionInfo ? { getConnectionInfo: () => inner.getConnectionInfo!() } : {}),
    async startTransaction(isolationLevel) {
      // The adapter refuses any level but SERIALIZABLE before it starts anything: let it say so.
      if (isolationLevel && isolationLevel !== 'SERIALIZABLE') return inner.startTransaction(isolationLevel);
      const release = await acquire();
      try {
        await inner.executeRaw(statement('BEGIN IMMEDIATE'));
      } catch (e) {
        release();
        throw e;
      }
      return transaction(inner, release, direct, open);
    },
  };
  return adapter;
}

function transaction(inner: Adapter, release: () => void, direct: DirectConnection | undefined, current: { now?: DirectConnection }): Transaction {
  let open = true;
  const end = async () => {
    if (open) {
      if (current.now === mine) current.now = undefined;
      release();
    }
    open = false;
  };
  // direct.ts: this transaction's statements on the connection it holds, while it is open.
  const mine = direct && untilEnded(direct, () => open);
  current.now = mine;
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    // Prisma sends COMMIT and ROLLBACK as statements, then calls commit() or rollback().
    options: { usePhantomQuery: false },
    queryRaw: (q) => {
      if (mine && isMarker(q.sql)) markTransaction(String(q.args[0]), mine);
      return inner.queryRaw(q);
    },
    async executeRaw(q) {
      try {
        return await inner.executeRaw(q);
      } catch (e) {
        // A failed COMMIT would leave the transaction open and every later one waiting for it: roll back and let go.
        if (q.sql === 'COMMIT' || q.sql === 'ROLLBACK') {
          await inner.executeRaw(statement('ROLLBACK')).catch(() => undefined);
          await end();
        }
        throw e;
      }
    },
    commit: end,
    rollback: end,
  };
}

/** How Prisma's raw queries type a result column, by its declared type: what direct.ts gives back too. */
type Convert = (v: unknown) => unknown;
const asNumber: Convert = (v) => (typeof v === 'bigint' ? integer(v) : v);
const asDate: Convert = (v) => (typeof v === 'string' ? new Date(v) : typeof v === 'number' || typeof v === 'bigint' ? new Date(Number(v)) : v);
const asBoolean: Convert = (v) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) !== 0 : v);
function converter(declared: string | null): Convert {
  const t = (declared ?? '').toUpperCase();
  if (t === 'DATETIME') return asDate;
  if (t === 'BOOLEAN') return asBoolean;
  return asNumber;
}

/** Statements run on the connection itself (the caller takes the turn), rows typed as Prisma's raw queries type them. */
function directOn(connection: Connection): DirectConnection {
  const columnsOf = new Map<string, [string, Convert][]>();
  const typed = (sql: string, stmt: Statement): [string, Convert][] => {
    let cols = columnsOf.get(sql);
    if (!cols) {
      cols = (stmt.columns() as { name: string; type: string | null }[]).map((c) => [c.name, converter(c.type)]);
      if (columnsOf.size >= STATEMENT_CACHE_SIZE) columnsOf.clear();
      columnsOf.set(sql, cols);
    }
    return cols;
  };
  const values = (q: Prisma.Sql) => q.values.map(sqliteValue);
  /** The connection's own `synchronous` (read once): what a durable batch puts back. */
  let setting: number | undefined;
  const all = (q: Prisma.Sql) => {
    const stmt = connection.prepare(q.sql);
    const cols = typed(q.sql, stmt);
    const rows = stmt.all(...values(q)) as Record<string, unknown>[];
    for (const row of rows) for (const [name, convert] of cols) row[name] = convert(row[name]);
    return rows;
  };
  const run = (q: Prisma.Sql) => Number((connection.prepare(q.sql).run(...values(q)) as { changes: number | bigint }).changes);
  return {
    all: async (q) => all(q),
    run: async (q) => run(q),
    // In process, no round trips to save: one after another. A transaction's client only (direct.ts).
    script: async (sqls) => {
      sqls.slice(0, -1).forEach((sql) => connection.prepare(sql).run());
      const last = sqls[sqls.length - 1];
      return last === undefined ? [] : all({ sql: last, values: [] } as unknown as Prisma.Sql);
    },
    // The caller takes the turn: nothing else runs on the connection until COMMIT (all of it synchronous).
    async batch(qs, durability = 'logged') {
      // A durable batch's COMMIT syncs the log (direct.ts, WriteDurability); the connection's own setting after it.
      const usual =
        durability === 'durable'
          ? (setting ??= Number((connection.prepare('PRAGMA synchronous').all()[0] as { synchronous: unknown }).synchronous))
          : undefined;
      if (usual !== undefined) connection.prepare('PRAGMA synchronous = FULL').run();
      try {
        connection.prepare('BEGIN IMMEDIATE').run();
        try {
          const outcomes = qs.map((q): BatchOutcome => (isReturning(q) ? all(q.returning) : run(q)));
          connection.prepare('COMMIT').run();
          return outcomes;
        } catch (e) {
          if (connection.inTransaction) connection.prepare('ROLLBACK').run();
          throw e;
        }
      } finally {
        if (usual !== undefined) connection.prepare(`PRAGMA synchronous = ${Number(usual)}`).run();
      }
    },
  };
}

/** The driver adapter factory for a SQLite file, its write transactions beginning with `BEGIN IMMEDIATE`. */
export function immediateSqlite(
  config: ConstructorParameters<typeof PrismaBetterSQLite3>[0],
): Pick<Factory, 'provider' | 'adapterName' | 'connect'> & { direct(): DirectConnection | undefined } {
  const factory = new PrismaBetterSQLite3(config);
  let direct: DirectConnection | undefined;
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => immediate(await factory.connect(), (d) => (direct = d)),
    direct: () => direct,
  };
}
