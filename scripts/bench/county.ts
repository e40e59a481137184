/**
 * `npm run bench -- --county N`: a generated county at 6,000, 20,000 and 60,000 students (those ≤ N, and N itself),
 * every measurement in its own process so peak RSS is its own:
 * - the county written as people.csv/students.csv (`cli seed-demo --out`), then imported by the real CLI
 *   (`cli import`, wall time as the administrator waits for it, statements, peak RSS);
 * - a term of attendance written (term-attendance.ts, not a target);
 * - each operation of county-ops.ts on a fresh copy of that database;
 * - `cli invite --all` on a copy, where the command exists.
 * An operation that fails is recorded with its error and the bench goes on. Prints the table and writes JSON to
 * bench/results/.
 * `--database-url postgresql://…/<any db>`: the same on PostgreSQL: the county in a database of its own on that server,
 * each operation on a copy of it (CREATE DATABASE … TEMPLATE), all dropped at the end unless --keep.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../src/clock.js';
import { OPERATIONS } from './county-ops.js';
import { condense, RESULT_PREFIX, type ChildResult } from './child-result.js';
import { ROOT, spawnTsx, type Spawned } from './spawn-measured.js';
import { formatTable, type Row } from './county-table.js';
import { isPgServerUrl, pgAdmin, pgDatabaseUrl } from './pg-admin.js';

export const COUNTY_STEPS = [6_000, 20_000, 60_000];
const TARGET_AT = 60_000;
const COUNT = path.join('scripts', 'bench', 'count-statements.ts');
const CHILD = path.join('scripts', 'bench', 'county-child.ts');
const MINUTES = 60_000;
const IMPORT_AT = '2026-08-25T09:00:00+08:00';
const INVITES = { name: 'invite --all (cli)', targetSeconds: 30 };

export function countySizes(max: number): number[] {
  return [...new Set([...COUNTY_STEPS.filter((s) => s <= max), max])].sort((a, b) => a - b);
}

const lastLines = (s: string, n = 3) =>
  s
    .trim()
    .split('\n')
    .filter((l) => l.trim() && !/npm warn/.test(l))
    .slice(-n)
    .join(' | ');
/** What a failed process said: a Prisma error in one line, else the first error line, else its last lines. */
const failure = (out: string) =>
  /Invalid `/.test(out)
    ? condense(out.slice(out.indexOf('Invalid `')))
    : (out
        .split('\n')
        .find((l) => /Error\b|错误|失败|没有找到/.test(l))
        ?.trim() ?? lastLines(out));

/** A child that prints RESULT_PREFIX + json (county-child.ts). */
function childResult(r: Spawned): ChildResult {
  const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (line) return JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
  return { ok: false, peakRssMb: 0, error: r.timedOut ? `timed out after ${r.seconds.toFixed(0)} s` : `exit ${r.code}: ${lastLines(r.stderr)}` };
}

/** A real CLI command run with the statement counter preloaded: wall time from here, statements and RSS from it. */
async function cli(args: string[], env: Record<string, string>, dir: string, timeoutMs: number): Promise<ChildResult & { stdout: string }> {
  const stats = path.join(dir, `stats-${args[0]}.json`);
  fs.rmSync(stats, { force: true });
  const r = await spawnTsx(['--import', `./${COUNT}`, 'src/cli.ts', ...args], { ...env, BENCH_STATS_FILE: stats }, timeoutMs);
  const s = fs.existsSync(stats)
    ? (JSON.parse(fs.readFileSync(stats, 'utf8')) as Pick<ChildResult, 'statements' | 'statementKinds' | 'cpuSeconds' | 'peakRssMb'>)
    : undefined;
  const ok = r.code === 0;
  return {
    ok,
    seconds: r.seconds,
    ...(s ?? { peakRssMb: 0 }),
    ...(ok ? {} : { error: r.timedOut ? `timed out after ${r.seconds.toFixed(0)} s` : failure(r.stderr || r.stdout) }),
    stdout: r.stdout,
  };
}

