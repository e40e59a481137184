/** Binding chat accounts through the real router: one current account per platform, throttled codes, no oracle. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { handleIncoming } from '../../src/core/router.js';
import { createInviteCode } from '../../src/core/commands/binding.js';
import { createDeps } from '../../src/app.js';
import { sendToPersonNow } from '../../src/services/messenger.js';
import { dmRefsOf } from '../../src/store/duty.repository.js';

let app: TestApp;
let seq = 0;

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
});
afterAll(async () => app?.close());

/** A direct message from a platform account; returns the outbox rows it produced. */
async function dm(account: string, text: string, platform = 'telegram', deps = app.deps) {
  const last = (await app.deps.db.outbox.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0;
  await handleIncoming(deps, { platform, accountId: account, chat: { platform, kind: 'dm', id: account }, text, platformMessageId: `m${++seq}` });
  return app.deps.db.outbox.findMany({ where: { id: { gt: last } }, orderBy: { id: 'asc' } });
}
const personId = async (staffId: string) => (await app.deps.db.person.findUniqueOrThrow({ where: { staffId } })).id;
const code = async (staffId: string) => (await createInviteCode(app.deps, await personId(staffId))).code;
const replyTo = async (account: string, text: string, platform = 'telegram') => {
  const out = await dm(account, text, platform);
  const own = out.filter((o) => o.chatRef === `${platform}:dm:${account}`);
  expect(own).toHaveLength(1);
  return own[0]!.text;
};

describe('a new account replaces the old one on that platform', () => {
  it('binds, then a second account of the same person revokes the first, which is told', async () => {
    expect(await replyTo('500', `/start ${await code('T0012')}`)).toContain('绑定成功');
    expect(await replyTo('500', '我是谁')).toContain('T0012');
    // Inside a transaction only its tx may be used: the id is read before it.
    const teacher = await personId('T0012');
    const waiting = await app.deps.db.$transaction(async (tx) => sendToPersonNow(tx, app.clock.now(), teacher, '尚未送达的私信'));

    const out = await dm('501', `绑定 ${await code('T0012')}`);
    expect(out.find((o) => o.chatRef === 'telegram:dm:501')!.text).toContain('原来绑定的账号已停用');
    const notice = out.find((o) => o.chatRef === 'telegram:dm:500');
    expect(notice?.text).toContain('不再代表');
    expect((await app.deps.db.outbox.findUniqueOrThrow({ where: { id: waiting } })).chatRef).toBe('telegram:dm:501');

    expect(await replyTo('500', '我是谁')).toContain('还没有绑定');
    expect(await replyTo('501', '我是谁')).toContain('T0012');
    const rows = await app.deps.db.chatAccount.findMany({ where: { personId: await personId('T0012') }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.accountId, r.revokedAt !== null])).toEqual([
      ['500', true],
      ['501', false],
    ]);
  });

  it('direct messages to the person go to the current account only', async () => {
    const teacher = await personId('T0012');
    const outId = await app.deps.db.$transaction(async (tx) => sendToPersonNow(tx, app.clock.now(), teacher, '测试私信'));
    expect((await app.deps.db.outbox.findUniqueOrThrow({ where: { id: outId } })).chatRef).toBe('telegram:dm:501');
    // the duties' batch lookup (alerts, reminders, digests) agrees: never the revoked account
    expect((await dmRefsOf(app.deps.db, [teacher])).get(teacher)).toBe('telegram:dm:501');
  });

  it('an account on another platform is kept', async () => {
    expect(await replyTo('U77', `bind ${await code('T0012')}`, 'slack')).toContain('绑定成功');
    expect(await replyTo('501', '我是谁')).toContain('T0012');
    expect(await replyTo('U77', '我是谁', 'slack')).toContain('T0012');
  });

  it('a revoked account may bind again, for someone else, without touching the first person', async () => {
    expect(await replyTo('500', `绑定 ${await code('T0009')}`)).toContain('绑定成功');
    expect(await replyTo('500', '我是谁')).toContain('T0009');
    expect(await replyTo('501', '我是谁')).toContain('T0012');
  });
});

describe('invite codes', () => {
  it('a newer code for a person replaces the unused older one', async () => {
    const first = await code('T0013');
    const second = await code('T0013');
    expect(await replyTo('700', `绑定 ${first}`)).toContain('无法使用');
    expect(await replyTo('700', `绑定 ${second.toLowerCase()}`)).toContain('绑定成功');
  });

  it('one answer for an unknown, a used, an expired and a replaced code', async () => {
    const used = await code('T0014');
    await dm('710', `绑定 ${used}`);
    const replaced = await code('T0015');
    await code('T0015');
    const expired = await code('T0016');
    app.clock.advance(73 * 3600_000);
    const answers = [];
    for (const [i, c] of ['ZZZZZZZZ', used, expired, replaced].entries()) {
      answers.push((await replyTo(`72${i}`, `绑定 ${c}`)).replace(c, '<code>'));
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toContain('正确示例：绑定 ');
  });

  it('after 5 failures within an hour an account must wait, even with a good code, and a restart does not reset it', async () => {
    for (let i = 0; i < 5; i++) expect(await replyTo('800', `绑定 WRONG${i}XX`)).toContain('无法使用');
    const good = await code('T0017');
    const refused = await replyTo('800', `绑定 ${good}`);
    expect(refused).toContain('以后再发');
    expect(refused).toMatch(/\d{2}:\d{2}/);
    const restarted = await createDeps(app.deps.config, app.clock);
    try {
      await dm('800', `绑定 ${good}`, 'telegram', restarted);
      expect(await app.deps.db.chatAccount.count({ where: { accountId: '800' } })).toBe(0);
    } finally {
      await restarted.db.$disconnect();
    }
    app.clock.advance(3600_000 + 1000);
    expect(await replyTo('800', `绑定 ${good}`)).toContain('绑定成功');
  });

  it('the wait is told in local time, and failures of one account do not hold back another', async () => {
    app.clock.set('2026-12-01T09:00:00+08:00');
    for (let i = 0; i < 5; i++) await dm('810', `绑定 BAD${i}CODE`);
    expect(await replyTo('810', '绑定 ANYCODE1')).toContain('12月1日 10:00');
    expect(await replyTo('811', `绑定 ${await code('T0018')}`)).toContain('绑定成功');
  });
});

describe('what counts as a bind attempt', () => {
  it('only start, bind or 绑定 as a whole word; anything else starting with them is not', async () => {
    for (const text of ['startle', 'start123', '绑定班级 三(2)班', 'binding', '/startX']) {
      expect(await replyTo('900', text)).toContain('还没有绑定');
    }
    expect(await app.deps.db.inviteFailure.count({ where: { accountId: '900' } })).toBe(0);
    expect(await replyTo('900', '/start')).toContain('加上管理员给您的邀请码');
    const long = await replyTo('902', `绑定 ${'<b>X'.repeat(300)}`);
    expect(long).toContain('无法使用');
    expect(long).not.toContain('<B>X<B>X'); // a long or odd code is not echoed back
    expect(await replyTo('901', `start ${await code('T0019')}`)).toContain('绑定成功');
  });
});
