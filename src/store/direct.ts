/**
 * Statements that bypass Prisma's client where the database allows it. A `$queryRaw` through Prisma costs about
 * 0.27 ms of CPU on this machine before SQLite does anything (its request pipeline and result decoding); SQLite itself
 * answers the hot path's statements in a few tens of microseconds, and a message runs a dozen of them.
 *
 * On SQLite they go straight to the driver's one connection (sqlite-immediate.ts):
 * - from the root client, between transactions, taking their turn as the adapter's own single statements do;
 * - from a transaction's client, inside that transaction, which holds the connection until it ends. The transaction
 *   is found once per transaction by a marker statement sent through that client (Prisma hands it to the adapter's
 *   transaction, which recognises it); a statement for a transaction that has ended fails, as Prisma's would.
 * On PostgreSQL they go to the driver adapter itself (its pool, or the transaction's connection), which binds values and
 * parses results as it does for Prisma (pg-serialized.ts). A client whose connection is not open yet goes through
 * Prisma (`$queryRaw`, `$executeRaw`) with the same SQL, so callers write one statement for both databases.
 *
 * Rows come back as Prisma's raw queries give them, nearly: a column declared DATETIME as a Date, one declared BOOLEAN
 * as a boolean (on SQLite, by the declared type of each result column; an expression's value is left as SQLite gives
 * it, e.g. ISO text for an instant), integers as numbers where Prisma gives a number or a bigint (e.g. COUNT): callers
 * map integers with Number(), as they do for Prisma's raw rows.
 */
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.js';
import { type Db, dialect, type Tx } from './prisma.js';
import { isBusyError, retryWhenBusy } from './busy.js';

export interface DirectConnection {
  /** The rows of one statement. */
  all(q: Prisma.Sql): Promise<Record<string, unknown>[]>;
  /** Runs one statement; how many rows it changed. */
  run(q: Prisma.Sql): Promise<number>;
  /**
   * A transaction's only: statements without values, in order, in one round trip where the database allows it
   * (PostgreSQL's simple query); the rows of the last. Its values as the driver gives them: integers and text.
   */
  script?(sqls: readonly string[]): Promise<Record<string, unknown>[]>;
  /** The root's only: the transaction open on the connection now, if any. */
  openTransaction?(): DirectConnection | undefined;
  /**
   * The root's only: statements in one write transaction of their own; rows each changed, or the rows a `returning`
   * statement gave. On SQLite run at once (the connection held from BEGIN IMMEDIATE to COMMIT); on PostgreSQL READ
   * COMMITTED on a pool connection. Durable: its commit waits until it is on the disk (see WriteDurability).
   */
  batch?(qs: readonly BatchStatement[], durability?: WriteDurability): Promise<BatchOutcome[]>;
}

/** A statement of a batch whose rows the caller reads (`… RETURNING`), made by `returning()`. */
export interface Returning {
  readonly returning: Prisma.Sql;
}
export const returning = (q: Prisma.Sql): Returning => ({ returning: q });
export type BatchStatement = Prisma.Sql | Returning;
/** What a batch's statement gave: the rows it changed, or a `returning` statement's rows. */
export type BatchOutcome = number | Record<string, unknown>[];
export const isReturning = (q: BatchStatement): q is Returning => 'returning' in q;

/** A batch's statement run on a connection: its rows (`returning`) or how many rows it changed. */
export function runOn(direct: Pick<DirectConnection, 'all' | 'run'>, q: BatchStatement): Promise<BatchOutcome> {
  return isReturning(q) ? direct.all(q.returning) : direct.run(q);
}

/**
 * How far a commit must get before it counts as done. `logged` (every other write): in SQLite's log, which survives the
 * process being killed but not always a power loss or an OS crash (the app's connection runs WAL with `synchronous`
 * NORMAL: the log is synced at checkpoints, and the last commits before a power loss can roll back, the database
 * staying consistent). `durable`: synced to the disk before the caller hears back (`synchronous` FULL for that commit;
 * one sync covers everything logged before it). For what the app acknowledges to someone outside and could not get
 * back otherwise: a platform's update, once answered, is not sent again. Everything else is rebuilt from those
 * (handled again, sent again). PostgreSQL syncs each commit already (`synchronous_commit` on, its default).
 */
