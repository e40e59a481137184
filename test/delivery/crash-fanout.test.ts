/**
 * Slow tier. A fan-out of 2,000 messages delivered by child processes, three at a time (real Telegraf against the
 * fake Bot API, real SQLite, real time), SIGKILLed at 23 random points while they send; then a fresh process finishes.
 * Nothing may be lost, and a message may arrive twice only if it was in flight (claimed, not yet settled) in a
 * process at the moment that process was killed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { kill, spawnPump, type Child } from './children.js';
import { waitFor } from '../helpers/wait-for.js';

const TOKEN = '2000:FANOUT';
const MESSAGES = 2000;
const CHATS = 400;
/** Kills while the fan-out runs; the three processes still running at the end are killed too. */
const KILLS = 20;
let app: TestApp;
let api: FakeTelegramApi;
const inFlightAtKill = new Set<string>();
let kills = 0;
/** Sends given up on a timeout (their message may go twice without a kill): expected none. */
let timeouts = 0;

beforeAll(async () => {
  app = await makeApp({ demo: false });
  api = await new FakeTelegramApi(TOKEN).start();
  const now = app.clock.now();
  await app.deps.db.outbox.createMany({
    data: Array.from({ length: MESSAGES }, (_, i) => ({
      createdAt: now,
      chatRef: `telegram:dm:${10_000 + (i % CHATS)}`,
      text: `群发 ${i}`,
      kind: 'alert',
      urgent: true,
    })),
  });
  const env = {
    DATABASE_URL: app.deps.config.DATABASE_URL,
    QUIET_HOURS: 'off',
    TELEGRAM_MAX_PER_SECOND: '2000',
    TELEGRAM_MAX_PER_CHAT_PER_SECOND: '100',
    // a send timeout the slowest answer on a loaded host stays under: a late answer taken for a failure would send
    // its message twice without any kill
    OUTBOX_LEASE_SECONDS: '10',
    OUTBOX_SEND_TIMEOUT_SECONDS: '5',
  };
  const delivered = () => api.received.filter((c) => c.answer === 'ok').length;
  // kill points: a random amount of progress each, spread over the fan-out
  const points = Array.from({ length: KILLS }, () => 40 + Math.floor(Math.random() * (MESSAGES - 200))).sort((x, y) => x - y);
  let next = 0;
  const start = (n: number) => spawnPump(`k${n}`, api.apiRoot, TOKEN, env);
  const running: Child[] = [start(next++), start(next++), start(next++)];
  const killOldest = async () => {
    const victim = running.shift()!;
    await kill(victim);
    timeouts += victim.log.filter((l) => /no answer within|发送超时/.test(l)).length;
    kills++;
    // what it had claimed and not settled: these (and only these) may arrive twice
    const rows = await app.deps.db.outbox.findMany({ where: { status: 'sending', claimedBy: victim.id }, select: { text: true } });
    for (const r of rows) inFlightAtKill.add(r.text);
  };
  for (let i = 0; i < points.length; i++) {
    await waitFor(() => delivered() >= points[i]!, {
      what: () => `${points[i]} messages delivered before kill ${i + 1} (${delivered()} so far)`,
      timeoutMs: 60_000,
      intervalMs: 5,
    });
    await killOldest();
    running.push(start(next++));
  }
  while (running.length) await killOldest();
  // a fresh process finishes the work, including what the killed ones left "sending" (after the lease)
  const last = spawnPump('final', api.apiRoot, TOKEN, env);
  await waitFor(async () => (await app.deps.db.outbox.count({ where: { status: { not: 'sent' } } })) === 0, {
    what: 'the last process to send everything left',
    timeoutMs: 60_000,
    intervalMs: 50,
  });
  await kill(last, 'SIGTERM');
  timeouts += last.log.filter((l) => /no answer within|发送超时/.test(l)).length;
}, 170_000);

afterAll(async () => {
  await api?.stop();
  await app?.close();
});

describe('SIGKILL during a 2,000-message fan-out', () => {
  it(`is killed at ${KILLS + 3} points and loses nothing`, async () => {
    expect(kills).toBe(KILLS + 3);
    const got = new Set(api.received.filter((c) => c.answer === 'ok').map((c) => c.text));
    expect(got.size).toBe(MESSAGES);
    expect(await app.deps.db.outbox.count({ where: { status: 'sent' } })).toBe(MESSAGES);
  });

  it('sends twice only what was in flight in a killed process', () => {
    const times = new Map<string, number>();
    for (const c of api.received) if (c.answer === 'ok') times.set(c.text, (times.get(c.text) ?? 0) + 1);
    const twice = [...times].filter(([, n]) => n > 1).map(([t]) => t);
    console.log(
      `crash fan-out: ${kills} kills, ${inFlightAtKill.size} message(s) in flight at a kill, ${twice.length} delivered twice, ${timeouts} send timeout(s)`,
    );
    expect(timeouts).toBe(0);
    for (const t of twice) expect(inFlightAtKill.has(t)).toBe(true);
    expect(twice.length).toBeLessThanOrEqual(inFlightAtKill.size);
  });

  it("keeps each chat's messages in order (first arrivals)", () => {
    const seen = new Set<string>();
    const last = new Map<string, number>();
    for (const c of api.received) {
      if (c.answer !== 'ok' || seen.has(c.text)) continue;
      seen.add(c.text);
      const n = Number(c.text.split(' ')[1]);
      expect(n).toBeGreaterThan(last.get(c.chat_id) ?? -1);
      last.set(c.chat_id, n);
    }
  });
});