function row(students: number, operation: string, r: ChildResult, target?: { seconds: number; mb?: number }): Row {
  const measured = students === TARGET_AT && r.ok && r.seconds !== undefined && target;
  return {
    students,
    operation,
    ok: r.ok,
    ...(r.seconds !== undefined ? { seconds: Number(r.seconds.toFixed(3)) } : {}),
    ...(r.cpuSeconds !== undefined ? { cpuSeconds: Number(r.cpuSeconds.toFixed(3)) } : {}),
    ...(r.statements !== undefined ? { statements: r.statements } : {}),
    ...(r.statementKinds ? { statementKinds: r.statementKinds } : {}),
    ...(r.peakRssMb ? { peakRssMb: r.peakRssMb } : {}),
    ...(target ? { target: `< ${target.seconds} s${target.mb ? `, < ${target.mb} MB` : ''}` } : {}),
    ...(measured ? { meetsTarget: r.seconds! < target.seconds && (!target.mb || r.peakRssMb < target.mb) } : {}),
    ...(r.detail ? { detail: r.detail } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

/** The database the bench runs on: a SQLite file in the temp dir, or databases on a PostgreSQL server. */
interface BenchDb {
  /** The county's URL (file: or postgresql:). */
  url: string;
  /** A fresh copy of the county for one operation; its URL. */
  copy(): Promise<string>;
  dispose(): Promise<void>;
}

async function benchDb(dir: string, students: number, pgServer: string | undefined, keep: boolean): Promise<BenchDb> {
  if (!pgServer) {
    const db = path.join(dir, 'county.db');
    const copy = path.join(dir, 'op.db');
    return {
      url: `file:${db}`,
      copy: async () => (fs.copyFileSync(db, copy), `file:${copy}`),
      dispose: async () => undefined,
    };
  }
  const at = (name: string) => pgDatabaseUrl(pgServer, name);
  const county = `kcbx_bench_${students}`;
  const op = `kcbx_bench_${students}_op`;
  await pgAdmin(pgServer, `DROP DATABASE IF EXISTS "${op}" WITH (FORCE)`);
  await pgAdmin(pgServer, `DROP DATABASE IF EXISTS "${county}" WITH (FORCE)`);
  await pgAdmin(pgServer, `CREATE DATABASE "${county}"`);
  return {
    url: at(county),
    async copy() {
      await pgAdmin(pgServer, `DROP DATABASE IF EXISTS "${op}" WITH (FORCE)`);
      await pgAdmin(pgServer, `CREATE DATABASE "${op}" TEMPLATE "${county}"`);
      return at(op);
    },
    async dispose() {
      if (keep) return;
      await pgAdmin(pgServer, `DROP DATABASE IF EXISTS "${op}" WITH (FORCE)`);
      await pgAdmin(pgServer, `DROP DATABASE IF EXISTS "${county}" WITH (FORCE)`);
    },
  };
}

async function benchSize(students: number, keep: boolean, log: (s: string) => void, pgServer?: string): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kcbx-bench-${students}-`));
  const store = await benchDb(dir, students, pgServer, keep);
  const db = store.url;
  const env = { DATABASE_URL: db, REPORTS_DIR: path.join(dir, 'reports') };
  const rows: Row[] = [];
  const add = (r: Row) => (
    rows.push(r),
    log(
      `  ${r.operation}: ${r.ok ? `${r.seconds?.toFixed(2)} s (cpu ${r.cpuSeconds?.toFixed(2)} s), ${r.statements ?? '?'} statements, ${r.peakRssMb ?? '?'} MB` : `ERROR ${r.error}`}`,
    )
  );
  try {
    const gen = await cli(['seed-demo', '--students', String(students), '--seed', '1', '--out', dir], env, dir, 10 * MINUTES);
    add(row(students, 'generate files', gen));
    if (!gen.ok) return rows;
    const imported = await cli(['import', path.join(dir, 'people.csv'), path.join(dir, 'students.csv'), '--now', IMPORT_AT], env, dir, 30 * MINUTES);
    add(row(students, 'import (cli)', imported, { seconds: 60, mb: 400 }));
    const skip = (why: string) => {
      for (const o of [...OPERATIONS, INVITES])
        add(row(students, o.name, { ok: false, peakRssMb: 0, error: `skipped: ${why}` }, o.targetSeconds ? { seconds: o.targetSeconds } : undefined));
    };
    if (!imported.ok) return (skip('the import failed'), rows);
    const prepared = childResult(await spawnTsx([CHILD, 'prepare', db, env.REPORTS_DIR], {}, 30 * MINUTES));
    add(row(students, 'setup: term of attendance', prepared));
    if (!prepared.ok) return (skip('the term of attendance could not be written'), rows);
    for (const o of OPERATIONS) {
      const copy = await store.copy();
      const r = childResult(await spawnTsx([CHILD, 'op', o.name, copy, env.REPORTS_DIR], {}, 20 * MINUTES));
      add(row(students, o.name, r, o.targetSeconds ? { seconds: o.targetSeconds } : undefined));
    }
    const invites = await cli(['invite', '--all'], { ...env, DATABASE_URL: await store.copy() }, dir, 20 * MINUTES);
    add(
      row(
        students,
        INVITES.name,
        invites.ok || !/没有找到人员/.test(invites.error ?? '') ? invites : { ...invites, error: `not on this branch (${invites.error})` },
        { seconds: INVITES.targetSeconds },
      ),
    );
    return rows;
  } finally {
    await store.dispose();
    if (keep) log(`  files kept in ${dir}${pgServer ? ` and databases kcbx_bench_${students}(_op) on the server` : ''}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function countyBench(max: number, opts: { keep?: boolean; databaseUrl?: string } = {}): Promise<Row[]> {
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const flag = process.argv.indexOf('--database-url');
  const pgServer = opts.databaseUrl ?? (flag >= 0 ? process.argv[flag + 1] : undefined);
  if (pgServer !== undefined && !isPgServerUrl(pgServer))
    throw new Error(`--database-url takes a PostgreSQL URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres`);
  const rows: Row[] = [];
  for (const students of countySizes(max)) {
    log(
      `county of ${students.toLocaleString('en-US')} students (load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
    );
    rows.push(...(await benchSize(students, Boolean(opts.keep), log, pgServer)));
  }
  const at = systemClock.now().toISOString();
  const out = path.join(ROOT, 'bench', 'results', `county-${at.replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        at,
        machine: `${os.cpus().length} cpu, ${Math.round(os.totalmem() / 2 ** 30)} GB, node ${process.version}`,
        database: pgServer ? 'postgresql' : 'sqlite',
        loadAverageAtEnd: os.loadavg(),
        sizes: countySizes(max),
        rows,
      },
      null,
      2,
    ),
  );
  console.log(`${formatTable(rows)}\n\nJSON: ${path.relative(ROOT, out)}`);
  return rows;
}
