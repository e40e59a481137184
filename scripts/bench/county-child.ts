/**
 * One measurement in its own process, so peak RSS belongs to it alone:
 *   tsx scripts/bench/county-child.ts prepare <db> <reports dir>    bind groups, write a term of attendance
 * (<db>: a SQLite file path, or a file: / postgresql:// URL)
 *   tsx scripts/bench/county-child.ts op <name> <db> <reports dir>  time one operation of county-ops.ts
 * Prints one line `BENCH_RESULT {json}`: ok, seconds, statements, peakRssMb, detail or error.
 */
import { cpuSeconds, kindsSince, peakRssMb, statementKinds, statements } from './count-statements.js';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/app.js';
import { OPERATIONS, type Detail } from './county-ops.js';
import { prepareTerm, TERM_START } from './term-attendance.js';
import { condense, RESULT_PREFIX, type ChildResult } from './child-result.js';

async function main(argv: string[]): Promise<ChildResult> {
  const [mode, ...rest] = argv;
  const [name, db, reports] = mode === 'op' ? rest : [undefined, ...rest];
  if (!db || !reports || (mode !== 'prepare' && mode !== 'op')) throw new Error('usage: county-child.ts prepare <db> <reports> | op <name> <db> <reports>');
  const clock = new ManualClock(`${TERM_START}T08:00:00+08:00`);
  const deps = await createDeps(loadConfig({ DATABASE_URL: /^(file:|postgres(ql)?:\/\/)/.test(db) ? db : `file:${db}`, REPORTS_DIR: reports }), clock);
  try {
    let run: () => Promise<Detail>;
    if (mode === 'prepare') run = () => prepareTerm(deps);
    else {
      const op = OPERATIONS.find((o) => o.name === name);
      if (!op) throw new Error(`no operation "${name}"`);
      run = await op.setup(deps, clock);
    }
    const [s0, k0, c0, t0] = [statements(), statementKinds(), cpuSeconds(), performance.now()];
    const measured = () => ({
      seconds: (performance.now() - t0) / 1000,
      cpuSeconds: cpuSeconds() - c0,
      statements: statements() - s0,
      statementKinds: kindsSince(k0),
      peakRssMb: peakRssMb(),
    });
    try {
      const detail = await run();
      return { ok: true, ...measured(), detail };
    } catch (e) {
      return { ok: false, ...measured(), error: condense(e instanceof Error ? e.message : String(e)) };
    }
  } finally {
    await deps.db.$disconnect();
  }
}

const result = await main(process.argv.slice(2)).catch(
  (e: unknown): ChildResult => ({ ok: false, peakRssMb: peakRssMb(), error: condense(e instanceof Error ? e.message : String(e)) }),
);
process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
