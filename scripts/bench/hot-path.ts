/**
 * The inbound hot path against the outside Bot API emulator (telegram-test-api), in one process and one run:
 * (a) a bare Telegraf echo bot and (b) the project's bot as `npm start` runs it (Telegram webhook → inbox → router →
 * outbox → dispatcher → sendMessage), demo county seeded, class teachers bound to their accounts and class groups.
 * Both are fed the same messages from many chats (teachers' weekly counts, `全到`, `帮助` in class groups;
 * `缺勤 …` and `帮助` by direct message), each chat's messages one after another (the emulator gives concurrent
 * messages of one chat the same message_id), the chats all at once; rounds alternate echo and bot.
 * Measured: inbound messages a second (first message sent → every reply at the emulator), p50/p95 from a message
 * sent to its reply reaching the emulator (a chat's k-th reply answers its k-th message), SQL statements executed
 * and prepared per message (count-executions.ts).
 * On SQLite (the default) the bot's database is a file in a temp dir. With a PostgreSQL server URL
 * (`--database-url postgresql://…/<any db>`) it is a fresh database `kcbx_bench_hot_<random>` on that server, dropped
 * at the end (also when the bench fails or is interrupted); statements are counted at node-postgres's `Client#query`
 * (count-pg-queries.ts), prepares are not counted there (null).
 *
 * The emulator sends no secret-token header: a relay in front of both bots adds the project's, so both take the same
 * path. Telegram's own send limits (30 a second, 1 a second per chat) are raised for the bench: they measure
 * Telegram, not this code. Run alone:
 * `npx tsx scripts/bench/hot-path.ts [--messages N] [--rounds R] [--database-url postgresql://…] [--students N] [--sql]`
 * (`--students N`: a generated county of N pupils with a term of attendance instead of the demo county, 22 of its class
 * teachers writing in on the Monday after; `--sql`: the statements of the measured rounds by count and by time)
 * (`node --cpu-prof --import tsx scripts/bench/hot-path.ts --only bot` for a profile of the bot alone).
 */
import * as sqliteCounter from './count-executions.js';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { Telegraf } from 'telegraf';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/app.js';
import { seedDemo } from '../../src/seed.js';
import { bindAccount } from '../../src/store/account.repository.js';
import { bindGroup } from '../../src/store/chat.repository.js';
import { FAILED_REPLY, handleIncoming } from '../../src/core/router.js';
import { createInbox } from '../../src/core/inbox.js';
import { startDispatcher } from '../../src/delivery/loop.js';
import { deliveryOptionsFrom } from '../../src/delivery/dispatcher.js';
import { telegram } from '../../adapters/telegram/platform.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { databaseForDisplay } from '../../src/store/prisma.js';
import { isPgServerUrl, pgAdmin, pgDatabaseUrl } from './pg-admin.js';
import { prepareTerm } from './term-attendance.js';

interface EmulatorServer {
  config: { apiURL: string };
  start(): Promise<void>;
  stop(): Promise<boolean>;
  addUserMessage(m: Record<string, unknown>): Promise<void>;
  addBotMessage(raw: Record<string, unknown>, token: string): unknown;
}
const TelegramServer = createRequire(import.meta.url)('telegram-test-api') as new (c: { port: number; host: string; storeTimeout?: number }) => EmulatorServer;

export interface SideResult {
  messages: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  /** Replies beyond one per message (e.g. a refusal's direct message), not used for timing. */
  extraReplies: number;
  /**
   * CPU time of this process (emulator, relay and bot together) per message: steadier than messages a second on a
   * machine shared with other work.
   */
  cpuMsPerMessage: number;
  /**
   * The main thread's busy share over the round (node's event-loop utilization, 0–1): near 1 the thread's own work
   * bounds the round; well below it the round waits (on the database's answers, say) with the thread idle.
   */
  mainThreadBusy: number;
}

