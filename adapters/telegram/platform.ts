/**
 * Telegram as the registry sees it. Limits (core.telegram.org/bots/faq): about 30 messages a second overall, 1 a
 * second per chat, 20 a minute per group (group chat ids are negative).
 */
import { z } from 'zod';
import { definePlatform } from '../../src/core/platform.js';
import type { ChatRef } from '../../src/core/chat-port.js';
import { perUnit, port } from '../fields.js';

export const telegramConfigSchema = z.object({
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, '应为 BotFather 给的令牌，如 123456789:AAE…')
    .optional(),
  TELEGRAM_BOT_USERNAME: z
    .string()
    .regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/, '应为机器人的用户名（BotFather 里设的，以 bot 结尾），如 kcbx_bot')
    .transform((s) => s.replace(/^@/, ''))
    .optional(),
  TELEGRAM_API_ROOT: z.url({ error: '应为网址，如 https://api.telegram.org' }).default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: z.url({ error: '应为 Telegram 能访问到的 https 网址，如 https://bot.example.org/telegram' }).optional(),
  TELEGRAM_WEBHOOK_PORT: port('8443').default(8443),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, '应为 16–256 位字母、数字、_ 或 -')
    .optional(),
  TELEGRAM_MAX_PER_SECOND: perUnit('30').default(30),
  TELEGRAM_MAX_PER_CHAT_PER_SECOND: perUnit('1').default(1),
  TELEGRAM_MAX_PER_GROUP_PER_MINUTE: perUnit('20').default(20),
});

/** Telegram: a chat with a negative id is a group (basic groups -N, supergroups and channels -100N). */
export function isTelegramGroup(chat: ChatRef): boolean {
  return chat.kind === 'group' || chat.id.startsWith('-');
}

export const telegram = definePlatform({
  name: 'telegram',
  configSchema: telegramConfigSchema,
  concurrency: 8,
  configured: (c) => Boolean(c.TELEGRAM_BOT_TOKEN),
  checks: (c) =>
    c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET
      ? [{ name: 'TELEGRAM_WEBHOOK_SECRET', message: '使用 webhook 时必须设置密钥，用来拒绝不是 Telegram 发来的请求' }]
      : [],
  limits: (c) => ({
    windows: (chat) => {
      const id = `telegram:${chat.id}`;
      return [
        { key: 'telegram', ms: 1000, max: c.TELEGRAM_MAX_PER_SECOND },
        { key: `${id}/s`, ms: 1000, max: c.TELEGRAM_MAX_PER_CHAT_PER_SECOND },
        ...(isTelegramGroup(chat) ? [{ key: `${id}/min`, ms: 60_000, max: c.TELEGRAM_MAX_PER_GROUP_PER_MINUTE }] : []),
      ];
    },
    historyMs: 60_000,
  }),
  async create(c, rt) {
    const token = c.TELEGRAM_BOT_TOKEN;
    if (!token) throw new Error('telegram: TELEGRAM_BOT_TOKEN is not set');
    const hook = c.TELEGRAM_WEBHOOK_URL ? new URL(c.TELEGRAM_WEBHOOK_URL) : undefined;
    const webhook =
      hook && c.TELEGRAM_WEBHOOK_SECRET
        ? {
            domain: hook.origin,
            path: hook.pathname,
            port: c.TELEGRAM_WEBHOOK_PORT,
            secretToken: c.TELEGRAM_WEBHOOK_SECRET,
            ...(rt.listenHost ? { host: rt.listenHost } : {}),
          }
        : undefined;
    const [{ createTelegramAdapter }, { proxyAgent }] = await Promise.all([import('./telegram-adapter.js'), import('../proxy.js')]);
    const agent = rt.proxy ? await proxyAgent(rt.proxy) : undefined;
    // Each Bot API call gives up well before the dispatcher's send timeout, so a late answer cannot follow a retry.
    const callTimeoutMs = Math.min(12_000, Math.floor(rt.sendTimeoutMs / 2));
    return createTelegramAdapter({
      token,
      apiRoot: c.TELEGRAM_API_ROOT,
      callTimeoutMs,
      ...(agent ? { agent } : {}),
      ...(webhook ? { webhook } : {}),
      log: rt.log,
    });
  },
});
