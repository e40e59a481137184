/**
 * A 429 storm from the (fake) Telegram Bot API, through the real Telegraf client: delivery waits each retry_after
 * on the clock, counts no attempt for it, and in the end every message arrives exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { createTelegramAdapter } from '../../adapters/telegram/telegram-adapter.js';
import { deliveryOptionsFrom, drainOutbox } from '../../src/delivery/dispatcher.js';
import { enqueue } from '../../src/store/outbox.repository.js';

const TOKEN = '4290:STORM';
let app: TestApp;
let api: FakeTelegramApi;
const calls: { second: number; sendMessage: number; rejected: number }[] = [];

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T10:00:00+08:00' });
  api = await new FakeTelegramApi(TOKEN).start();
  const adapter = createTelegramAdapter({ token: TOKEN, apiRoot: api.apiRoot });
  for (let i = 0; i < 50; i++)
    await enqueue(app.deps.db, app.clock.now(), { chatRef: `telegram:dm:${1000 + (i % 5)}`, text: `消息 ${i}`, kind: 'alert', urgent: true });
  // The first 12 sends are refused with retry_after 3 s: a storm the dispatcher must ride out.
  api.rateLimitNext(12, 3);
  const options = deliveryOptionsFrom(app.deps.config);
  for (let second = 0; second < 120 && api.sent.length < 50; second++) {
    const before = api.calls.filter((c) => c === 'sendMessage').length;
    const rejectedBefore = api.rejected;
    await drainOutbox(app.deps.db, app.clock, new Map([['telegram', adapter]]), options);
    calls.push({ second, sendMessage: api.calls.filter((c) => c === 'sendMessage').length - before, rejected: api.rejected - rejectedBefore });
    app.clock.advance(1000);
  }
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await app?.close();
});

describe('a 429 storm', () => {
  it('delays but loses nothing: all 50 messages arrive, each exactly once', async () => {
    expect(api.rejected).toBe(12);
    expect(api.sent.map((m) => m.text).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `消息 ${i}`).sort());
    const rows = await app.deps.db.outbox.findMany();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // a 429 is not a failed attempt: each message counts only its one successful try
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
  });

  it('after each 429 nothing is sent to Telegram until retry_after has passed on the clock', () => {
    // up to 5 calls are in flight at once (5 chats), so a round may collect several 429s; then the platform pauses
    const stormRounds = calls.filter((c) => c.rejected > 0).map((c) => c.second);
    expect(stormRounds.length).toBeGreaterThanOrEqual(2);
    for (const s of stormRounds) expect(calls.filter((c) => c.second > s && c.second < s + 3).every((c) => c.sendMessage === 0)).toBe(true);
  });

  it('then it keeps to the limits: at most one message per chat per second', () => {
    expect(Math.max(...calls.map((c) => c.sendMessage))).toBeLessThanOrEqual(5);
  });
});