export interface HotPathResult {
  /** Where the bot's database was: `sqlite (temp file)` or the PostgreSQL database's URL (password hidden). */
  database: string;
  messages: number;
  chats: number;
  rounds: number;
  echo: SideResult[];
  bot: SideResult[];
  /** Best bot round over best echo round, messages a second. */
  ratio: number;
  /** Best echo round's CPU per message over the best bot round's: the ratio with the machine's other load taken out. */
  cpuRatio: number;
  statementsPerMessage: number;
  /** SQLite compiles per message; null on PostgreSQL (not counted, see count-pg-queries.ts). */
  preparesPerMessage: number | null;
}

const SECRET = 'hot-path-bench-secret-0123';
/** Class teachers writing in, as many as the demo county has. */
const DEMO_TEACHERS = 22;
const ECHO_TOKEN = '111111:ECHO';
const BOT_TOKEN = '222222:BOT';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
}

/** Forwards the emulator's webhook posts to a bot, adding the secret-token header the emulator does not send. */
async function startRelay(): Promise<{ port: number; route(path: string, port: number): void; close(): Promise<void> }> {
  const routes = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    const target = routes.get(req.url ?? '');
    if (!target) return void res.writeHead(404).end();
    const out = http.request(
      {
        host: '127.0.0.1',
        port: target,
        path: req.url,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502);
        r.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    port,
    route: (p, target) => routes.set(p, target),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

interface Chat {
  chatId: number;
  userId: number;
  type: 'private' | 'group';
  texts: string[];
}

/** Feeds every chat's texts (chats at once, each chat in order) and waits for a reply to each; timings per message. */
async function feed(emu: EmulatorServer, token: string, chats: Chat[], replies: Map<string, number[]>, timeoutMs = 300_000): Promise<SideResult> {
  const sent = new Map<number, number[]>();
  const total = chats.reduce((n, c) => n + c.texts.length, 0);
  const before = new Map(chats.map((c) => [c.chatId, replies.get(`${token}|${c.chatId}`)?.length ?? 0]));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  await Promise.all(
    chats.map(async (c) => {
      const times: number[] = [];
      sent.set(c.chatId, times);
      for (const text of c.texts) {
        times.push(performance.now());
        await emu.addUserMessage({
          botToken: token,
          from: { id: c.userId, first_name: 'T', is_bot: false },
          chat: { id: c.chatId, type: c.type, ...(c.type === 'group' ? { title: `班级群 ${c.chatId}` } : { first_name: 'T' }) },
          date: 1,
          text,
        });
      }
    }),
  );
  const answered = () => chats.every((c) => (replies.get(`${token}|${c.chatId}`)?.length ?? 0) - before.get(c.chatId)! >= c.texts.length);
  const deadline = performance.now() + timeoutMs;
  while (!answered()) {
    if (performance.now() > deadline) throw new Error(`hot-path: not every message was answered within ${timeoutMs} ms (${token})`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  const latencies: number[] = [];
  let extra = 0;
  for (const c of chats) {
    const got = (replies.get(`${token}|${c.chatId}`) ?? []).slice(before.get(c.chatId)!);
    const times = sent.get(c.chatId)!;
    times.forEach((t, k) => latencies.push(got[k]! - t));
    extra += Math.max(0, got.length - times.length);
  }
  // Replies that came to other chats (a refusal in a group goes to the sender by DM) are counted, not timed.
  return {
    messages: total,
    seconds: Math.round(seconds * 1000) / 1000,
    perSecond: Math.round(total / seconds),
    p50Ms: Math.round(pct(latencies, 50) * 10) / 10,
    p95Ms: Math.round(pct(latencies, 95) * 10) / 10,
    extraReplies: extra,
    cpuMsPerMessage: Math.round(((cpu.user + cpu.system) / 1000 / total) * 10) / 10,
    mainThreadBusy: Math.round(elu.utilization * 100) / 100,
  };
}

/** The bare echo: Telegraf's own webhook callback, answering each text with itself. */
async function startEcho(apiRoot: string, relay: { port: number; route(p: string, port: number): void }) {
  const bot = new Telegraf(ECHO_TOKEN, { telegram: { apiRoot } });
  bot.on('message', async (ctx) => {
    if ('text' in ctx.message) await ctx.reply(ctx.message.text);
  });
  bot.botInfo = await bot.telegram.getMe();
  const port = await freePort();
  const server = http.createServer(bot.webhookCallback('/echo', { secretToken: SECRET }));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  relay.route('/echo', port);
  await bot.telegram.setWebhook(`http://127.0.0.1:${relay.port}/echo`);
  return {
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Real time, started on a school-day morning (weekly counts and attendance are accepted then). */
function schoolMorningClock(start: string): Clock {
  const base = new Date(start).getTime();
  const t0 = performance.now();
  return { now: () => new Date(base + Math.floor(performance.now() - t0)) };
}

async function startProjectBot(
  apiRoot: string,
  relay: { port: number; route(p: string, port: number): void },
  dir: string,
  databaseUrl: string,
  onClose: (close: () => Promise<void>) => void,
  students?: number,
) {
  const port = await freePort();
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    REPORTS_DIR: path.join(dir, 'reports'),
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${relay.port}/bot`,
    TELEGRAM_WEBHOOK_PORT: String(port),
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_MAX_PER_SECOND: '100000',
    TELEGRAM_MAX_PER_CHAT_PER_SECOND: '100000',
    TELEGRAM_MAX_PER_GROUP_PER_MINUTE: '100000',
  });
  // A generated county has a term of attendance up to Friday 2026-11-20: its messages come on the Monday after.
  const clock = schoolMorningClock(students ? '2026-11-23T08:30:00+08:00' : '2026-11-18T08:30:00+08:00');
  // What has been started, closed in this order whether the bench got through or failed on the way.
  const started: { inbox?: { stop(): Promise<void> }; dispatcher?: { stop(): void; idle(): Promise<void> }; adapter?: ChatAdapter } = {};
  const deps = await createDeps(config, clock);
  onClose(async () => {
    await started.inbox?.stop();
    started.dispatcher?.stop();
    await started.dispatcher?.idle();
    await started.adapter?.stop();
    await deps.db.$disconnect();
  });
  await seedDemo(deps.db, clock.now(), students ? { students, seed: 7 } : undefined);
  if (students) await prepareTerm(deps, 7);
  const everyTeacher = await deps.db.person.findMany({ where: { role: 'class_teacher', active: true }, orderBy: { id: 'asc' } });
  // The demo county's 22 class teachers; in a generated county 22 of them, spread over its schools.
  const step = Math.max(1, Math.floor(everyTeacher.length / DEMO_TEACHERS));
  const teachers = everyTeacher.filter((_, i) => i % step === 0).slice(0, DEMO_TEACHERS);
  const pupils = await deps.db.student.findMany({
    where: { classId: { in: teachers.map((t) => t.classId!) } },
    select: { classId: true, name: true },
    orderBy: { id: 'asc' },
  });
  const byClass = new Map<number, string[]>();
  for (const s of pupils) byClass.set(s.classId, [...(byClass.get(s.classId) ?? []), s.name]);
  const chats: Chat[] = [];
  for (const [i, t] of teachers.entries()) {
    const userId = 10_000 + t.id;
    await bindAccount(deps.db, t.id, 'telegram', String(userId), clock.now());
    const names = (byClass.get(t.classId!) ?? []).filter((n, k, all) => all.indexOf(n) === k && all.lastIndexOf(n) === k);
    if (i % 2 === 0) {
      await bindGroup(deps.db, `telegram:group:${-userId}`, t.classId!, t.id, clock.now());
      chats.push({ chatId: -userId, userId, type: 'group', texts: ['应到45人，实到45人，病假0人，事假0人，辍学0人', '全到', '帮助'] });
    } else {
      chats.push({ chatId: userId, userId, type: 'private', texts: [`缺勤 ${names[0]} 病假`, '帮助', `缺勤 ${names[1]} 事假`] });
    }
  }
  const running = new Map<string, ChatAdapter>();
  const log = (line: string) => {
    if (!/^delivery: pruned/.test(line)) console.error(line);
  };
  const dispatcher = (started.dispatcher = startDispatcher(deps.db, clock, running, log, deliveryOptionsFrom(config)));
  const inbox = createInbox(
    deps,
    async (m) => {
      await handleIncoming(deps, m, log);
      dispatcher.kick();
    },
    { log, ...(process.env.HOT_LANES ? { lanes: Number(process.env.HOT_LANES) } : {}) },
  );
  inbox.start();
  started.inbox = inbox;
  const adapter = await telegram.create(telegram.configSchema.parse(config), { log, clock, sendTimeoutMs: 30_000, listenHost: '127.0.0.1' });
  relay.route('/bot', port);
  await adapter.start(inbox.accept);
  started.adapter = adapter;
  running.set('telegram', adapter);
  return { chats };
}

/** The bot's database: a SQLite file in `dir`, or a fresh database on a PostgreSQL server, dropped by `dispose`. */
async function benchDatabase(dir: string, server: string | undefined): Promise<{ url: string; name: string; dispose(): Promise<void> }> {
  if (server === undefined) return { url: `file:${path.join(dir, 'hot.db')}`, name: 'sqlite (temp file)', dispose: async () => undefined };
  if (!isPgServerUrl(server)) throw new Error('--database-url takes a PostgreSQL URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres');
  const db = `kcbx_bench_hot_${randomBytes(4).toString('hex')}`;
  await pgAdmin(server, `CREATE DATABASE "${db}"`);
  const url = pgDatabaseUrl(server, db);
  return { url, name: databaseForDisplay(url), dispose: () => pgAdmin(server, `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`) };
}

export async function hotPathBench(
  opts: { messagesPerChat?: number; rounds?: number; only?: 'echo' | 'bot'; databaseUrl?: string; students?: number } = {},
): Promise<HotPathResult> {
  // Six rounds each: the first ones warm V8 up (the echo speeds up by more than half from its first round to its sixth).
  const rounds = opts.rounds ?? 6;
  const pg = opts.databaseUrl !== undefined;
  // On PostgreSQL the statements go through node-postgres, not better-sqlite3: count them there.
  const counter = pg ? await import('./count-pg-queries.js') : sqliteCounter;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-hot-'));
  // Everything started, closed in reverse order at the end, also when the bench fails part way.
  const closers: (() => Promise<unknown>)[] = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  // Ctrl-C or a kill: close (dropping a PostgreSQL database) before going.
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`hot-path: ${signal}, cleaning up`);
    void closeAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const database = await benchDatabase(dir, opts.databaseUrl);
    closers.push(() => database.dispose());
    const emuPort = await freePort();
    const emu = new TelegramServer({ port: emuPort, host: '127.0.0.1', storeTimeout: 3600 });
    await emu.start();
    closers.push(() => emu.stop());
    // Every reply the emulator receives, by bot and chat, with the instant it arrived.
    const replies = new Map<string, number[]>();
    const addBotMessage = emu.addBotMessage.bind(emu);
    let failed = 0;
    emu.addBotMessage = (raw, token) => {
      if (String(raw.text).startsWith(FAILED_REPLY)) failed++;
      const key = `${token}|${String(raw.chat_id)}`;
      const list = replies.get(key);
      if (list) list.push(performance.now());
      else replies.set(key, [performance.now()]);
      return addBotMessage(raw, token);
    };
    const relay = await startRelay();
    closers.push(() => relay.close());
    const apiRoot = emu.config.apiURL;
    const echo = await startEcho(apiRoot, relay);
    closers.push(() => echo.close());
    const bot = await startProjectBot(apiRoot, relay, dir, database.url, (close) => closers.push(close), opts.students);
    const per = opts.messagesPerChat ?? 6;
    const chats = bot.chats.map((c) => ({ ...c, texts: Array.from({ length: per }, (_, k) => c.texts[k % c.texts.length]!) }));
    const result: HotPathResult = {
      database: database.name,
      messages: 0,
      chats: chats.length,
      rounds,
      echo: [],
      bot: [],
      ratio: 0,
      cpuRatio: 0,
      statementsPerMessage: 0,
      preparesPerMessage: pg ? null : 0,
    };
    let statements = 0;
    let prepares = 0;
    // A warm-up of each (JIT, first statements), not measured.
    const warm = chats.slice(0, 4).map((c) => ({ ...c, texts: c.texts.slice(0, 1) }));
    if (opts.only !== 'bot') await feed(emu, ECHO_TOKEN, warm, replies);
    if (opts.only !== 'echo') await feed(emu, BOT_TOKEN, warm, replies);
    counter.forgetTallies(); // --sql lists the measured rounds' statements (the echo's rounds run none), not the setup's
    for (let r = 0; r < rounds; r++) {
      if (opts.only !== 'bot') result.echo.push(await feed(emu, ECHO_TOKEN, chats, replies));
      if (opts.only !== 'echo') {
        const [e0, p0] = [counter.executions(), sqliteCounter.preparations()];
        result.bot.push(await feed(emu, BOT_TOKEN, chats, replies));
        statements += counter.executions() - e0;
        prepares += sqliteCounter.preparations() - p0;
      }
    }
    await closeAll();
    if (failed > 0) throw new Error(`hot-path: the bot answered ${failed} message(s) with its failure reply (see the log above)`);
    result.messages = chats.reduce((n, c) => n + c.texts.length, 0);
    const best = (xs: SideResult[]) => Math.max(0, ...xs.map((x) => x.perSecond));
    result.ratio = best(result.echo) > 0 ? Math.round((best(result.bot) / best(result.echo)) * 100) / 100 : 0;
    const leastCpu = (xs: SideResult[]) => Math.min(...xs.map((x) => x.cpuMsPerMessage));
    if (result.echo.length && result.bot.length) result.cpuRatio = Math.round((leastCpu(result.echo) / leastCpu(result.bot)) * 100) / 100;
    const botMessages = result.bot.reduce((n, x) => n + x.messages, 0);
    result.statementsPerMessage = botMessages ? Math.round((statements / botMessages) * 10) / 10 : 0;
    if (!pg) result.preparesPerMessage = botMessages ? Math.round((prepares / botMessages) * 10) / 10 : 0;
    return result;
  } finally {
    await closeAll();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('hot-path.ts')) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const only = arg('--only');
  const databaseUrl = arg('--database-url');
  if (process.argv.includes('--database-url') && databaseUrl === undefined)
    throw new Error('--database-url needs a URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres');
  const r = await hotPathBench({
    ...(arg('--messages') ? { messagesPerChat: Number(arg('--messages')) } : {}),
    ...(arg('--rounds') ? { rounds: Number(arg('--rounds')) } : {}),
    ...(only === 'echo' || only === 'bot' ? { only } : {}),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(arg('--students') ? { students: Number(arg('--students')) } : {}),
  });
  console.log(JSON.stringify(r, null, 2));
  if (process.argv.includes('--sql')) {
    // The counter hotPathBench used (the same module instance: it is loaded once).
    const { executedBySql, msBySqlText } = databaseUrl !== undefined ? await import('./count-pg-queries.js') : sqliteCounter;
    for (const [sql, n] of executedBySql().slice(0, 40)) console.log(String(n).padStart(6), sql);
    for (const [sql, ms] of msBySqlText().slice(0, 15)) console.log(`${ms.toFixed(0).padStart(6)} ms`, sql);
  }
  process.exit(0);
}
