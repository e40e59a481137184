/**
 * DingTalk (钉钉, an enterprise internal app's robot) as the registry sees it: its variables and documented limits
 * are in config.ts (zod only); the adapter and the Stream SDK are loaded only when the app is configured.
 */
import { definePlatform } from '../../src/core/platform.js';
import { dingtalkConfigSchema, dingtalkConfigured, limits } from './config.js';

export const dingtalk = definePlatform({
  name: 'dingtalk',
  configSchema: dingtalkConfigSchema,
  concurrency: 1,
  configured: dingtalkConfigured,
  incomplete: (c) =>
    !dingtalkConfigured(c) && (c.DINGTALK_CLIENT_ID || c.DINGTALK_CLIENT_SECRET)
      ? 'dingtalk: cannot start: DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET are both needed'
      : undefined,
  limits: () => ({
    windows: (chat) => [
      { key: 'dingtalk', ms: 1000, max: limits.perApiPerSecond },
      ...(chat.kind === 'group' ? [{ key: `dingtalk:${chat.id}/min`, ms: 60_000, max: limits.perGroupPerMinute }] : []),
    ],
    historyMs: 60_000,
  }),
  async create(c, rt) {
    if (!dingtalkConfigured(c)) throw new Error('dingtalk: DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET are both needed');
    const [{ createDingtalkAdapter }, { proxiedFetch }] = await Promise.all([import('./index.js'), import('../proxy.js')]);
    return createDingtalkAdapter(c, rt.log, {
      clock: rt.clock,
      ...(rt.listenHost ? { callbackHost: rt.listenHost } : {}),
      ...(rt.proxy ? { fetch: await proxiedFetch(rt.proxy) } : {}),
    });
  },
});
