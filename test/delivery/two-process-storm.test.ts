/**
 * Slow tier. Two delivery processes on one SQLite file (real Telegraf, fake Bot API, real time, Telegram's default
 * limits) while one call hangs and the API answers a stretch of 429s. Every message arrives exactly once; what the
 * API received keeps to 30 calls a second and 1 a second per chat; after a 429 nothing arrives inside retry_after
 * (beyond calls already in flight when it was answered); and the hung chat holds up no other chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { FakeTelegramApi, type ReceivedCall } from '../fakes/telegram-api.js';
import { kill, spawnPump } from './children.js';
import { busiest } from './windows.js';
import { waitFor } from '../helpers/wait-for.js';

const TOKEN = '4291:STORM';
const CHATS = 40;
const PER_CHAT = 5;
const HUNG_CHAT = '5000';
/** Calls claimed before the 429 was answered may still arrive just after it: they were already in flight. */
const IN_FLIGHT_GRACE_MS = 1000;
const RETRY_AFTER = 4;
let app: TestApp;
let api: FakeTelegramApi;
let calls: ReceivedCall[] = [];
let senders: string[] = [];
/** What the processes logged besides the 429 pauses: the hung call's timeout, and anything unexpected. */
let problems: string[] = [];

beforeAll(async () => {
  app = await makeApp({ demo: false });
  api = await new FakeTelegramApi(TOKEN).start();
  const now = app.clock.now();
  await app.deps.db.outbox.createMany({
    data: Array.from({ length: CHATS * PER_CHAT }, (_, i) => ({
      createdAt: now,
      chatRef: `telegram:dm:${5000 + (i % CHATS)}`,
      text: `风暴 ${i}`,
      kind: 'alert',
      urgent: true,
    })),
  });
  api.hangNext(1, HUNG_CHAT);
  // On this shared test host (two CPUs, many processes) a process can stall for seconds: the rate margin must cover
  // the delay between a claim and its arrival at the API (half a second and more: 1 s here, 500 ms by default), and
  // the send timeout must exceed the slowest answer that does come, or a call answered late counts as failed and its
  // message goes twice (at least once, as after a crash). The hung call is given up after the timeout.
  const env = {
    DATABASE_URL: app.deps.config.DATABASE_URL,
    QUIET_HOURS: 'off',
    OUTBOX_LEASE_SECONDS: '12',
    OUTBOX_SEND_TIMEOUT_SECONDS: '5',
    OUTBOX_RETRY_BASE_SECONDS: '1',
    OUTBOX_RATE_MARGIN_MS: '1000',
  };
  const pumps = [spawnPump('storm-a', api.apiRoot, TOKEN, env), spawnPump('storm-b', api.apiRoot, TOKEN, env)];
  try {
    await Promise.all(pumps.map((p) => p.ready));
    // a 429 stretch once a third has gone out
    await waitFor(() => api.received.filter((c) => c.answer === 'ok').length >= (CHATS * PER_CHAT) / 3, {
      what: 'a third of the messages sent',
      timeoutMs: 30_000,
      intervalMs: 5,
    });
    api.rateLimitNext(3, RETRY_AFTER);
    await waitFor(async () => (await app.deps.db.outbox.count({ where: { status: { not: 'sent' } } })) === 0, {
      what: 'the two processes to send everything',
      timeoutMs: 60_000,
      intervalMs: 50,
    });
  } finally {
    await Promise.all(pumps.map((p) => kill(p, 'SIGTERM')));
  }
  problems = pumps.flatMap((p) => p.log.filter((l) => !/answered 429/.test(l)));
  calls = [...api.received].sort((x, y) => x.at - y.at);
  console.log(
    `two-process storm: ${calls.length} calls in ${Math.round(calls.at(-1)!.at - calls[0]!.at)} ms, busiest second ${busiest(
      calls.map((c) => c.at),
      1000,
    )}`,
  );
  senders = (await app.deps.db.outbox.findMany({ distinct: ['claimedBy'], select: { claimedBy: true } })).map((r) => r.claimedBy ?? '');
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await app?.close();
});

describe('two processes, a hung call and a 429 stretch', () => {
  it('deliver every message exactly once, both taking part', async () => {
    console.log(`two-process storm, the processes' log:\n${problems.join('\n')}`);
    const ok = calls.filter((c) => c.answer === 'ok').map((c) => c.text);
    expect(ok.length).toBe(CHATS * PER_CHAT);
    expect(new Set(ok).size).toBe(CHATS * PER_CHAT);
    expect(await app.deps.db.outbox.count({ where: { status: 'sent' } })).toBe(CHATS * PER_CHAT);
    expect(senders.sort()).toEqual(['storm-a', 'storm-b']);
  });

  it('keep to 30 calls a second overall and 1 a second per chat, counting every call the API received', () => {
    expect(
      busiest(
        calls.map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(30);
    const perChat = new Map<string, number[]>();
    for (const c of calls) perChat.set(c.chat_id, [...(perChat.get(c.chat_id) ?? []), c.at]);
    expect(Math.max(...[...perChat.values()].map((t) => busiest(t, 1000)))).toBe(1);
  });

  it('send nothing inside an announced retry_after', () => {
    const refusals = calls.filter((c) => c.answer === '429');
    expect(refusals.length).toBe(3);
    for (const r of refusals) {
      const inside = calls.filter((c) => c.at > r.at + IN_FLIGHT_GRACE_MS && c.at < r.at + RETRY_AFTER * 1000);
      expect(inside).toEqual([]);
    }
  });

  it('the hung call holds up no other chat, and its message goes later, once', () => {
    const hung = calls.find((c) => c.answer === 'hung')!;
    expect(hung.chat_id).toBe(HUNG_CHAT);
    const retried = calls.find((c) => c.text === hung.text && c.answer === 'ok')!;
    expect(retried.at).toBeGreaterThan(hung.at);
    const meanwhile = calls.filter((c) => c.answer === 'ok' && c.at > hung.at && c.at < retried.at && c.chat_id !== HUNG_CHAT);
    expect(meanwhile.length).toBeGreaterThan(10);
  });
});
