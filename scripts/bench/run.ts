/**
 * `npm run bench`: what the foundation's hot paths cost on this machine.
 * - the weekly-count reader (pure), replies per second;
 * - seeding the demo county (import writer), seconds;
 * - a teacher's absence report end to end (router → ladder → outbox → console) on a real SQLite file, p50/p95 ms;
 * - the duty runner over a month of the demo county with every class group bound, a tick every 5 minutes:
 *   tick p50/p95/max and the whole month's wall time;
 * - the dispatcher draining 2,000 queued messages (claim, send to a no-op adapter, mark sent), messages per second.
 * With `--county N [--keep]`: the county-scale benchmark instead (county.ts).
 * With `--hot [--database-url postgresql://…] [--students N]`: the inbound hot path instead (hot-path.ts): the Telegram
 * webhook bot against a bare Telegraf echo on the telegram-test-api emulator, messages a second, p50/p95, CPU per
 * message and their ratios; on SQLite, or on a fresh database of that PostgreSQL server (dropped at the end); on the
 * demo county, or on a generated county of N pupils with a term of attendance.
 * With `--footprint`: the compiled start instead (footprint.ts): time to ready and idle RSS, console only and with
 * Telegram, Slack and WeChat configured against fakes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/app.js';
import type { Deps } from '../../src/services/deps.js';
import { seedDemo } from '../../src/seed.js';
import { ConsoleSession } from '../../src/console/session.js';
import { readWeeklyCount } from '../../src/domain/weekly-count-reader.js';
import { createDutyRunner } from '../../src/duties/runner.js';
import { ALL_DUTIES } from '../../src/duties/index.js';
import { bindGroup } from '../../src/store/chat.repository.js';
import { enqueue } from '../../src/store/outbox.repository.js';
import { drainOutbox } from '../../src/delivery/dispatcher.js';
import { countyBench } from './county.js';
import { MAX_STUDENTS, MIN_STUDENTS } from '../../src/demo/county-plan.js';

const REPLIES = [
  '应到45人，实到43人，病假1人，事假1人，辍学0人',
  '45/44 病假1',
  '收到',
  '应到四十五人，实到四十三人，旷课二人',
  '应到：52；实到：50；请假：1；旷课：1；辍学：0；复学：0',
  '王老师明天交',
  '应到45 实到43 病假1',
  'enrolled 40 present 39 leave 1',
];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const reader = () => {
  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) readWeeklyCount(REPLIES[i % REPLIES.length]!);
  const ms = performance.now() - t0;
  return { replies: n, perSecond: Math.round((n / ms) * 1000) };
};

/** A fresh database file with a manual clock, removed afterwards. */
async function withDatabase<T>(start: string, fn: (deps: Deps, clock: ManualClock) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-bench-'));
  const clock = new ManualClock(start);
  const deps = await createDeps(loadConfig({ DATABASE_URL: `file:${path.join(dir, 'bench.db')}` }), clock);
  try {
    return await fn(deps, clock);
  } finally {
    await deps.db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function endToEnd() {
  return withDatabase('2026-11-16T08:00:00+08:00', async (deps, clock) => {
    const t0 = performance.now();
    await seedDemo(deps.db, clock.now());
    const seedSeconds = (performance.now() - t0) / 1000;
    const session = new ConsoleSession(deps);
    await session.start();
    const teachers = await deps.db.person.findMany({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
    const plans = await Promise.all(teachers.map(async (t) => ({ t, s: await deps.db.student.findMany({ where: { classId: t.classId! }, take: 3 }) })));
    const times: number[] = [];
    let delivered = 0;
    // A school week: every class teacher reports three absences each morning (Mon–Fri).
    for (const day of ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']) {
      clock.set(`${day}T08:30:00+08:00`);
      for (const { t, s } of plans) {
        const text = `缺勤 ${s.map((x) => `${x.studentNo} 旷课`).join(' ')}`;
        const t1 = performance.now();
        delivered += (await session.say(t.staffId, 'dm', text)).delivered.length;
        times.push(performance.now() - t1);
      }
    }
    return {
      seedSeconds: Number(seedSeconds.toFixed(2)),
      reports: times.length,
      messagesDelivered: delivered,
      p50ms: Number(pct(times, 50).toFixed(1)),
      p95ms: Number(pct(times, 95).toFixed(1)),
      maxMs: Number(Math.max(...times).toFixed(1)),
    };
  });
}

async function dutyMonth() {
  return withDatabase('2026-11-01T00:00:00+08:00', async (deps, clock) => {
    await seedDemo(deps.db, clock.now());
    for (const t of await deps.db.person.findMany({ where: { role: 'class_teacher' } }))
      await bindGroup(deps.db, `console:group:g${t.classId}`, t.classId!, t.id, clock.now());
    const runner = createDutyRunner(deps, ALL_DUTIES);
    const times: number[] = [];
    const t0 = performance.now();
    const end = new Date('2026-12-01T00:00:00+08:00').getTime();
    for (let t = clock.now().getTime() + 300_000; t < end; t += 300_000) {
      clock.set(new Date(t));
      const t1 = performance.now();
      await runner.tick();
      times.push(performance.now() - t1);
    }
    const monthSeconds = (performance.now() - t0) / 1000;
    return {
      ticks: times.length,
      messagesQueued: await deps.db.outbox.count(),
      ledgerRows: await deps.db.dutyRun.count(),
      tickP50ms: Number(pct(times, 50).toFixed(2)),
      tickP95ms: Number(pct(times, 95).toFixed(2)),
      tickMaxMs: Number(Math.max(...times).toFixed(1)),
      monthSeconds: Number(monthSeconds.toFixed(1)),
    };
  });
}

async function dispatcher() {
  return withDatabase('2026-11-20T10:00:00+08:00', async (deps, clock) => {
    const n = 2000;
    for (let i = 0; i < n; i++) await enqueue(deps.db, clock.now(), { chatRef: `console:dm:T${String(i % 39).padStart(4, '0')}`, text: `m${i}` });
    let sent = 0;
    const sink = {
      platform: 'console',
      async start() {},
      async stop() {},
      async send() {
        sent++;
      },
    };
    const t0 = performance.now();
    while (sent < n) await drainOutbox(deps.db, clock, new Map([['console', sink]]));
    const ms = performance.now() - t0;
    return { messages: n, perSecond: Math.round((n / ms) * 1000) };
  });
}

/** The number of pupils after `flag` (a county's size), or undefined without the flag; one out of range is refused. */
function pupilsAfter(flag: string, example: string): number | undefined {
  const i = process.argv.indexOf(flag);
  if (i < 0) return undefined;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < MIN_STUDENTS || n > MAX_STUDENTS)
    throw new Error(`${flag} needs a number of students from ${MIN_STUDENTS} to ${MAX_STUDENTS}, e.g. npm run bench -- ${example}`);
  return n;
}

const max = pupilsAfter('--county', '--county 60000');
if (max !== undefined) {
  await countyBench(max, { keep: process.argv.includes('--keep') });
  process.exit(0);
}

if (process.argv.includes('--hot')) {
  // Loaded only here: its statement counter patches better-sqlite3 for the whole process.
  const { hotPathBench } = await import('./hot-path.js');
  const flag = process.argv.indexOf('--database-url');
  const databaseUrl = flag >= 0 ? process.argv[flag + 1] : undefined;
  if (flag >= 0 && databaseUrl === undefined) throw new Error('--database-url needs a URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres');
  const students = pupilsAfter('--students', '--hot --students 60000');
  const hotPath = await hotPathBench({ ...(databaseUrl !== undefined ? { databaseUrl } : {}), ...(students !== undefined ? { students } : {}) });
  console.log(JSON.stringify({ machine: `${os.cpus().length} cpu, node ${process.version}`, hotPath }, null, 2));
  process.exit(0);
}

if (process.argv.includes('--footprint')) {
  const { footprintBench } = await import('./footprint.js');
  console.log(JSON.stringify({ machine: `${os.cpus().length} cpu, node ${process.version}`, footprint: await footprintBench() }, null, 2));
  process.exit(0);
}

console.log(
  JSON.stringify(
    {
      machine: `${os.cpus().length} cpu, node ${process.version}`,
      reader: reader(),
      absenceReport: await endToEnd(),
      dutyMonth: await dutyMonth(),
      dispatcher: await dispatcher(),
    },
    null,
    2,
  ),
);
