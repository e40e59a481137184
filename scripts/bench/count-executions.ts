/**
 * Counts SQL statements this process executes through better-sqlite3 (run/all/get/iterate on a prepared statement),
 * whether the statement was prepared for this call or taken from a cache of prepared statements. count-statements.ts
 * counts `prepare` calls, which a statement cache makes rarer than executions; this counts the work the database does.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

type Method = (this: { source?: string }, ...args: unknown[]) => unknown;
interface StatementProto {
  run: Method;
  all: Method;
  get: Method;
  iterate: Method;
}

const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
) => {
  prepare(sql: string): object;
  close(): void;
};
let executed = 0;
let prepared = 0;
const bySql = new Map<string, number>();
const msBySql = new Map<string, number>();
const MARK = Symbol.for('kcbx.bench.countExecutions');

function install(): void {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as StatementProto & { [MARK]?: true };
  probe.close();
  if (proto[MARK]) return;
  for (const name of ['run', 'all', 'get', 'iterate'] as const) {
    const original = proto[name];
    proto[name] = function (this: { source?: string }, ...args: unknown[]) {
      executed++;
      const sql = String(this.source).slice(0, 160);
      bySql.set(sql, (bySql.get(sql) ?? 0) + 1);
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        msBySql.set(sql, (msBySql.get(sql) ?? 0) + performance.now() - t0);
      }
    };
  }
  const dbProto = Database.prototype as { prepare: Method };
  const prepare = dbProto.prepare;
  dbProto.prepare = function (this: { source?: string }, ...args: unknown[]) {
    prepared++;
    return prepare.apply(this, args);
  };
  proto[MARK] = true;
}
install();

/** Statements executed so far (BEGIN and COMMIT included). */
export const executions = (): number => executed;
/** Statements prepared so far (each a compile of SQL text by SQLite). */
export const preparations = (): number => prepared;
/** Executions so far by SQL text (its first 160 characters), most frequent first. */
export const executedBySql = (): [string, number][] => [...bySql].sort((a, b) => b[1] - a[1]);
/** Milliseconds spent in SQLite so far by SQL text, most first. */
export const msBySqlText = (): [string, number][] => [...msBySql].sort((a, b) => b[1] - a[1]);
/** Forgets the statements tallied by SQL text so far (a bench's setup), keeping the totals. */
export function forgetTallies(): void {
  bySql.clear();
  msBySql.clear();
}
