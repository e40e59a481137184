/** The WeCom adapter's callback server and message API against a fake WeCom on 127.0.0.1, wired to the real core on SQLite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';
import { FakeWecomApi } from '../fakes/wecom-api.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { wire } from '../helpers/wire.js';
import { createInviteCode } from '../../src/core/commands/binding.js';
import { wecomUnderTest } from './wecom-setup.js';

let app: TestApp;
let api: FakeWecomApi;
let adapter: ChatAdapter;
let callbackUrl = '';
let handled = 0;
const GROUP = 'wrkSFfCgAAclass11';
const ROBOT_KEY = '5f1c2a90-robot-class11';
const textTo = (touser: string) => api.sent.filter((s) => s.body.touser === touser && s.body.msgtype === 'text').map((s) => s.body.text!.content);

const waitHandled = (n: number) => waitFor(() => handled >= n, { what: () => `${n} messages handled (${handled} so far)` });

/** A member's message, encrypted and signed by the fake, handled by the core and its answers delivered. */
async function says(from: string, text: string, chatId?: string) {
  const n = handled;
  const r = await api.push(callbackUrl, api.textXml(from, text, chatId ? { chatId } : {}));
  expect(r).toEqual({ status: 200, body: '' });
  await waitHandled(n + 1);
}

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  ({ api, adapter, callbackUrl } = await wecomUnderTest(app.clock, `一(1)班家长群=${ROBOT_KEY}`));
  await wire(app, adapter, () => handled++);
});

afterAll(async () => {
  await adapter?.stop();
  await api?.stop();
  await app?.close();
});

describe('wecom callback', () => {
  it('answers the URL check with the decrypted echostr, and refuses one signed with another token', async () => {
    const ok = await api.verifyUrl(callbackUrl);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(ok.expected);
    const bad = await api.verifyUrl(callbackUrl, { token: 'someoneElse' });
    expect(bad.status).toBe(403);
    expect(bad.body).not.toContain(bad.expected);
  });

  it('a message with a bad signature, or encrypted for another company, is refused and nothing is handled', async () => {
    expect((await api.push(callbackUrl, api.textXml('zhanghua', '情况'), { token: 'forged' })).status).toBe(403);
    expect((await api.push(callbackUrl, api.textXml('zhanghua', '情况'), { receiveId: 'wwotherCompany0000' })).status).toBe(403);
    await new Promise((r) => setTimeout(r, 100));
    expect(handled).toBe(0);
    expect(api.sent).toHaveLength(0);
    expect(await app.deps.db.inboundMessage.count()).toBe(0);
  });

  it('an unbound member gets how to bind, never data', async () => {
    await says('zhanghua', '情况');
    expect(textTo('zhanghua').at(-1)).toContain('还没有绑定');
  });

  it('members bind their accounts with one-time codes (绑定 <code>)', async () => {
    for (const [user, staffId] of [
      ['zhanghua', 'T0012'],
      ['weilijuan', 'T0009'],
      ['cunzhang', 'T0005'],
    ] as const) {
      const person = await app.deps.db.person.findUniqueOrThrow({ where: { staffId } });
      const { code } = await createInviteCode(app.deps, person.id);
      await says(user, `绑定 ${code}`);
      expect(textTo(user).at(-1)).toContain('绑定成功');
    }
  });

  it('the class teacher binds an app group chat with 绑定班级; the answer goes to the group', async () => {
    await says('zhanghua', '绑定班级', GROUP);
    expect(api.sent.at(-1)).toMatchObject({ api: 'appchat', body: { chatid: GROUP, msgtype: 'text' } });
    expect(api.sent.at(-1)!.body.text!.content).toContain('一(1)班');
    await says('zhanghua', '应到30 实到30', GROUP);
    expect(api.sent.at(-1)!.body.text!.content).toContain('已记录');
  });

  it('two unexcused school days: principal and village cadre get the alert by DM with a card button; the group sees no name', async () => {
    await says('zhanghua', '缺勤 余小龙 旷课', GROUP);
    app.clock.set('2026-11-23T08:30:00+08:00');
    const before = api.sent.length;
    await says('zhanghua', '缺勤 余小龙 旷课', GROUP);
    const out = api.sent.slice(before);
    for (const user of ['weilijuan', 'cunzhang']) {
      expect(
        out.some((s) => s.body.touser === user && s.body.text?.content.includes('两天未到校预警')),
        user,
      ).toBe(true);
      const card = out.find((s) => s.body.touser === user && s.body.msgtype === 'template_card')!.body.template_card!;
      expect(card.card_type).toBe('button_interaction');
      expect(card.button_list[0]!.key).toMatch(/^ack:\d+$/);
    }
    expect(out.filter((s) => s.api === 'appchat').every((s) => !s.body.text!.content.includes('余小龙'))).toBe(true);
  });

  it("the principal presses the card's button: the alert is acknowledged and the button can't be pressed again", async () => {
    const alert = await app.deps.db.alert.findFirstOrThrow({ where: { step: 'joint_home_visit' } });
    const card = api.sent.find((s) => s.body.touser === 'weilijuan' && s.body.template_card?.button_list[0]!.key === `ack:${alert.id}`)!.body.template_card!;
    const n = handled;
    expect((await api.push(callbackUrl, api.cardPressXml('weilijuan', card.task_id, `ack:${alert.id}`))).status).toBe(200);
    await waitHandled(n + 1);
    expect(textTo('weilijuan').at(-1)).toContain(`已确认收到预警 #${alert.id}`);
    await waitFor(() => api.cardUpdates.length > 0, { what: 'the card update after the press' });
    expect(api.cardUpdates).toEqual([{ userids: ['weilijuan'], response_code: expect.stringMatching(/^rc\d+$/), replace_name: '已提交' }]);
    const recipients = await app.deps.db.alertRecipient.findMany({ where: { alertId: alert.id } });
    expect(recipients.some((r) => r.ackAt !== null)).toBe(true);
  });

  it('a retried callback (same MsgId) is handled once', async () => {
    const xml = api.textXml('zhanghua', '应到30 实到29 旷课1', { chatId: GROUP, msgId: '7000000000000099999' });
    let n = handled;
    await api.push(callbackUrl, xml);
    await waitHandled(n + 1);
    const sent = api.sent.length;
    const counts = await app.deps.db.weeklyCount.count();
    n = handled;
    await api.push(callbackUrl, xml);
    await waitHandled(n + 1);
    expect(api.sent.length).toBe(sent);
    expect(await app.deps.db.weeklyCount.count()).toBe(counts);
  });

  it("a class group with a group robot: the teacher @-mentions it to bind the group; answers go through the robot's webhook", async () => {
    const robotSays = async (text: string) => {
      const n = handled;
      expect((await api.push(callbackUrl, api.robotTextXml(ROBOT_KEY, 'zhanghua', text), { receiveId: '' })).status).toBe(200);
      await waitHandled(n + 1);
      return api.sent.at(-1)!;
    };
    expect(await robotSays('@班级助手 绑定班级')).toMatchObject({ api: 'robot', robotKey: ROBOT_KEY });
    expect(api.sent.at(-1)!.body.text!.content).toContain('一(1)班');
    // 余小龙 is marked 旷课 today (above): a count of all present would be asked about, this one agrees with the marks
    expect((await robotSays('@班级助手 应到30 实到29 旷课1')).body.text!.content).toContain('已记录');
    const n = handled;
    await api.push(callbackUrl, api.robotTextXml('unknown-robot-key', 'zhanghua', '@助手 情况'), { receiveId: '' });
    await new Promise((r) => setTimeout(r, 100));
    expect(handled).toBe(n);
  });
});
