/** Slack as the registry sees it. Limits (api.slack.com/apis/rate-limits): chat.postMessage about 1 a second per channel. */
import { z } from 'zod';
import { definePlatform } from '../../src/core/platform.js';
import { perUnit, port } from '../fields.js';

export const slackConfigSchema = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', '应为 Bot User OAuth Token，以 xoxb- 开头').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, '应为 Slack 应用 Basic Information 页上的 Signing Secret').optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', '应为 App-Level Token，以 xapp- 开头（Socket Mode 需要）').optional(),
  SLACK_MODE: z.enum(['socket', 'http'], { error: '只能是 socket 或 http' }).default('socket'),
  SLACK_PORT: port('3000').default(3000),
  SLACK_API_URL: z.url({ error: '应为网址，如 https://slack.com/api/' }).default('https://slack.com/api/'),
  SLACK_BOT_ID: z.string().optional(),
  SLACK_BOT_USER_ID: z.string().optional(),
  SLACK_MAX_PER_CHANNEL_PER_SECOND: perUnit('1').default(1),
});

export const slack = definePlatform({
  name: 'slack',
  configSchema: slackConfigSchema,
  concurrency: 4,
  configured: (c) => Boolean(c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET),
  checks: (c) => [
    ...(c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET
      ? [{ name: 'SLACK_SIGNING_SECRET', message: '设置了 SLACK_BOT_TOKEN 时必须同时设置（用于校验 Slack 请求签名）' }]
      : []),
    ...(c.SLACK_BOT_TOKEN && c.SLACK_MODE === 'socket' && !c.SLACK_APP_TOKEN
      ? [{ name: 'SLACK_APP_TOKEN', message: 'Socket Mode 需要 App-Level Token（xapp-…），或把 SLACK_MODE 设为 http' }]
      : []),
  ],
  limits: (c) => ({
    windows: (chat) => [{ key: `slack:${chat.id}/s`, ms: 1000, max: c.SLACK_MAX_PER_CHANNEL_PER_SECOND }],
    historyMs: 1000,
  }),
  async create(c, rt) {
    if (!c.SLACK_BOT_TOKEN || !c.SLACK_SIGNING_SECRET) throw new Error('slack: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are both needed');
    const [{ createSlackAdapter }, { proxyAgent }] = await Promise.all([import('./slack-adapter.js'), import('../proxy.js')]);
    const agent = rt.proxy ? await proxyAgent(rt.proxy) : undefined;
    return createSlackAdapter({
      botToken: c.SLACK_BOT_TOKEN,
      signingSecret: c.SLACK_SIGNING_SECRET,
      mode: c.SLACK_MODE,
      port: c.SLACK_PORT,
      apiUrl: c.SLACK_API_URL,
      ...(c.SLACK_APP_TOKEN ? { appToken: c.SLACK_APP_TOKEN } : {}),
      ...(c.SLACK_BOT_ID && c.SLACK_BOT_USER_ID ? { botId: c.SLACK_BOT_ID, botUserId: c.SLACK_BOT_USER_ID } : {}),
      ...(agent ? { agent } : {}),
      log: rt.log,
    });
  },
});
