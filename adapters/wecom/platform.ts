/**
 * WeCom (企业微信, a self-built app) as the registry sees it: its variables and documented limits are in config.ts
 * (zod only); the adapter, with its crypto, is loaded only when the app is configured.
 */
import { definePlatform } from '../../src/core/platform.js';
import { WECOM, wecomConfigSchema, wecomConfigured, wecomWindows } from './config.js';

export const wecom = definePlatform({
  name: WECOM,
  configSchema: wecomConfigSchema,
  concurrency: 1,
  configured: (c) => wecomConfigured(c).configured,
  // All five of the app's variables or none: each missing one is named (a set but bad one has its own line).
  checks: (c) =>
    wecomConfigured(c).missing.map((name) => ({
      name,
      message: '企业微信需要 WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET、WECOM_TOKEN、WECOM_ENCODING_AES_KEY 五项都填写（不用企业微信就全部留空）',
    })),
  limits: () => ({ windows: wecomWindows, historyMs: 60_000 }),
  async create(c, rt) {
    const [{ createWecomAdapter }, { proxiedFetch }] = await Promise.all([import('./wecom-adapter.js'), import('../proxy.js')]);
    return createWecomAdapter(c, rt.log, {
      clock: rt.clock,
      ...(rt.listenHost ? { host: rt.listenHost } : {}),
      ...(rt.proxy ? { fetch: await proxiedFetch(rt.proxy) } : {}),
    });
  },
});
