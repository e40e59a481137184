/**
 * Slow tier. `npm start` (the compiled build) with Telegram long polling against the fake Bot API, SIGKILLed three
 * times while it handles a stream of teachers' messages (handlings sharing write transactions, write-group.ts), each
 * time started again on the same SQLite file. Every message must be handled exactly once — none lost with a killed
 * batch, none handled twice after it — and answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildIfStale, type Started, startCompiled, stopStarted } from '../helpers/compiled-start.js';
import { bindAccount } from '../../src/store/account.repository.js';

const TOKEN = '77:CRASH';
const PER_TEACHER = 30;
/** Kill when this share of the messages has been handled (committed), then start again. */
const KILL_AT = [0.2, 0.45, 0.7];

let app: TestApp;
let api: FakeTelegramApi;
let child: Started | undefined;
/** Every start's output, in order. */
const starts: Started[] = [];
const output = () => starts.map((s) => s.output()).join('');

beforeAll(async () => {
  buildIfStale();
  app = await makeApp({ now: '2026-11-18T09:00:00+08:00' });
  api = await new FakeTelegramApi(TOKEN).start();
});

afterAll(async () => {
  if (child) await stopStarted(child);
  await api?.stop();
  await app?.close();
});

function start(): Started {
  const started = startCompiled({
    DATABASE_URL: app.deps.config.DATABASE_URL,
    REPORTS_DIR: app.deps.config.REPORTS_DIR,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    // Telegram's send limits would make this a test of waiting.
    TELEGRAM_MAX_PER_SECOND: '10000',
    TELEGRAM_MAX_PER_CHAT_PER_SECOND: '10000',
    TELEGRAM_MAX_PER_GROUP_PER_MINUTE: '10000',
    // A killed process's claims hold their chats until the lease runs out (as crash-fanout.test.ts).
    OUTBOX_LEASE_SECONDS: '10',
    OUTBOX_SEND_TIMEOUT_SECONDS: '5',
  });
  starts.push(started);
  return started;
}

describe('inbound handling killed mid-stream', () => {
  it('three SIGKILLs while it handles: every message handled exactly once and answered', { timeout: 180_000 }, async () => {
    const db = app.deps.db;
    const teachers = await db.person.findMany({ where: { role: 'class_teacher', active: true }, orderBy: { id: 'asc' } });
    const userOf = (personId: number) => 50_000 + personId;
    for (const t of teachers) await bindAccount(db, t.id, 'telegram', String(userOf(t.id)), app.clock.now());
    const total = teachers.length * PER_TEACHER;
    // Interleaved as they would arrive: a round over the teachers, again and again.
    for (let k = 0; k < PER_TEACHER; k++) for (const t of teachers) api.userSays({ id: userOf(t.id) }, { id: userOf(t.id), type: 'private' }, '帮助');
    let last = 0;
    const handled = async () => (last = await db.inboundMessage.count({ where: { platform: 'telegram' } }));

    const atKill: number[] = [];
    for (const share of KILL_AT) {
      child = start();
      await waitFor(async () => (await handled()) >= Math.floor(total * share), {
        timeoutMs: 60_000,
        what: () => `${Math.floor(total * share)} handled (only ${last}); output: ${output().slice(-1500)}`,
      });
      await stopStarted(child);
      atKill.push(await handled());
    }
    child = start();
    await waitFor(async () => (await handled()) === total && (await db.inboundUpdate.count({ where: { handledAt: null } })) === 0, {
      timeoutMs: 90_000,
      what: () => `all ${total} handled (${last}); output: ${output().slice(-1500)}`,
    });
    // Answered: every chat got at least one reply per message (one sent again is possible if it was in flight at a kill).
    await waitFor(() => teachers.every((t) => api.received.filter((c) => c.chat_id === String(userOf(t.id)) && c.answer === 'ok').length >= PER_TEACHER), {
      timeoutMs: 60_000,
      what: () => `every chat answered ${PER_TEACHER} times (${api.received.length} sends)`,
    });
    await stopStarted(child);
    child = undefined;
    console.log(`inbound-crash: ${total} messages, handled when killed: ${atKill.join(', ')}; replies sent ${api.received.length}`);

    // Exactly once: one update row and one dedup row per message, and one reply queued per message in each chat.
    expect(await db.inboundUpdate.count({ where: { platform: 'telegram' } })).toBe(total);
    expect(await handled()).toBe(total);
    for (const t of teachers) expect(await db.outbox.count({ where: { chatRef: `telegram:dm:${userOf(t.id)}` } })).toBe(PER_TEACHER);
    expect(output()).not.toMatch(/没有记录成功|failed:/);
  });
});
