/** The real Telegraf client against a fake Bot API on 127.0.0.1, wired to the real core on SQLite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { createTelegramAdapter } from '../../adapters/telegram/telegram-adapter.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { wire } from '../helpers/wire.js';
import { createInviteCode } from '../../src/core/commands/binding.js';
import { tempAttachment } from '../helpers/attachment.js';
import { sendToPerson } from '../../src/services/messenger.js';

const TOKEN = '123456:TEST';
let app: TestApp;
let api: FakeTelegramApi;
let adapter: ChatAdapter;
let deliver: () => Promise<unknown>;
let handled = 0;
const TEACHER = { id: 1001 };
const PRINCIPAL = { id: 1002 };
const CADRE = { id: 1003 };
const GROUP = { id: -100200, type: 'supergroup' as const, title: '一(1)班家长群' };
const dm = (u: { id: number }) => ({ id: u.id, type: 'private' as const });

const waitHandled = (n: number) => waitFor(() => handled >= n, { what: () => `${n} messages handled (${handled} so far)` });

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  api = await new FakeTelegramApi(TOKEN).start();
  adapter = createTelegramAdapter({ token: TOKEN, apiRoot: api.apiRoot });
  deliver = (await wire(app, adapter, () => handled++)).deliver;
});

afterAll(async () => {
  await adapter?.stop();
  await api?.stop();
  await app?.close();
});

describe('telegram', () => {
  it('an unbound account gets how to bind, never data', async () => {
    api.userSays(TEACHER, dm(TEACHER), '情况');
    await waitHandled(1);
    expect(api.sent.at(-1)).toMatchObject({ chat_id: TEACHER.id });
    expect(api.sent.at(-1)!.text).toContain('还没有绑定');
  });

  it('people bind their accounts with one-time codes (/start <code>)', async () => {
    let n = handled;
    for (const [user, staffId] of [
      [TEACHER, 'T0012'],
      [PRINCIPAL, 'T0009'],
      [CADRE, 'T0005'],
    ] as const) {
      const person = await app.deps.db.person.findUniqueOrThrow({ where: { staffId } });
      const { code } = await createInviteCode(app.deps, person.id);
      api.userSays(user, dm(user), `/start ${code}`);
      await waitHandled(++n);
      expect(api.sent.at(-1)!.text).toContain('绑定成功');
    }
  });

  it('the class teacher binds the group with a command (privacy mode on)', async () => {
    api.userSays(TEACHER, GROUP, '/bind_class@kcbx_bot');
    await waitHandled(handled + 1);
    expect(api.sent.at(-1)).toMatchObject({ chat_id: GROUP.id });
    expect(api.sent.at(-1)!.text).toContain('一(1)班');
  });

  it("a teacher's weekly count in the group is recorded and answered there", async () => {
    api.userSays(TEACHER, GROUP, '应到30 实到30');
    await waitHandled(handled + 1);
    expect(api.sent.at(-1)).toMatchObject({ chat_id: GROUP.id });
    expect(api.sent.at(-1)!.text).toContain('已记录');
  });

  it('two unexcused days reach principal and cadre by DM with an acknowledge button; the group sees no name', async () => {
    api.userSays(TEACHER, GROUP, '/absent@kcbx_bot 余小龙 旷课');
    await waitHandled(handled + 1);
    app.clock.set('2026-11-23T08:30:00+08:00');
    const before = api.sent.length;
    api.userSays(TEACHER, GROUP, '/absent 余小龙 旷课');
    await waitHandled(handled + 1);
    const out = api.sent.slice(before);
    const alertTo = (u: { id: number }) => out.find((m) => m.chat_id === u.id && m.text.includes('两天未到校预警'));
    expect(alertTo(PRINCIPAL)).toBeDefined();
    expect(alertTo(CADRE)).toBeDefined();
    expect(alertTo(PRINCIPAL)!.reply_markup!.inline_keyboard![0]![0]!.callback_data).toMatch(/^ack:\d+$/);
    expect(out.filter((m) => m.chat_id === GROUP.id).every((m) => !m.text.includes('余小龙'))).toBe(true);
  });

  it('the principal presses 已收到: the callback is answered and the alert acknowledged', async () => {
    const alert = await app.deps.db.alert.findFirstOrThrow({ where: { step: 'joint_home_visit' } });
    api.userPresses(PRINCIPAL, dm(PRINCIPAL), `ack:${alert.id}`);
    await waitHandled(handled + 1);
    expect(api.answeredCallbacks).toHaveLength(1);
    expect(api.sent.at(-1)).toMatchObject({ chat_id: PRINCIPAL.id });
    expect(api.sent.at(-1)!.text).toContain(`已确认收到预警 #${alert.id}`);
  });

  it('a redelivered update is handled once', async () => {
    const update = api.userSays(TEACHER, GROUP, '应到30 实到29 旷课1');
    await waitHandled(handled + 1);
    const sent = api.sent.length;
    const counts = await app.deps.db.weeklyCount.count();
    api.redeliver(update);
    await waitHandled(handled + 1);
    expect(api.sent.length).toBe(sent);
    expect(await app.deps.db.weeklyCount.count()).toBe(counts);
  });

  it('a 429 from Telegram keeps the message until its retry_after has passed, without counting an attempt', async () => {
    api.rateLimitNext(1);
    api.userSays(PRINCIPAL, dm(PRINCIPAL), '我是谁');
    await waitHandled(handled + 1);
    const failed = await app.deps.db.outbox.findFirstOrThrow({ where: { status: 'failed' } });
    expect(failed.lastError).toContain('retry after 1');
    expect(failed.attempts).toBe(0);
    const before = api.sent.length;
    await deliver();
    expect(api.sent.length).toBe(before); // not before retry_after
    app.clock.advance(1000);
    await deliver();
    expect(api.sent.at(-1)!.text).toContain('魏丽娟');
    expect((await app.deps.db.outbox.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe('sent');
  });

  it('a message with a file: the text, then the chart as a photo and the report as a document', async () => {
    const principal = await app.deps.db.person.findUniqueOrThrow({ where: { staffId: 'T0009' } });
    await sendToPerson(app.deps.db, app.deps.clock.now(), principal.id, '本月趋势图', { attachment: tempAttachment('png') });
    await sendToPerson(app.deps.db, app.deps.clock.now(), principal.id, '本月月报', { attachment: tempAttachment('xlsx') });
    await deliver();
    expect(api.files).toEqual([
      { method: 'sendPhoto', chat_id: PRINCIPAL.id, filename: '趋势.png', bytes: 128 },
      { method: 'sendDocument', chat_id: PRINCIPAL.id, filename: '2026-11月报.xlsx', bytes: 128 },
    ]);
  });
});

describe('delivery', () => {
  it('messages for a platform that is not running wait without starving the running one', async () => {
    const { enqueue } = await import('../../src/store/outbox.repository.js');
    for (let i = 0; i < 600; i++) await enqueue(app.deps.db, app.deps.clock.now(), { chatRef: 'slack:dm:U1', text: `waiting ${i}` });
    await enqueue(app.deps.db, app.deps.clock.now(), { chatRef: `telegram:dm:${PRINCIPAL.id}`, text: 'after the backlog' });
    await deliver();
    expect(api.sent.at(-1)!.text).toBe('after the backlog');
    expect(await app.deps.db.outbox.count({ where: { chatRef: 'slack:dm:U1', status: 'pending' } })).toBe(600);
  });
});
