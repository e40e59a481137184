/**
 * A 5xx outage of the (fake) Telegram Bot API longer than the retry budget, through the real Telegraf client: the
 * county admin gets one digest per period, not one report per message, on another platform they are bound on; and
 * `dead-letters` lists every message.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { createTelegramAdapter } from '../../adapters/telegram/telegram-adapter.js';
import { deliveryOptionsFrom, drainOutbox } from '../../src/delivery/dispatcher.js';
import { listDeadLetters } from '../../src/delivery/dead-letter-list.js';
import { recordingAdapter } from './recording-adapter.js';

const TOKEN = '5020:OUTAGE';
let app: TestApp | undefined;
let api: FakeTelegramApi | undefined;
afterEach(async () => {
  await api?.stop();
  await app?.close();
  app = api = undefined;
});

async function outage(bindAdmin: (personId: number, i: number) => { platform: string; accountId: string }[], messages: number) {
  app = await makeApp({ now: '2026-11-20T10:00:00+08:00', demo: false, env: { OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_RETRY_BASE_SECONDS: '10' } });
  api = await new FakeTelegramApi(TOKEN).start();
  const db = app.deps.db;
  // two county admins (no need for a whole demo county)
  await db.person.createMany({ data: ['C0001', 'C0002'].map((staffId, i) => ({ staffId, name: ['王督导', '李督导'][i]!, role: 'county' })) });
  const admins = await db.person.findMany({ where: { role: 'county', active: true }, orderBy: { id: 'asc' } });
  for (const [i, a] of admins.entries()) {
    for (const acc of bindAdmin(a.id, i)) await db.chatAccount.create({ data: { ...acc, personId: a.id, boundAt: app.clock.now() } });
  }
  const now = app.clock.now();
  await db.outbox.createMany({
    data: Array.from({ length: messages }, (_, i) => ({
      createdAt: now,
      chatRef: `telegram:dm:${7000 + i}`,
      text: `⚠️ 预警 ${i}`,
      kind: 'alert',
      urgent: true,
    })),
  });
  api.failNext(Infinity, 502);
  const telegram = createTelegramAdapter({ token: TOKEN, apiRoot: api.apiRoot });
  const slack = recordingAdapter('slack');
  const adapters = new Map([
    ['telegram', telegram],
    ['slack', slack],
  ]);
  const options = deliveryOptionsFrom(app.deps.config);
  const digestsAt: number[] = [];
  const start = app.clock.now().getTime();
  const drainAt = async (s: number) => {
    app!.clock.set(new Date(start + s * 1000));
    const r = await drainOutbox(db, app!.clock, adapters, options);
    if (r.digest) digestsAt.push(s);
  };
  // the outage goes on: every try fails; a drain every 5 s while messages die, then one just after the next period
  for (let s = 0; s <= 90; s += 5) await drainAt(s);
  for (const s of [925, 930, 935]) await drainAt(s);
  return { db, admins, slack, digestsAt };
}

describe('a 5xx outage longer than the retry budget', () => {
  it('gives each county admin one digest per period, on Slack where they are bound too, never one per message', async () => {
    const { db, admins, slack, digestsAt } = await outage(
      (_, i) => [
        { platform: 'telegram', accountId: `${900 + i}` },
        { platform: 'slack', accountId: `UADMIN${i}` },
      ],
      39,
    );
    expect(admins).toHaveLength(2);
    expect(await db.outbox.count({ where: { status: 'dead', kind: 'alert' } })).toBe(39);
    const reports = await db.outbox.findMany({ where: { kind: 'delivery_report' }, orderBy: { id: 'asc' } });
    // 30 a second reach the platform: 30 die in one round, the other 9 a second or two later, in the next period's digest
    expect(digestsAt).toEqual([30, 30 + 15 * 60]);
    expect(reports).toHaveLength(2 * admins.length);
    expect(reports.every((r) => r.chatRef.startsWith('slack:dm:UADMIN'))).toBe(true);
    const counts = reports.slice(0, 2 * admins.length).map((r) => Number(/(\d+) 条消息多次尝试后仍未送达/.exec(r.text)?.[1]));
    expect(counts.reduce((x, y) => x + y, 0)).toBe(39 * admins.length);
    expect(reports[0]!.text).toContain('Telegram');
    expect(reports[0]!.text).toContain('502');
    expect(reports[0]!.text).toMatch(/另有 \d+ 条未列出/);
    // the digests went out on Slack while Telegram was down
    expect(slack.sent.map((m) => m.chat.id).sort()).toEqual(reports.map((r) => r.chatRef.slice('slack:dm:'.length)).sort());
  }, 120_000);

  it('falls back to the failing platform when the admin is bound nowhere else; dead-letters lists every message', async () => {
    const { db, admins } = await outage((_, i) => [{ platform: 'telegram', accountId: `${900 + i}` }], 3);
    const reports = await db.outbox.findMany({ where: { kind: 'delivery_report' } });
    expect(reports.map((r) => r.chatRef).sort()).toEqual(admins.map((_, i) => `telegram:dm:${900 + i}`).sort());
    // the digest itself cannot go either: it is dead, not reported again, and listed
    expect(reports.every((r) => r.status === 'dead')).toBe(true);
    const listing = await listDeadLetters(db, 'Asia/Shanghai');
    expect(listing).toContain(`未送达的消息共 ${3 + admins.length} 条`);
    for (let i = 0; i < 3; i++) expect(listing).toContain(`“⚠️ 预警 ${i}”`);
    expect(listing).toContain('这是一份投递失败汇总，本身未送达');
    expect(listing).toContain('11月20日 10:00 写入');
    expect(listing).toMatch(/已于 11月20日 10:00 汇总告知县管理员/);
    // the operator's command prints the same list
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'dead-letters', '--limit', '2'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: app!.deps.config.DATABASE_URL },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(`未送达的消息共 ${3 + admins.length} 条，以下是最近的 2 条`);
  }, 150_000);
});
