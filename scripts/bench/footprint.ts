/**
 * What `npm start` costs before any message: the compiled entry (node dist/src/main.js, as `npm start` runs it after
 * its build step) started on a temporary SQLite file, with
 * - the console only (no platform configured), and
 * - Telegram + Slack (HTTP mode) + WeChat (wechaty-puppet-mock) configured against fakes on 127.0.0.1.
 * Per start: the time from spawn to the process's "ready in N ms" log line, and its resident memory (VmRSS from
 * /proc/<pid>/status) a few seconds after it. The first start on the empty file seeds the demo county and is reported
 * on its own; the median of the next starts (the same, seeded file) is the idle figure.
 *
 * Alone: `npx tsx scripts/bench/footprint.ts [--runs 3] [--idle-ms 3000]`.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FakeSlackApi } from '../../test/fakes/slack-api.js';
import { FakeTelegramApi } from '../../test/fakes/telegram-api.js';
import { freePort } from '../../test/helpers/net.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(ROOT, 'dist', 'src', 'main.js');
const READY = /ready in (\d+) ms: (.*?)["\n]/;
const PLATFORM_VARIABLE = /^(TELEGRAM|SLACK|WECHATY|WECHAT|WECOM|DINGTALK)_/;

/** The node options `npm start` passes (package.json's start script: `node <options> dist/src/main.js`). */
export function startFlags(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /^node\s+(.*?)\s*dist\/src\/main\.js/.exec(start);
  if (!m) throw new Error(`package.json start is not "node [options] dist/src/main.js": ${start}`);
  return m[1]!.split(/\s+/).filter(Boolean);
}

export interface StartMeasure {
  /** From spawn to the "ready" line, as the parent saw it. */
  readyMs: number;
  /** What the process itself logged (from its own start). */
  loggedReadyMs: number;
  /** What the ready line says is running. */
  running: string;
  /** CPU time (user + system, all its threads) the process had used when the parent saw its ready line. */
  cpuMs: number;
  rssMb: number;
  peakRssMb: number;
}

export interface Footprint {
  scenario: string;
  firstStart: StartMeasure;
  runs: StartMeasure[];
  medianReadyMs: number;
  /** CPU time at ready: on a shared machine the ready time moves with the others' load, this much less. */
  medianCpuMs: number;
  medianRssMb: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Clock ticks a second, the unit of /proc/<pid>/stat's CPU times. */
let clockTicks: number | undefined;

/** User + system CPU time of a process so far (/proc/<pid>/stat fields 14 and 15), in ms. */
function cpuMsOf(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  // The fields after the command name, which is in parentheses and may hold spaces.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Math.round(((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks);
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}

/** One start of the compiled entry: spawn, wait for its ready line, idle, read its memory, stop it. */
async function measureStart(flags: string[], cwd: string, env: Record<string, string>, idleMs: number, timeoutMs = 60_000): Promise<StartMeasure> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !PLATFORM_VARIABLE.test(k) && k !== 'NODE_OPTIONS'));
  const t0 = performance.now();
  // stdin stays open: the console would end at its end of input.
  const child = spawn(process.execPath, [...flags, ENTRY], {
    cwd,
    env: { ...base, LOG_FORMAT: 'json', ...env } as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const ready = await new Promise<{ at: number; logged: number; running: string; cpuMs: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms; output:\n${output.slice(-3000)}`)), timeoutMs);
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = READY.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve({ at: performance.now(), logged: Number(m[1]), running: m[2]!, cpuMs: cpuMsOf(child.pid!) });
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited (${code}) before its ready line; output:\n${output.slice(-3000)}`));
      });
    });
    await new Promise((r) => setTimeout(r, idleMs));
    return {
      readyMs: Math.round(ready.at - t0),
      loggedReadyMs: ready.logged,
      running: ready.running,
      cpuMs: ready.cpuMs,
      rssMb: Math.round(statusKb(child.pid!, 'VmRSS') / 102.4) / 10,
      peakRssMb: Math.round(statusKb(child.pid!, 'VmHWM') / 102.4) / 10,
    };
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
}

async function scenario(
  name: string,
  flags: string[],
  runs: number,
  idleMs: number,
  env: (dir: string) => Promise<{ env: Record<string, string>; stop?: () => Promise<void> }>,
): Promise<Footprint> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-footprint-'));
  const setup = await env(dir);
  try {
    const all = { DATABASE_URL: `file:${path.join(dir, 'footprint.db')}`, REPORTS_DIR: path.join(dir, 'reports'), ...setup.env };
    const firstStart = await measureStart(flags, dir, all, idleMs);
    const measured: StartMeasure[] = [];
    for (let i = 0; i < runs; i++) measured.push(await measureStart(flags, dir, all, idleMs));
    return {
      scenario: flags.length ? `${name} (node ${flags.join(' ')})` : name,
      firstStart,
      runs: measured,
      medianReadyMs: median(measured.map((r) => r.readyMs)),
      medianCpuMs: median(measured.map((r) => r.cpuMs)),
      medianRssMb: median(measured.map((r) => r.rssMb)),
    };
  } finally {
    await setup.stop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function footprintBench(o: { runs?: number; idleMs?: number } = {}): Promise<Footprint[]> {
  const runs = o.runs ?? 3;
  const idleMs = o.idleMs ?? 3000;
  // What `npm start` does first: build when a source is newer than dist/.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'ignore' });
  const flags = startFlags();
  const consoleOnly = await scenario('console only', flags, runs, idleMs, async () => ({ env: { HEALTH_PORT: 'off' } }));
  const platforms = (options: string[]) =>
    scenario('telegram + slack + wechat', options, runs, idleMs, async () => {
      const telegram = await new FakeTelegramApi('42:FOOTPRINT').start();
      const slack = await new FakeSlackApi().start();
      return {
        env: {
          HEALTH_PORT: String(await freePort()),
          TELEGRAM_BOT_TOKEN: '42:FOOTPRINT',
          TELEGRAM_API_ROOT: telegram.apiRoot,
          SLACK_BOT_TOKEN: 'xoxb-footprint',
          SLACK_SIGNING_SECRET: 'footprint-secret-123',
          SLACK_MODE: 'http',
          SLACK_PORT: String(await freePort()),
          SLACK_API_URL: slack.apiUrl,
          SLACK_BOT_ID: 'BBOT',
          SLACK_BOT_USER_ID: 'UBOT',
          WECHATY_PUPPET: 'wechaty-puppet-mock',
          WECHATY_NAME: 'footprint',
        },
        stop: async () => {
          await telegram.stop();
          await slack.stop();
        },
      };
    });
  const results = [consoleOnly, await platforms(flags)];
  // Each of npm start's options measured apart, the other kept: --enable-source-maps reads and parses the source map
  // of every module that has one, the SDKs' too; --max-semi-space-size bounds V8's young generation (default 16 MB a
  // semi-space), which the start's burst of allocation grows and an idle process keeps.
  for (const option of ['--enable-source-maps', '--max-semi-space-size']) {
    const others = flags.filter((f) => !f.startsWith(option));
    if (others.length < flags.length) results.push(await platforms(others));
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const flag = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const runs = flag('--runs');
  const idleMs = flag('--idle-ms');
  const result = await footprintBench({ ...(runs ? { runs } : {}), ...(idleMs ? { idleMs } : {}) });
  console.log(JSON.stringify({ machine: `${os.cpus().length} cpu, node ${process.version}`, footprint: result }, null, 2));
}
