/** DingTalk sending against the fake: the access token cached and renewed, throttling as RateLimitedError, cards. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { FakeDingtalk } from '../fakes/dingtalk-api.js';
import { createDingtalkAdapter, dingtalkConfigSchema, limits } from '../../adapters/dingtalk/index.js';
import { throttled } from '../../adapters/dingtalk/api.js';
import { RateLimitedError, type ChatAdapter, type Outgoing } from '../../src/core/chat-port.js';

const ID = 'dingsendclient01';
const SECRET = 'send-secret-0123456789';
let fake: FakeDingtalk;
let adapter: ChatAdapter;
const clock = new ManualClock('2026-11-20T08:00:00+08:00');
let id = 1;
const dm = (text: string, extra: Partial<Outgoing> = {}): Outgoing => ({ id: id++, chat: { platform: 'dingtalk', kind: 'dm', id: 'user1' }, text, ...extra });
const group = (text: string): Outgoing => ({ id: id++, chat: { platform: 'dingtalk', kind: 'group', id: 'cidG==' }, text });

beforeAll(async () => {
  fake = await new FakeDingtalk(ID, SECRET, 7200).start();
  const config = dingtalkConfigSchema.parse({ DINGTALK_API_BASE: fake.apiBase, DINGTALK_OAPI_BASE: fake.apiBase, DINGTALK_ROBOT_CODE: 'dingrobotcode001' });
  adapter = createDingtalkAdapter({ ...config, DINGTALK_CLIENT_ID: ID, DINGTALK_CLIENT_SECRET: SECRET }, () => undefined, { clock });
});

afterAll(async () => {
  await fake?.stop();
});

describe('dingtalk sending', () => {
  it('one token serves every send until shortly before expireIn, then a new one is fetched', async () => {
    await adapter.send(dm('一'));
    await adapter.send(group('二'));
    expect(fake.tokensIssued).toBe(1);
    clock.advance(7200_000 - 6 * 60_000); // still more than the renewal margin before expiry
    await adapter.send(dm('三'));
    expect(fake.tokensIssued).toBe(1);
    clock.advance(2 * 60_000); // inside the margin
    await adapter.send(dm('四'));
    expect(fake.tokensIssued).toBe(2);
    expect(fake.sent.map((s) => [s.kind, s.to, s.robotCode, s.param.content])).toEqual([
      ['dm', 'user1', 'dingrobotcode001', '一'],
      ['group', 'cidG==', 'dingrobotcode001', '二'],
      ['dm', 'user1', 'dingrobotcode001', '三'],
      ['dm', 'user1', 'dingrobotcode001', '四'],
    ]);
  });

  it('a token DingTalk no longer accepts is renewed once and the send retried', async () => {
    fake.expireTokens();
    const refusals = fake.tokenRefusals;
    await adapter.send(dm('五'));
    expect(fake.tokenRefusals).toBe(refusals + 1);
    expect(fake.tokensIssued).toBe(3);
    expect(fake.sent.at(-1)!.param.content).toBe('五');
  });

  it('the per-app QPS refusal is a RateLimitedError of about a second; the group block one of 600 s', async () => {
    fake.throttleNext(1, 'qps');
    const qps = await adapter.send(dm('六')).catch((e: unknown) => e);
    expect(qps).toBeInstanceOf(RateLimitedError);
    expect((qps as RateLimitedError).retryAfterSeconds).toBe(1);
    fake.throttleNext(1, 'group');
    const block = await adapter.send(group('七')).catch((e: unknown) => e);
    expect(block).toBeInstanceOf(RateLimitedError);
    expect((block as RateLimitedError).retryAfterSeconds).toBe(limits.groupBlockSeconds);
    expect(fake.sent.map((s) => s.param.content)).not.toContain('六');
  });

  it('every throttling answer shape: HTTP 429 with Retry-After, the old API 90018, the robot errcode 130101 in a 200', () => {
    expect(throttled(429, '', '', '7')?.retryAfterSeconds).toBe(7);
    expect(throttled(429, '', '', null)?.retryAfterSeconds).toBe(1);
    expect(throttled(200, '90018', '当前企业调用该接口超过限制', null)?.retryAfterSeconds).toBe(1);
    expect(throttled(200, '130101', 'send too fast, exceed 20 times per minute', null)?.retryAfterSeconds).toBe(600);
    expect(throttled(400, 'invalidParameter', 'msgParam is invalid', null)).toBeUndefined();
    expect(throttled(401, 'InvalidAuthentication', '不合法的access_token', null)).toBeUndefined();
  });

  it('two buttons make a two-button action card; each button sends its text equivalent back', async () => {
    await adapter.send(
      dm('本月月报已生成', {
        buttons: [
          { action: 'confirm_report:2026-11', label: '确认月报', textEquivalent: '确认月报 2026-11' },
          { action: 'ack:3', label: '已收到', textEquivalent: '收到 3' },
        ],
      }),
    );
    const card = fake.sent.at(-1)!;
    expect(card.msgKey).toBe('sampleActionCard2');
    expect(card.param).toMatchObject({
      title: '本月月报已生成',
      actionTitle1: '确认月报',
      actionURL1: 'dtmd://dingtalkclient/sendMessage?content=%E7%A1%AE%E8%AE%A4%E6%9C%88%E6%8A%A5%202026-11',
      actionTitle2: '已收到',
      actionURL2: 'dtmd://dingtalkclient/sendMessage?content=%E6%94%B6%E5%88%B0%203',
    });
    expect(card.param.text).toContain('（已收到请回复「收到 3」）');
  });

  it('a staff id DingTalk lists as invalid fails the send, as does a secret it refuses (neither is a rate limit)', async () => {
    fake.unknownUsers.add('ghost');
    const unknown = await adapter.send({ id: id++, chat: { platform: 'dingtalk', kind: 'dm', id: 'ghost' }, text: '八' }).catch((err: unknown) => err);
    expect(unknown).not.toBeInstanceOf(RateLimitedError);
    expect(String(unknown)).toContain('ghost is not a staff id the robot can reach');
    const wrong = createDingtalkAdapter(
      { ...dingtalkConfigSchema.parse({ DINGTALK_API_BASE: fake.apiBase }), DINGTALK_CLIENT_ID: ID, DINGTALK_CLIENT_SECRET: 'wrong-secret-000000000' },
      () => undefined,
      { clock },
    );
    const refused = await wrong.send(dm('九')).catch((err: unknown) => err);
    expect(refused).not.toBeInstanceOf(RateLimitedError);
    expect(String(refused)).toContain('invalidClientIdOrSecret');
  });
});
