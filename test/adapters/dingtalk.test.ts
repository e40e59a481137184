/**
 * DingTalk in HTTP callback mode against a fake DingTalk on 127.0.0.1, wired to the real core on SQLite: signed
 * callbacks in, robot send APIs out, the two-day scenario end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { FakeDingtalk, postCallback, robotPayload, type RobotText } from '../fakes/dingtalk-api.js';
import { createDingtalkAdapter, dingtalkConfigSchema } from '../../adapters/dingtalk/index.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { wire } from '../helpers/wire.js';
import { freePort } from '../helpers/net.js';
import { createInviteCode } from '../../src/core/commands/binding.js';
import { tempAttachment } from '../helpers/attachment.js';
import { sendToPerson } from '../../src/services/messenger.js';

const ID = 'dingtestclient01';
const SECRET = 'test-secret-0123456789abcdef';
let app: TestApp;
let fake: FakeDingtalk;
let adapter: ChatAdapter;
let deliver: () => Promise<unknown>;
let callbackUrl: string;
let handled = 0;
let nextMsg = 1;
const GROUP = { conversationId: 'cidGroup1==', conversationTitle: '一(1)班家长群' };

/** A staff member writes to the robot: in a single chat, or @-ing it in the class group. */
function says(staffId: string, text: string, where: 'dm' | 'group' = 'dm', opts: { sign?: string; at?: number } = {}) {
  const m: RobotText = {
    msgId: `msg${nextMsg++}`,
    text,
    senderStaffId: staffId,
    conversationType: where === 'dm' ? '1' : '2',
    ...(where === 'group' ? GROUP : {}),
  };
  return postCallback(callbackUrl, robotPayload(m, ID), SECRET, opts.at ?? app.clock.now().getTime(), opts.sign);
}
const lastTo = (to: string) => fake.sent.filter((s) => s.to === to).at(-1);
const textOf = (s: { param: Record<string, string> } | undefined) => s?.param.content ?? s?.param.text ?? '';

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  fake = await new FakeDingtalk(ID, SECRET).start();
  const port = await freePort();
  const config = dingtalkConfigSchema.parse({
    DINGTALK_CLIENT_ID: ID,
    DINGTALK_CLIENT_SECRET: SECRET,
    DINGTALK_MODE: 'http',
    DINGTALK_CALLBACK_PORT: String(port),
    DINGTALK_API_BASE: fake.apiBase,
    DINGTALK_OAPI_BASE: fake.apiBase,
  });
  adapter = createDingtalkAdapter({ ...config, DINGTALK_CLIENT_ID: ID, DINGTALK_CLIENT_SECRET: SECRET }, () => undefined, {
    clock: app.clock,
    callbackHost: '127.0.0.1',
  });
  callbackUrl = `http://127.0.0.1:${port}/dingtalk/callback`;
  deliver = (await wire(app, adapter, () => handled++)).deliver;
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.stop();
  await app?.close();
});

