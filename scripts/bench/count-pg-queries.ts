/**
 * Counts SQL statements this process sends to PostgreSQL through node-postgres: every `Client#query` call, which is
 * where the Prisma pg adapter's statements go (pooled reads via `Pool#query`, transactions on a checked-out client),
 * BEGIN, COMMIT and the write lock's statements (pg-serialized.ts) included. The twin of count-executions.ts, which
 * counts better-sqlite3's executions. Prepares are not counted: the adapter sends its statements unnamed, so the
 * server parses each one again at every execution.
 * Load it only for a PostgreSQL run (it loads `pg`); the patch is on the prototype, so clients made before count too.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

type Query = (this: unknown, ...args: unknown[]) => unknown;
const pg = createRequire(import.meta.url)('pg') as { Client: { prototype: { query: Query } } };

let executed = 0;
const bySql = new Map<string, number>();
const msBySql = new Map<string, number>();
const MARK = Symbol.for('kcbx.bench.countPgQueries');

function install(): void {
  const proto = pg.Client.prototype as { query: Query; [MARK]?: true };
  if (proto[MARK]) return;
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    executed++;
    const first = args[0] as string | { text?: string } | undefined;
    const sql = String(typeof first === 'string' ? first : first?.text).slice(0, 160);
    bySql.set(sql, (bySql.get(sql) ?? 0) + 1);
    const t0 = performance.now();
    const done = () => msBySql.set(sql, (msBySql.get(sql) ?? 0) + performance.now() - t0);
    // Callback form (Pool#query passes one) or a promise.
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const cb = args[last] as (...a: unknown[]) => unknown;
      args[last] = (...a: unknown[]) => (done(), cb(...a));
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
    return result;
  };
  proto[MARK] = true;
}
install();

/** Statements sent so far (BEGIN and COMMIT included). */
export const executions = (): number => executed;
/** Statements sent so far by SQL text (its first 160 characters), most frequent first. */
export const executedBySql = (): [string, number][] => [...bySql].sort((a, b) => b[1] - a[1]);
/** Milliseconds from sending to the result by SQL text, most first (statements in flight together overlap). */
export const msBySqlText = (): [string, number][] => [...msBySql].sort((a, b) => b[1] - a[1]);
/** Forgets the statements tallied by SQL text so far (a bench's setup), keeping the totals. */
export function forgetTallies(): void {
  bySql.clear();
  msBySql.clear();
}
