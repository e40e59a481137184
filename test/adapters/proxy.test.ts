/**
 * HTTPS_PROXY reaches WeCom's and DingTalk's API calls (token, messages, multipart uploads, DingTalk's Stream
 * gateway): the adapters built by their descriptors with the proxy send everything through a CONNECT proxy on
 * 127.0.0.1, and the fakes receive it intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { wecom } from '../../adapters/wecom/platform.js';
import { dingtalk } from '../../adapters/dingtalk/platform.js';
import { FakeProxy } from '../fakes/connect-proxy.js';
import { FakeWecomApi } from '../fakes/wecom-api.js';
import { FakeDingtalk } from '../fakes/dingtalk-api.js';
import { freePort } from '../helpers/net.js';
import { tempAttachment } from '../helpers/attachment.js';
import { WECOM_APP, wecomEnv } from './wecom-setup.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';

const clock = new ManualClock('2026-11-20T08:00:00+08:00');
let proxy: FakeProxy;
const stops: (() => Promise<void>)[] = [];
const hostOf = (base: string) => new URL(base).host;

beforeAll(async () => {
  proxy = await new FakeProxy().start();
});
afterAll(async () => {
  for (const s of stops.reverse()) await s();
  await proxy?.stop();
});

async function started(a: ChatAdapter): Promise<ChatAdapter> {
  await a.start(async () => undefined);
  stops.push(() => a.stop());
  return a;
}

describe('HTTPS_PROXY', () => {
  it('carries every WeCom API call: the token, a message, a file upload', async () => {
    const api = await new FakeWecomApi(WECOM_APP).start();
    stops.push(() => api.stop());
    const config = wecom.configSchema.parse(wecomEnv(await freePort(), api.apiBase));
    const adapter = await started(
      await wecom.create(config, { log: () => undefined, clock, sendTimeoutMs: 30_000, listenHost: '127.0.0.1', proxy: proxy.url }),
    );
    await adapter.send({ id: 1, chat: { platform: 'wecom', kind: 'dm', id: 'zhanghua' }, text: '经代理发送', attachment: tempAttachment('xlsx') });
    expect(api.sent.map((s) => [s.body.touser, s.body.msgtype])).toEqual([
      ['zhanghua', 'text'],
      ['zhanghua', 'file'],
    ]);
    expect(api.uploads).toEqual([{ via: 'app', type: 'file', filename: '2026-11月报.xlsx', bytes: 128 }]);
    // one tunnel a call (no keep-alive): gettoken, the text, the upload, the file message
    expect(proxy.tunnels.filter((t) => t === hostOf(api.apiBase))).toHaveLength(4);
  });

  it("carries DingTalk's Stream gateway call and its robot API calls", async () => {
    const fake = await new FakeDingtalk('dingproxyclient1', 'proxy-secret-0123456789').start();
    stops.push(() => fake.stop());
    const before = proxy.tunnels.length;
    const config = dingtalk.configSchema.parse({
      DINGTALK_CLIENT_ID: 'dingproxyclient1',
      DINGTALK_CLIENT_SECRET: 'proxy-secret-0123456789',
      DINGTALK_API_BASE: fake.apiBase,
      DINGTALK_OAPI_BASE: fake.apiBase,
      DINGTALK_STREAM_ENDPOINT: fake.gatewayUrl,
    });
    const adapter = await started(await dingtalk.create(config, { log: () => undefined, clock, sendTimeoutMs: 30_000, proxy: proxy.url }));
    expect(proxy.tunnels.slice(before)).toContain(hostOf(fake.apiBase)); // the gateway call at start
    await adapter.send({ id: 2, chat: { platform: 'dingtalk', kind: 'group', id: 'cidG==' }, text: '经代理发送', attachment: tempAttachment('xlsx') });
    expect(fake.sent.map((s) => [s.kind, s.msgKey])).toEqual([
      ['group', 'sampleText'],
      ['group', 'sampleFile'],
    ]);
    expect(fake.uploads).toEqual([{ type: 'file', filename: '2026-11月报.xlsx', bytes: 128 }]);
    // the gateway, the token, the text, the upload, the file message
    expect(proxy.tunnels.slice(before).filter((t) => t === hostOf(fake.apiBase))).toHaveLength(5);
  });
});