describe('dingtalk (HTTP callback)', () => {
  it('a callback with a wrong sign, or a timestamp over an hour off, is refused and reaches nothing', async () => {
    const inbound = await app.deps.db.inboundMessage.count();
    expect(await says('T0012user', '情况', 'dm', { sign: 'AAAA' + 'x'.repeat(40) })).toBe(401);
    expect(await says('T0012user', '情况', 'dm', { at: app.clock.now().getTime() - 61 * 60_000 })).toBe(401);
    expect(handled).toBe(0);
    expect(fake.sent).toHaveLength(0);
    expect(await app.deps.db.inboundMessage.count()).toBe(inbound);
  });

  it('a signed callback reaches the core: an unbound account gets how to bind, by the single-chat send API', async () => {
    expect(await says('teacher01', '情况')).toBe(200);
    expect(handled).toBe(1);
    expect(fake.sent.at(-1)).toMatchObject({ kind: 'dm', to: 'teacher01', robotCode: ID, msgKey: 'sampleText' });
    expect(textOf(fake.sent.at(-1))).toContain('还没有绑定');
  });

  it('people bind their DingTalk accounts with one-time codes (绑定 <code>) in a single chat', async () => {
    for (const [staff, staffId] of [
      ['teacher01', 'T0012'],
      ['principal01', 'T0009'],
      ['cadre01', 'T0005'],
    ] as const) {
      const person = await app.deps.db.person.findUniqueOrThrow({ where: { staffId } });
      const { code } = await createInviteCode(app.deps, person.id);
      expect(await says(staff, `绑定 ${code}`)).toBe(200);
      expect(textOf(lastTo(staff))).toContain('绑定成功');
    }
  });

  it('the class teacher binds the group with 绑定班级; the answer goes to the group', async () => {
    await says('teacher01', '绑定班级', 'group');
    expect(lastTo(GROUP.conversationId)).toMatchObject({ kind: 'group', msgKey: 'sampleText' });
    expect(textOf(lastTo(GROUP.conversationId))).toContain('一(1)班');
  });

  it('two unexcused days reach principal and cadre by DM as an action card whose button replies 收到 <id>; the group sees no name', async () => {
    await says('teacher01', '缺勤 余小龙 旷课', 'group');
    app.clock.set('2026-11-23T08:30:00+08:00');
    const before = fake.sent.length;
    await says('teacher01', '缺勤 余小龙 旷课', 'group');
    const out = fake.sent.slice(before);
    const alertTo = (to: string) => out.find((m) => m.to === to && m.kind === 'dm' && textOf(m).includes('两天未到校预警'));
    for (const to of ['principal01', 'cadre01']) {
      expect(alertTo(to)?.msgKey).toBe('sampleActionCard');
      expect(alertTo(to)!.param.singleURL).toMatch(/^dtmd:\/\/dingtalkclient\/sendMessage\?content=%E6%94%B6%E5%88%B0%20\d+$/);
      expect(alertTo(to)!.param.text).toMatch(/请回复「收到 \d+」/);
    }
    expect(out.filter((m) => m.kind === 'group').every((m) => !textOf(m).includes('余小龙'))).toBe(true);
  });

  it('the principal presses the button: the client sends its text, and the alert is acknowledged', async () => {
    const alert = await app.deps.db.alert.findFirstOrThrow({ where: { step: 'joint_home_visit' } });
    const card = fake.sent.find((m) => m.to === 'principal01' && m.msgKey === 'sampleActionCard')!;
    await says('principal01', decodeURIComponent(card.param.singleURL!.split('content=')[1]!));
    expect(textOf(lastTo('principal01'))).toContain(`已确认收到预警 #${alert.id}`);
    const cadreCard = fake.sent.find((m) => m.to === 'cadre01' && m.msgKey === 'sampleActionCard')!;
    await says('cadre01', decodeURIComponent(cadreCard.param.singleURL!.split('content=')[1]!));
    expect(textOf(lastTo('cadre01'))).toContain(`已确认收到预警 #${alert.id}`);
  });

  it('a redelivered callback (same msgId) is handled once', async () => {
    const m: RobotText = { msgId: 'msg-dup', text: '应到30 实到29 旷课1', senderStaffId: 'teacher01', conversationType: '2', ...GROUP };
    await postCallback(callbackUrl, robotPayload(m, ID), SECRET, app.clock.now().getTime());
    const sent = fake.sent.length;
    const counts = await app.deps.db.weeklyCount.count();
    await postCallback(callbackUrl, robotPayload(m, ID), SECRET, app.clock.now().getTime());
    expect(fake.sent.length).toBe(sent);
    expect(await app.deps.db.weeklyCount.count()).toBe(counts);
  });

  it("the group robot's 10-minute block keeps the message 600 s, without counting an attempt", async () => {
    fake.throttleNext(1, 'group');
    await says('teacher01', '应到30 实到30', 'group');
    const failed = await app.deps.db.outbox.findFirstOrThrow({ where: { status: 'failed' } });
    expect(failed.lastError).toContain('retry after 600');
    expect(failed.attempts).toBe(0);
    const before = fake.sent.length;
    app.clock.advance(599_000);
    await deliver();
    expect(fake.sent.length).toBe(before);
    app.clock.advance(1000);
    await deliver();
    expect(lastTo(GROUP.conversationId)).toBeDefined();
    expect((await app.deps.db.outbox.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe('sent');
  });

  it('a file is uploaded to the media store and sent as the robot file or image message after the text', async () => {
    const principal = await app.deps.db.person.findUniqueOrThrow({ where: { staffId: 'T0009' } });
    await sendToPerson(app.deps.db, app.deps.clock.now(), principal.id, '本月趋势图', { attachment: tempAttachment('png') });
    await sendToPerson(app.deps.db, app.deps.clock.now(), principal.id, '本月月报', { attachment: tempAttachment('xlsx') });
    const before = fake.sent.length;
    await deliver();
    expect(fake.uploads).toEqual([
      { type: 'image', filename: '趋势.png', bytes: 128 },
      { type: 'file', filename: '2026-11月报.xlsx', bytes: 128 },
    ]);
    expect(fake.sent.slice(before).map((m) => [m.to, m.msgKey])).toEqual([
      ['principal01', 'sampleText'],
      ['principal01', 'sampleImageMsg'],
      ['principal01', 'sampleText'],
      ['principal01', 'sampleFile'],
    ]);
    expect(fake.sent.at(-1)!.param).toEqual({ mediaId: '@media-2', fileName: '2026-11月报.xlsx', fileType: 'xlsx' });
  });
});
