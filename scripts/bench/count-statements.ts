/**
 * Counts the SQL statements this process runs. Prisma 6.19's client engine sends every statement through the
 * better-sqlite3 driver adapter, which prepares each one exactly once (`prepare(sql).bind(args).run()/.all()`,
 * BEGIN included), so counting `Database.prototype.prepare` counts statements without touching the application.
 * On PostgreSQL each statement is one call of the pg driver's `Client.prototype.query` (BEGIN and the write lock included).
 * Loaded as `tsx --import ./scripts/bench/count-statements.ts …` it also writes the process's totals to
 * $BENCH_STATS_FILE at exit, so a child process (the real CLI) can report statements and peak RSS.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

interface Prepares {
  prototype: { prepare(this: unknown, ...args: unknown[]): unknown };
}

const Database = createRequire(import.meta.url)('better-sqlite3') as Prepares;
let count = 0;
const byKind = new Map<string, number>();
const MARK = Symbol.for('kcbx.bench.countStatements');
const proto = Database.prototype as Prepares['prototype'] & { [MARK]?: true };
// On PostgreSQL (the pg driver under @prisma/adapter-pg) every statement is one Client.query call.
const PgClient = (createRequire(import.meta.url)('pg') as { Client: Prepares & { prototype: { query(this: unknown, ...args: unknown[]): unknown } } }).Client;
const pgProto = PgClient.prototype as { query(this: unknown, ...args: unknown[]): unknown; [MARK]?: true };
if (!pgProto[MARK]) {
  const query = pgProto.query;
  pgProto.query = function (this: unknown, ...args: unknown[]) {
    count++;
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
    const kind = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '?';
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    return query.apply(this, args);
  };
  pgProto[MARK] = true;
}
if (!proto[MARK]) {
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, ...args: unknown[]) {
    count++;
    const kind = /^\s*(\w+)/.exec(String(args[0]))?.[1]?.toUpperCase() ?? '?';
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    return prepare.apply(this, args);
  };
  proto[MARK] = true;
}

export const statements = (): number => count;
/** Statements so far by their first keyword (SELECT, INSERT, UPDATE, BEGIN, COMMIT …). */
export const statementKinds = (): Record<string, number> => Object.fromEntries(byKind);
/** Kinds counted since an earlier snapshot. */
export const kindsSince = (before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(statementKinds())
      .map(([k, n]) => [k, n - (before[k] ?? 0)])
      .filter(([, n]) => (n as number) > 0),
  );
/** CPU seconds (user + system) this process has used. */
export const cpuSeconds = (): number => {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
};
/** Peak resident set size of this process so far, in MB. */
export const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

const statsFile = process.env.BENCH_STATS_FILE;
if (statsFile)
  process.on('exit', () =>
    fs.writeFileSync(statsFile, JSON.stringify({ statements: count, statementKinds: statementKinds(), cpuSeconds: cpuSeconds(), peakRssMb: peakRssMb() })),
  );
