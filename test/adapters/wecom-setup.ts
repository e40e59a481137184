/** One WeCom app for the tests: the fake server, and the adapter on a free port of 127.0.0.1 pointed at it. */
import type { Clock } from '../../src/clock.js';
import { freePort } from '../helpers/net.js';
import { FakeWecomApi, type WecomApp } from '../fakes/wecom-api.js';
import { createWecomAdapter } from '../../adapters/wecom/index.js';
import { wecomConfigSchema } from '../../adapters/wecom/config.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';

export const WECOM_APP: WecomApp = {
  corpId: 'ww0123456789abcdef',
  agentId: 1000002,
  secret: 'app-secret-0123456789abcdef',
  token: 'kcbxToken2026',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

/** The WeCom variables of the test app, its callback on `port`, the API at the fake's base. */
export function wecomEnv(port: number, apiBase: string): Record<string, string> {
  return {
    WECOM_CORP_ID: WECOM_APP.corpId,
    WECOM_AGENT_ID: String(WECOM_APP.agentId),
    WECOM_SECRET: WECOM_APP.secret,
    WECOM_TOKEN: WECOM_APP.token,
    WECOM_ENCODING_AES_KEY: WECOM_APP.aesKey,
    WECOM_CALLBACK_PORT: String(port),
    WECOM_API_BASE: apiBase,
  };
}

export async function wecomUnderTest(
  clock: Clock,
  robots = '',
  overrides: Record<string, string> = {},
): Promise<{ api: FakeWecomApi; adapter: ChatAdapter; callbackUrl: string }> {
  const api = await new FakeWecomApi(WECOM_APP).start();
  const port = await freePort();
  const config = wecomConfigSchema.parse({ ...wecomEnv(port, api.apiBase), WECOM_GROUP_ROBOT_WEBHOOKS: robots, ...overrides });
  const adapter = createWecomAdapter(config, () => undefined, { clock, host: '127.0.0.1' });
  return { api, adapter, callbackUrl: `http://127.0.0.1:${port}/wecom/callback` };
}
