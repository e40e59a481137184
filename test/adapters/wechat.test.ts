/** The real Wechaty with wechaty-puppet-mock: contacts speak in a room and by DM; the bot's answers are observed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { makeApp, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';
import { createWechatAdapter } from '../../adapters/wechat/wechat-adapter.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { wire } from '../helpers/wire.js';
import { createInviteCode } from '../../src/core/commands/binding.js';
import { tempAttachment } from '../helpers/attachment.js';
import { sendToPerson } from '../../src/services/messenger.js';

let app: TestApp;
let adapter: ChatAdapter;
let deliver: () => Promise<unknown>;
let mocker: mock.Mocker;
let botUser: mock.ContactMock;
const heard = new Map<string, string[]>(); // conversation id → texts the bot sent there

function listen(who: mock.ContactMock | mock.RoomMock) {
  heard.set(who.id, []);
  who.on('message', (m: mock.MessageMock) => {
    if (m.payload.talkerId === botUser.id && m.payload.text) heard.get(who.id)!.push(m.payload.text);
  });
}

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  adapter = createWechatAdapter({ puppet, name: `test-${process.pid}`, printQr: () => undefined });
  deliver = (await wire(app, adapter)).deliver;
  botUser = mocker.createContact({ name: '控辍保学助手' });
  mocker.login(botUser);
});

afterAll(async () => {
  await adapter?.stop();
  await app?.close();
});

describe('wechat', () => {
  let teacher: mock.ContactMock;
  let principal: mock.ContactMock;
  let cadre: mock.ContactMock;
  let room: mock.RoomMock;

  it('contacts bind by DM with their one-time code', async () => {
    teacher = mocker.createContact({ name: '蒋老师' });
    principal = mocker.createContact({ name: '魏校长' });
    cadre = mocker.createContact({ name: '徐村长' });
    for (const [c, staffId] of [
      [teacher, 'T0012'],
      [principal, 'T0009'],
      [cadre, 'T0005'],
    ] as const) {
      listen(c);
      const person = await app.deps.db.person.findUniqueOrThrow({ where: { staffId } });
      const { code } = await createInviteCode(app.deps, person.id);
      c.say(`绑定 ${code}`).to(botUser);
      await waitFor(() => heard.get(c.id)!.some((t) => t.includes('绑定成功')), { what: `绑定成功 in the DM with ${c.id}` });
    }
  });

  it("the teacher binds the room; a parent's chatter gets nothing", async () => {
    const parent = mocker.createContact({ name: '家长' });
    room = mocker.createRoom({ topic: '一(1)班家长群', memberIdList: [botUser.id, teacher.id, parent.id] });
    expect(room.id).toContain('@');
    listen(room);
    teacher.say('绑定班级').to(room);
    await waitFor(() => heard.get(room.id)!.some((t) => t.includes('一(1)班')), { what: 'the room bound to 一(1)班' });
    parent.say('老师好，孩子今天有点发烧').to(room);
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.get(room.id)!).toHaveLength(1);
  });

  it('two unexcused days: alerts reach principal and cadre by DM with the text to acknowledge; the room sees no name', async () => {
    teacher.say('缺勤 余小龙 旷课').to(room);
    await waitFor(() => heard.get(room.id)!.length >= 2, { what: 'the answer to the absence report in the room' });
    app.clock.set('2026-11-23T08:30:00+08:00');
    teacher.say('缺勤 余小龙 旷课').to(room);
    await waitFor(() => heard.get(cadre.id)!.some((t) => t.includes('两天未到校预警')), { what: "the two-day alert in the cadre's DM" });
    const alert = heard.get(principal.id)!.find((t) => t.includes('两天未到校预警'))!;
    expect(alert).toMatch(/请回复「收到 \d+」/);
    expect(heard.get(room.id)!.every((t) => !t.includes('余小龙'))).toBe(true);
  });

  it('the principal acknowledges by replying the text equivalent', async () => {
    const id = /收到 (\d+)/.exec(heard.get(principal.id)!.find((t) => t.includes('两天未到校预警'))!)![1];
    principal.say(`收到 ${id}`).to(botUser);
    await waitFor(() => heard.get(principal.id)!.some((t) => t.includes(`已确认收到预警 #${id}`)), { what: `the acknowledgement of alert #${id}` });
  });

  it('a message with a chart: the text, then the image', async () => {
    const types: number[] = [];
    principal.on('message', (m: mock.MessageMock) => {
      if (m.payload.talkerId === botUser.id) types.push(m.payload.type);
    });
    const p = await app.deps.db.person.findUniqueOrThrow({ where: { staffId: 'T0009' } });
    await sendToPerson(app.deps.db, app.deps.clock.now(), p.id, '本月趋势图', { attachment: tempAttachment('png') });
    await deliver();
    await waitFor(() => types.length >= 2, { what: () => `a text and a file (${types.length} messages so far)` });
    expect(types).toEqual([7, 6]); // Text, then Image (wechaty-puppet MessageType)
  });
});