export type WriteDurability = 'logged' | 'durable';

/** The statement a transaction's client sends once so the adapter's transaction can say which one it is ($1 on PostgreSQL). */
export const MARKER_SQL = 'SELECT ? AS "kcbxDirectMarker"';
export const isMarker = (sql: string): boolean => sql === MARKER_SQL || sql === MARKER_SQL.replace('?', '$1');

const roots = new WeakMap<object, () => DirectConnection | undefined>();
const transactions = new WeakMap<object, DirectConnection | null>();
const marked = new Map<string, DirectConnection>();

/** Called by openDatabase for each client: `get` answers once the adapter has connected. */
export function serveDirectly(db: object, get: () => DirectConnection | undefined): void {
  roots.set(db, get);
}

/**
 * Called by the transaction helpers (write.ts, transaction.ts) first thing in their callback: the adapter's open
 * transaction is this one (on SQLite transactions take the connection one at a time; on PostgreSQL the write lock is
 * held by one transaction of the client at a time; and this one has only just started), so its client needs no marker.
 */
export function bindTransaction(db: object, tx: Tx): void {
  const current = roots.get(db)?.()?.openTransaction?.();
  if (current) transactions.set(tx, current);
}

/** Called by the adapter's transaction when it sees the marker: the token names it. */
export function markTransaction(token: string, direct: DirectConnection): void {
  marked.set(token, direct);
}

/**
 * A transaction's direct statements, which fail once `isOpen` says it has ended (committed, rolled back, or ended by
 * Prisma's timeout) instead of running outside it, on the connection or in whatever transaction holds it next.
 */
export function untilEnded(direct: DirectConnection, isOpen: () => boolean): DirectConnection {
  const whileOpen = <T>(run: () => Promise<T>): Promise<T> =>
    isOpen() ? run() : Promise.reject(new Error('direct statement after its transaction ended (Transaction already closed)'));
  const script = direct.script?.bind(direct);
  return {
    all: (q) => whileOpen(() => direct.all(q)),
    run: (q) => whileOpen(() => direct.run(q)),
    ...(script ? { script: (sqls: readonly string[]) => whileOpen(() => script(sqls)) } : {}),
  };
}

/** An integer from the driver (a bigint from SQLite, a string from PostgreSQL's int8) as a number when it is safe. */
export function integer(v: bigint | string | number): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : BigInt(v);
}

/**
 * A value as Prisma's SQLite adapter binds it (its mapArg), so rows written and compared here match those written
 * through Prisma: instants as ISO 8601 text with "+00:00", booleans as 1/0.
 */
export function sqliteValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('Z', '+00:00');
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v === undefined ? null : v;
}

async function connectionFor(db: Tx): Promise<DirectConnection | undefined> {
  const root = roots.get(db);
  if (root) return root();
  if (!('$transaction' in db) && !transactions.has(db)) {
    // A transaction's client (it has no $transaction): find its transaction once, if it is a direct one.
    const token = randomUUID();
    await db.$queryRawUnsafe(dialect(db) === 'postgresql' ? MARKER_SQL.replace('?', '$1') : MARKER_SQL, token);
    transactions.set(db, marked.get(token) ?? null);
    marked.delete(token);
  }
  return transactions.get(db) ?? undefined;
}

const hooks = new WeakMap<Tx, (q: Prisma.Sql) => Promise<void>>();

/** Something to do before each statement on `tx` through queryRows or executeStatement (deferred-rows.ts). */
export function beforeStatements(tx: Tx, hook: (q: Prisma.Sql) => Promise<void>): void {
  hooks.set(tx, hook);
}

/** The rows of a query: on the driver when the client is served directly, through Prisma otherwise. */
export async function queryRows<T>(db: Tx, q: Prisma.Sql): Promise<T[]> {
  await hooks.get(db)?.(q);
  const direct = await connectionFor(db);
  if (!direct) return db.$queryRaw<T[]>(q);
  return (await direct.all(q)) as T[];
}

