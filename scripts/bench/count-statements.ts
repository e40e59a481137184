/**
 * Counts the SQL statements this process runs. Prisma 6.19's client engine sends every statement through the
 * better-sqlite3 driver adapter, which prepares each one exactly once (`prepare(sql).bind(args).run()/.all()`,
 * BEGIN included), so counting `Database.prototype.prepare` counts statements without touching the application.
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
const MARK = Symbol.for('kcbx.bench.countStatements');
const proto = Database.prototype as Prepares['prototype'] & { [MARK]?: true };
if (!proto[MARK]) {
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, ...args: unknown[]) {
    count++;
    return prepare.apply(this, args);
  };
  proto[MARK] = true;
}

export const statements = (): number => count;
/** Peak resident set size of this process so far, in MB. */
export const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

const statsFile = process.env.BENCH_STATS_FILE;
if (statsFile) process.on('exit', () => fs.writeFileSync(statsFile, JSON.stringify({ statements: count, peakRssMb: peakRssMb() })));
