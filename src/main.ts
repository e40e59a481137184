/**
 * `npm start`: database migrated, demo county seeded if empty, then the chat platforms that are configured —
 * or the console when none is.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from './clock.js';
import { mapStacksUnder } from './ops/stack-map.js';
import { createDeps } from './app.js';
import { configFromEnvironment } from './env.js';
import { seedDemoIfEmpty } from './seed.js';
import { getCounty, peopleWithRole } from './store/org.repository.js';
import { calendarWarnings } from './services/calendar-check.js';
import { ROLE_LABELS, type Role } from './domain/types.js';
import { handleIncoming } from './core/router.js';
import { createInbox } from './core/inbox.js';
import { startDispatcher } from './delivery/loop.js';
import { deliveryOptionsFrom } from './delivery/dispatcher.js';
import { createDutyRunner } from './duties/runner.js';
import { startDutySchedule } from './duties/schedule.js';
import { ALL_DUTIES } from './duties/index.js';
import type { ChatAdapter } from './core/chat-port.js';
import { REGISTRY } from '../adapters/registry.js';
import { createLogger, lineLogger } from './log.js';
import { sensitiveNames } from './store/ops.repository.js';
import { databaseForDisplay } from './store/prisma.js';

// Compiled (npm start): this project's stack frames name the TypeScript source.
const compiled = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (path.basename(compiled) === 'dist') mapStacksUnder(compiled);
const config = configFromEnvironment();
const { logger, redactor } = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const log = lineLogger(logger);
const deps = await createDeps(config, systemClock);
// Names are known before the first line that could carry one; a roster imported by another process is picked up within minutes.
const refreshNames = async () => redactor.setNames(await sensitiveNames(deps.db));
await refreshNames();
setInterval(() => void refreshNames().catch((e: unknown) => logger.warn({ err: e }, 'log redactor: could not reload names')), 10 * 60_000).unref();
const seeded = await seedDemoIfEmpty(deps.db, systemClock.now());
const county = await getCounty(deps.db);
if (seeded) {
  console.log(
    `首次启动：已生成示范县“${county?.name}”（${seeded.created.schools} 所学校，${seeded.created.classes} 个班，${seeded.created.students} 名学生，${seeded.created.people} 名工作人员）。`,
  );
}
for (const w of calendarWarnings(deps.calendar, config.TERMS, config.EXTRA_HOLIDAYS)) logger.warn(w);

// Whatever the registry finds configured. Each platform loads its SDK only then: each costs start time and memory
// (Wechaty alone about 80 MB), so an idle console or a one-platform bot does not carry the others.
const platforms: ChatAdapter[] = [];
let configured = 0;
const runtime = {
  log,
  clock: systemClock,
  sendTimeoutMs: config.OUTBOX_SEND_TIMEOUT_SECONDS * 1000,
  ...(config.HTTPS_PROXY ? { proxy: config.HTTPS_PROXY } : {}),
};
for (const p of REGISTRY) {
  if (!p.configured(config)) {
    const why = p.incomplete?.(config);
    if (why) log(why);
    continue;
  }
  configured++;
  try {
    platforms.push(await p.create(config, runtime));
  } catch (e) {
    // One platform that cannot be built (its SDK missing, a bad setting) does not stop the others.
    log(`${p.name}: cannot start: ${e instanceof Error ? e.message : String(e)}`);
  }
}

if (configured === 0) {
  console.log(`数据库：${databaseForDisplay(config.DATABASE_URL)}，时区：${config.TIMEZONE}。没有配置聊天平台，打开控制台。`);
  const sample = await Promise.all(
    (['class_teacher', 'principal', 'village', 'town', 'county'] as const).map(async (r) => (await peopleWithRole(deps.db, r))[0]),
  );
  console.log(
    `可以扮演的人，例如：${sample
      .filter(Boolean)
      .map((p) => `${p!.name}（${p!.staffId}，${ROLE_LABELS[p!.role as Role]}）`)
      .join('，')}`,
  );
  const { runInteractive } = await import('./console/converse.js');
  logger.info(`ready in ${Math.round(performance.now())} ms: console`);
  await runInteractive(deps, process.stdin, (s) => console.log(s), sample[0]?.staffId);
  await deps.db.$disconnect();
} else {
  const running = new Map<string, ChatAdapter>();
  const dispatcher = startDispatcher(deps.db, systemClock, running, log, deliveryOptionsFrom(config));
  let lastTickAt: Date | undefined;
  // The metrics library is loaded only here: the console does not serve /metrics.
  const { startOperations } = await import('./ops/start.js');
  const ops = await startOperations({
    config,
    deps,
    log,
    platforms: () => platforms.map((p) => ({ platform: p.platform, connected: running.has(p.platform) })),
    lastTickAt: () => lastTickAt,
  });
  // Every platform hands its updates to the inbox (recorded, then answered); the inbox's worker handles them after,
  // starting with any a previous run recorded but did not handle.
  const inbox = createInbox(
    deps,
    async (m) => {
      await ops.timed(m.platform, () => handleIncoming(deps, m, log));
      dispatcher.kick();
    },
    { log },
  );
  inbox.start();
  // Side by side: each mostly waits on its network (Telegram's getMe, the WeChat puppet's login state).
  await Promise.all(
    platforms.map(async (p) => {
      try {
        await p.start(inbox.accept);
        running.set(p.platform, p);
      } catch (e) {
        // One platform down (bad token, network) does not stop the others.
        log(`${p.platform}: failed to start: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
  if (running.size === 0) log('no chat platform could start; messages stay in the outbox until one does');
  // Duties start after the platforms so their first (catch-up) messages can go out at once.
  const duties = startDutySchedule(createDutyRunner(deps, ALL_DUTIES, log), config.TIMEZONE, log, () => {
    lastTickAt = systemClock.now();
    dispatcher.kick();
  });
  // From the process's start (performance.now() counts from it), the line scripts/bench/footprint.ts waits for.
  logger.info(`ready in ${Math.round(performance.now())} ms: ${[...running.keys()].join(', ') || 'no platform running'}`);
  const shutdown = async () => {
    await duties.stop();
    await inbox.stop();
    dispatcher.stop();
    // Sends in flight finish and their results are written, so nothing goes out twice after the restart.
    await dispatcher.idle();
    await ops.stop();
    await Promise.all([...running.values()].map((p) => p.stop()));
    await deps.db.$disconnect();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