/** Runs a statement: on the driver when the client is served directly, through Prisma otherwise; rows changed. */
export async function executeStatement(db: Tx, q: Prisma.Sql): Promise<number> {
  await hooks.get(db)?.(q);
  const direct = await connectionFor(db);
  if (!direct) return db.$executeRaw(q);
  return direct.run(q);
}

/**
 * Statements without values (`before`, then `q`) on a transaction's client, in one round trip where the database
 * allows it; the rows of `q`, which should give integers and text only (PostgreSQL's simple query gives values as its
 * driver parses text). Each on its own where the client is not served directly.
 */
export async function queryRowsAfter<T>(db: Tx, before: readonly string[], q: string): Promise<T[]> {
  const hook = hooks.get(db);
  // A hook reads a statement's text only.
  if (hook) for (const sql of [...before, q]) await hook({ sql, values: [] } as unknown as Prisma.Sql);
  const direct = await connectionFor(db);
  if (direct?.script) return (await direct.script([...before, q])) as T[];
  for (const sql of before) await db.$executeRawUnsafe(sql);
  return db.$queryRawUnsafe<T[]>(q);
}

/**
 * Statements in one write transaction of their own, in order; the rows each changed (one statement: on its own, as
 * executeStatement). One commit for many small writes: on SQLite each commit writes every page it touched to the log
 * again (the same index pages, claim after claim) and takes and gives back its locks. On SQLite the transaction begins
 * IMMEDIATE and runs at once on the connection; on PostgreSQL it is READ COMMITTED, which does not take the
 * database-wide write lock (pg-serialized.ts): each statement sees what committed before it and what those before it
 * in the batch wrote. Busy (another process writing): the caller runs it again (retryWhenBusy).
 */
export async function executeBatch(db: Db, statements: readonly Prisma.Sql[], durability: WriteDurability = 'logged'): Promise<number[]> {
  return (await executeBatchWithRows(db, statements, durability)) as number[];
}

/** executeBatch with `returning` statements among the others: their rows in their place. */
export async function executeBatchWithRows(db: Db, statements: readonly BatchStatement[], durability: WriteDurability = 'logged'): Promise<BatchOutcome[]> {
  if (statements.length === 0) return [];
  const direct = await connectionFor(db);
  if (direct?.batch && (statements.length > 1 || durability === 'durable')) return direct.batch(statements, durability);
  const one = (tx: Tx, q: BatchStatement): Promise<BatchOutcome> =>
    isReturning(q) ? queryRows<Record<string, unknown>>(tx, q.returning) : executeStatement(tx, q);
  if (statements.length === 1) return [await one(db, statements[0]!)];
  // READ COMMITTED by name: the PostgreSQL client's level (the SQLite client's type knows only Serializable).
  const level = dialect(db) === 'postgresql' ? { isolationLevel: 'ReadCommitted' as never } : {};
  return db.$transaction(
    async (tx) => {
      const outcomes: BatchOutcome[] = [];
      for (const q of statements) outcomes.push(await one(tx, q));
      return outcomes;
    },
    { maxWait: 60_000, timeout: 30_000, ...level },
  );
}

/**
 * A write that several callers' rows can share: callers of one batch with the same `key` are written by one statement
 * (`statement` of all their rows, in their order, returning what identifies the rows it wrote), and `changed` says
 * from its rows how many rows each caller's own write changed. On PostgreSQL each statement is a round trip.
 */
export interface MultiRow<T> {
  key: string;
  row: T;
  /** At most this many rows in one statement (SQLite binds at most 999 values through Prisma). */
  maxRows: number;
  statement(rows: readonly T[]): Prisma.Sql;
  changed(rows: readonly T[], returned: readonly Record<string, unknown>[]): number[];
}

/**
 * A MultiRow write's `changed` when its statement returns the key of each row it wrote: 1 for each caller whose key
 * came back, the first caller only when two in one statement had the same key (the database wrote one row), else 0.
 */
