/** Sending through the WeCom API of the fake: token caching and refresh, frequency limits, files, robots, long texts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { RateLimitedError, type ChatAdapter, type Outgoing } from '../../src/core/chat-port.js';
import { FakeWecomApi } from '../fakes/wecom-api.js';
import { tempAttachment } from '../helpers/attachment.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { wire } from '../helpers/wire.js';
import { enqueue } from '../../src/store/outbox.repository.js';
import { wecomUnderTest } from './wecom-setup.js';

const ROBOT_KEY = '693a91f6-7abc-4bc4-97a0-0ec2sifa5aaa';
const clock = new ManualClock('2026-11-20T08:30:00+08:00');
let api: FakeWecomApi;
let adapter: ChatAdapter;
let id = 0;
const dm = (user: string, text: string, extra: Partial<Outgoing> = {}): Outgoing => ({
  id: ++id,
  chat: { platform: 'wecom', kind: 'dm', id: user },
  text,
  ...extra,
});
const group = (chat: string, text: string, extra: Partial<Outgoing> = {}): Outgoing => ({
  id: ++id,
  chat: { platform: 'wecom', kind: 'group', id: chat },
  text,
  ...extra,
});
const ACK = [{ action: 'ack:12', label: '已收到', textEquivalent: '收到 12' }];

beforeAll(async () => {
  ({ api, adapter } = await wecomUnderTest(clock, `三(2)班=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${ROBOT_KEY}`));
  await adapter.start(async () => undefined);
});

afterAll(async () => {
  await adapter?.stop();
  await api?.stop();
});

describe('wecom sending', () => {
  it('one access token serves many sends, and is fetched again only shortly before it expires', async () => {
    for (let i = 0; i < 5; i++) await adapter.send(dm('weilijuan', `消息 ${i}`));
    expect(api.tokensIssued).toBe(1);
    expect(api.sent.map((s) => s.body)).toContainEqual({ touser: 'weilijuan', agentid: 1000002, msgtype: 'text', text: { content: '消息 4' } });
    clock.advance(7200_000 - 6 * 60_000);
    await adapter.send(dm('weilijuan', '快到期'));
    expect(api.tokensIssued).toBe(1);
    clock.advance(2 * 60_000);
    await adapter.send(dm('weilijuan', '换新令牌'));
    expect(api.tokensIssued).toBe(2);
  });

  it('a token WeCom calls expired (42001) is refreshed once and the message goes', async () => {
    api.expireTokens();
    const before = api.tokensIssued;
    await adapter.send(dm('weilijuan', '令牌过期后'));
    expect(api.tokensIssued).toBe(before + 1);
    expect(api.sent.at(-1)!.body.text!.content).toBe('令牌过期后');
  });

  it('a frequency-limit errcode (45009, 45033) becomes a RateLimitedError and nothing is recorded as sent', async () => {
    for (const errcode of [45009, 45033]) {
      api.limitNext(1, errcode);
      const n = api.sent.length;
      const err = await adapter.send(dm('weilijuan', '太频繁')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).retryAfterSeconds).toBe(60);
      expect(api.sent.length).toBe(n);
    }
  });

  it('buttons: a template card for a member, the words to type in a group', async () => {
    await adapter.send(dm('weilijuan', '两天未到校预警 #12\n详情…', { buttons: ACK }));
    const card = api.sent.at(-1)!.body;
    expect(card.msgtype).toBe('template_card');
    expect(card.template_card).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: '两天未到校预警 #12' },
      button_list: [{ text: '已收到', key: 'ack:12' }],
    });
    await adapter.send(group('wrkClassChat01', '本周统计', { buttons: ACK }));
    expect(api.sent.at(-1)).toMatchObject({
      api: 'appchat',
      body: { chatid: 'wrkClassChat01', msgtype: 'text', text: { content: '本周统计\n（已收到请回复「收到 12」）' } },
    });
  });

  it('files: uploaded as media, then sent as an image or a file message', async () => {
    await adapter.send(dm('weilijuan', '本月趋势图', { attachment: tempAttachment('png') }));
    await adapter.send(group('wrkClassChat01', '本月月报', { attachment: tempAttachment('xlsx') }));
    expect(api.uploads).toEqual([
      { via: 'app', type: 'image', filename: '趋势.png', bytes: 128 },
      { via: 'app', type: 'file', filename: '2026-11月报.xlsx', bytes: 128 },
    ]);
    expect(api.sent.at(-3)!.body).toMatchObject({ touser: 'weilijuan', msgtype: 'image', image: { media_id: 'media1' } });
    expect(api.sent.at(-1)).toMatchObject({ api: 'appchat', body: { chatid: 'wrkClassChat01', msgtype: 'file', file: { media_id: 'media2' } } });
  });

  it('a class group bound to a group robot: text (buttons as words) and files through its webhook, its limit as RateLimitedError', async () => {
    const robot = { platform: 'wecom', kind: 'group' as const, id: 'robot:三(2)班' };
    await adapter.send({ id: ++id, chat: robot, text: '请回复本周人数', buttons: ACK, attachment: tempAttachment('xlsx') });
    expect(api.sent.at(-2)).toEqual({
      api: 'robot',
      robotKey: ROBOT_KEY,
      body: { msgtype: 'text', text: { content: '请回复本周人数\n（已收到请回复「收到 12」）' } },
    });
    expect(api.sent.at(-1)).toEqual({ api: 'robot', robotKey: ROBOT_KEY, body: { msgtype: 'file', file: { media_id: 'media3' } } });
    expect(api.uploads.at(-1)).toMatchObject({ via: 'robot', filename: '2026-11月报.xlsx' });
    api.limitNext(1);
    await expect(adapter.send({ id: ++id, chat: robot, text: '第21条' })).rejects.toBeInstanceOf(RateLimitedError);
    await expect(adapter.send({ id: ++id, chat: { ...robot, id: 'robot:没有这个群' }, text: 'x' })).rejects.toThrow(/WECOM_GROUP_ROBOT_WEBHOOKS/);
  });

  it("set-up mistakes are named: a wrong secret stops start(), a server outside the app's trusted IPs fails with the hint", async () => {
    const wrong = await wecomUnderTest(clock, '', { WECOM_SECRET: 'wrong-secret-0123456789' });
    await expect(wrong.adapter.start(async () => undefined)).rejects.toThrow(/40001 .*WECOM_SECRET/);
    await wrong.api.stop();
    api.trustedIp = false;
    const err = await adapter.send(dm('weilijuan', '可信IP')).catch((e: unknown) => e);
    api.trustedIp = true;
    expect(err).not.toBeInstanceOf(RateLimitedError);
    expect(String(err)).toContain('60020');
    expect(String(err)).toContain('企业可信IP');
  });

  it('a text longer than 2048 bytes goes in pieces of at most 2048 bytes, nothing lost', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `第${i + 1}行：一(1)班 应到30 实到29`);
    const n = api.sent.length;
    await adapter.send(dm('weilijuan', lines.join('\n')));
    const pieces = api.sent.slice(n).map((s) => s.body.text!.content);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2048);
    expect(pieces.join('\n')).toBe(lines.join('\n'));
  });
});

describe('wecom delivery', () => {
  let app: TestApp;
  afterAll(async () => app?.close());

  it('a frequency limit keeps the message in the outbox until its retry time, without counting an attempt', async () => {
    app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
    await adapter.stop(); // wire() starts it again, handing its messages to this app's core
    const { deliver } = await wire(app, adapter);
    api.limitNext(1);
    await enqueue(app.deps.db, app.deps.clock.now(), { chatRef: 'wecom:dm:weilijuan', text: '排队的消息' });
    await deliver();
    const failed = await app.deps.db.outbox.findFirstOrThrow({ where: { status: 'failed' } });
    expect(failed.lastError).toContain('retry after 60s');
    expect(failed.attempts).toBe(0);
    await deliver();
    expect(api.sent.at(-1)!.body.text!.content).not.toBe('排队的消息');
    app.clock.advance(60_000);
    await deliver();
    expect(api.sent.at(-1)!.body.text!.content).toBe('排队的消息');
  });
});
