/**
 * `npm start`: database migrated, demo county seeded if empty, then the chat platforms that are configured —
 * or the console when none is.
 */
import { systemClock } from './clock.js';
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
import { dingtalkConfigured } from '../adapters/dingtalk/config.js';
import { createLogger, lineLogger } from './log.js';
import { sensitiveNames } from './store/ops.repository.js';
import { startOperations } from './ops/start.js';

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
  console.log(`首次启动：已生成示范县“${county?.name}”（${seeded.created.schools} 所学校，${seeded.created.classes} 个班，${seeded.created.students} 名学生，${seeded.created.people} 名工作人员）。`);
}
for (const w of calendarWarnings(deps.calendar, config.TERMS, config.EXTRA_HOLIDAYS)) logger.warn(w);

const platforms: ChatAdapter[] = [];
// Platform SDKs are loaded only when configured: each costs start time and memory (Wechaty alone about 80 MB).
const agent = config.HTTPS_PROXY ? new (await import('https-proxy-agent')).HttpsProxyAgent(config.HTTPS_PROXY) : undefined;
// The WeChat puppet service speaks gRPC, whose client takes its proxy from grpc_proxy.
if (config.HTTPS_PROXY) process.env.grpc_proxy ??= config.HTTPS_PROXY;
if (config.TELEGRAM_BOT_TOKEN) {
  const hook = config.TELEGRAM_WEBHOOK_URL ? new URL(config.TELEGRAM_WEBHOOK_URL) : undefined;
  const webhook = hook && config.TELEGRAM_WEBHOOK_SECRET ? { domain: hook.origin, path: hook.pathname, port: config.TELEGRAM_WEBHOOK_PORT, secretToken: config.TELEGRAM_WEBHOOK_SECRET } : undefined;
  const { createTelegramAdapter } = await import('../adapters/telegram/telegram-adapter.js');
  // Each Bot API call gives up well before the dispatcher's send timeout, so a late answer cannot follow a retry.
  const callTimeoutMs = Math.min(12_000, Math.floor((config.OUTBOX_SEND_TIMEOUT_SECONDS * 1000) / 2));
  platforms.push(createTelegramAdapter({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, callTimeoutMs, ...(agent ? { agent } : {}), ...(webhook ? { webhook } : {}), log }));
}
if (config.WECHATY_PUPPET) {
  const puppetOptions = {
    ...(config.WECHATY_PUPPET_SERVICE_TOKEN ? { token: config.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
    ...(config.WECHATY_PUPPET_SERVICE_ENDPOINT ? { endpoint: config.WECHATY_PUPPET_SERVICE_ENDPOINT } : {}),
  };
  const { createWechatAdapter } = await import('../adapters/wechat/wechat-adapter.js');
  platforms.push(createWechatAdapter({ puppet: config.WECHATY_PUPPET, puppetOptions, name: config.WECHATY_NAME, log }));
}
if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) {
  const { createSlackAdapter } = await import('../adapters/slack/slack-adapter.js');
  platforms.push(
    createSlackAdapter({
      botToken: config.SLACK_BOT_TOKEN,
      signingSecret: config.SLACK_SIGNING_SECRET,
      mode: config.SLACK_MODE,
      port: config.SLACK_PORT,
      apiUrl: config.SLACK_API_URL,
      ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
      ...(config.SLACK_BOT_ID && config.SLACK_BOT_USER_ID ? { botId: config.SLACK_BOT_ID, botUserId: config.SLACK_BOT_USER_ID } : {}),
      ...(agent ? { agent } : {}),
      log,
    }),
  );
}
if (config.WECOM_CORP_ID) {
  // The config allows all five of the app's variables or none, so the rest are set here.
  const { createWecomAdapter } = await import('../adapters/wecom/index.js');
  platforms.push(createWecomAdapter(config, log, { clock: systemClock }));
}

if (dingtalkConfigured(config)) {
  const { createDingtalkAdapter } = await import('../adapters/dingtalk/index.js');
  platforms.push(createDingtalkAdapter(config, log));
} else if (config.DINGTALK_CLIENT_ID || config.DINGTALK_CLIENT_SECRET) {
  log('dingtalk: cannot start: DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET are both needed');
}

if (platforms.length === 0) {
  console.log(`数据库：${config.DATABASE_URL}，时区：${config.TIMEZONE}。没有配置聊天平台，打开控制台。`);
  const sample = await Promise.all((['class_teacher', 'principal', 'village', 'town', 'county'] as const).map(async (r) => (await peopleWithRole(deps.db, r))[0]));
  console.log(`可以扮演的人，例如：${sample.filter(Boolean).map((p) => `${p!.name}（${p!.staffId}，${ROLE_LABELS[p!.role as Role]}）`).join('，')}`);
  const { runInteractive } = await import('./console/converse.js');
  await runInteractive(deps, process.stdin, (s) => console.log(s), sample[0]?.staffId);
  await deps.db.$disconnect();
} else {
  const running = new Map<string, ChatAdapter>();
  const dispatcher = startDispatcher(deps.db, systemClock, running, log, deliveryOptionsFrom(config));
  let lastTickAt: Date | undefined;
  const ops = await startOperations({
    config,
    deps,
    log,
    platforms: () => platforms.map((p) => ({ platform: p.platform, connected: running.has(p.platform) })),
    lastTickAt: () => lastTickAt,
  });
  // Every platform hands its updates to the inbox (recorded, then answered); the inbox's worker handles them after,
  // starting with any a previous run recorded but did not handle.
  const inbox = createInbox(deps, async (m) => {
    await ops.timed(m.platform, () => handleIncoming(deps, m, log));
    dispatcher.kick();
  }, { log });
  inbox.start();
  for (const p of platforms) {
    try {
      await p.start(inbox.accept);
      running.set(p.platform, p);
    } catch (e) {
      // One platform down (bad token, network) does not stop the others.
      log(`${p.platform}: failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (running.size === 0) log('no chat platform could start; messages stay in the outbox until one does');
  // Duties start after the platforms so their first (catch-up) messages can go out at once.
  const duties = startDutySchedule(createDutyRunner(deps, ALL_DUTIES, log), config.TIMEZONE, log, () => {
    lastTickAt = systemClock.now();
    dispatcher.kick();
  });
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