export function firstOfEach(asked: readonly string[], returned: readonly string[]): number[] {
  const written = new Set(returned);
  return asked.map((key) => (written.delete(key) ? 1 : 0));
}

/**
 * Runs a statement in a batch with the others asked for in the same turn of the event loop (executeBatch), so that
 * writes arriving together (webhook updates, the results of sends) share one commit; the rows it changed. Resolves
 * once the batch committed. A MultiRow write shares its statement with the batch's others of its key. When a batch
 * fails for anything but a busy database, each write is tried on its own, so one bad write fails only its own caller.
 */
export function executeCoalesced<T>(db: Db, q: Prisma.Sql | MultiRow<T>, durability: WriteDurability = 'logged'): Promise<number> {
  let queues = coalescing.get(db);
  if (!queues) coalescing.set(db, (queues = new Map()));
  const forming = queues;
  let pending = forming.get(durability);
  if (!pending) {
    const queue: Waiting[] = [];
    pending = queue;
    forming.set(durability, queue);
    setImmediate(() => {
      forming.delete(durability);
      void flush(db, queue, durability);
    });
  }
  return new Promise<number>((resolve, reject) => pending.push({ q: q as Prisma.Sql | MultiRow<unknown>, resolve, reject }));
}

interface Waiting {
  q: Prisma.Sql | MultiRow<unknown>;
  resolve(changed: number): void;
  reject(e: unknown): void;
}
/** The batches forming now, per client and durability. */
const coalescing = new WeakMap<object, Map<WriteDurability, Waiting[]>>();

const isMultiRow = (q: Prisma.Sql | MultiRow<unknown>): q is MultiRow<unknown> => 'key' in q && 'row' in q;

/** A batch's statements for waiting writes: one per MultiRow key (in the place of its first), one per plain statement. */
function statementsFor(queue: readonly Waiting[]): { statements: BatchStatement[]; outcome(results: readonly BatchOutcome[]): number[] } {
  const statements: BatchStatement[] = [];
  /** Each shared statement: where it goes in the batch, and the waiting writes (by index) it writes. */
  const groups: { at: number; of: MultiRow<unknown>; members: number[] }[] = [];
  const filling = new Map<string, (typeof groups)[number]>();
  const place: number[] = [];
  queue.forEach(({ q }, i) => {
    if (!isMultiRow(q)) {
      place[i] = statements.push(q) - 1;
      return;
    }
    const group = filling.get(q.key);
    if (group && group.members.length < q.maxRows) {
      group.members.push(i);
      return;
    }
    const fresh = { at: statements.push(undefined as unknown as BatchStatement) - 1, of: q, members: [i] }; // its statement: below
    groups.push(fresh);
    filling.set(q.key, fresh);
  });
  const rowsOf = (g: (typeof groups)[number]) => g.members.map((i) => (queue[i]!.q as MultiRow<unknown>).row);
  for (const g of groups) statements[g.at] = returning(g.of.statement(rowsOf(g)));
  return {
    statements,
    outcome(results) {
      const changed: number[] = queue.map((_, i) => (place[i] === undefined ? 0 : (results[place[i]!] as number)));
      for (const g of groups) g.of.changed(rowsOf(g), results[g.at] as Record<string, unknown>[]).forEach((n, k) => (changed[g.members[k]!] = n));
      return changed;
    },
  };
}

async function flush(db: Db, queue: Waiting[], durability: WriteDurability): Promise<void> {
  const run = async (waiting: readonly Waiting[]) => {
    const { statements, outcome } = statementsFor(waiting);
    return outcome(await retryWhenBusy(() => executeBatchWithRows(db, statements, durability)));
  };
  try {
    const changed = await run(queue);
    queue.forEach((w, i) => w.resolve(changed[i]!));
  } catch (e) {
    if (queue.length === 1 || isBusyError(e)) {
      for (const w of queue) w.reject(e);
      return;
    }
    for (const w of queue) await run([w]).then(([n]) => w.resolve(n!), w.reject);
  }
}
