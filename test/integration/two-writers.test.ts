/**
 * Two bot processes writing to one SQLite file at the same moment (README allows it): every message is answered,
 * nothing is lost, a race for the same monthly report records it once; two processes starting together on a fresh
 * file both start. Real OS processes, so SQLite's locking between them is the real thing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Incoming } from '../../src/core/chat-port.js';
import { formatChatRef } from '../../src/core/chat-port.js';
import { openDatabase } from '../../src/store/prisma.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NOW = '2026-11-20T08:30:00+08:00';
const migrations = fs
  .readdirSync(path.join(root, 'prisma/migrations'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

function child(mode: 'start' | 'burst', url: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/integration/burst-process.ts', mode, NOW], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`child exited with ${await exited} before answering`);
    return JSON.parse(line.value as string) as Record<string, unknown>;
  };
  return { proc, next, exited };
}

/** Each message in a chat of its own, so every answer can be told apart: one reply per chat. */
function burst(tag: string, teachers: string[]): Incoming[] {
  const out: Incoming[] = [];
  for (let i = 0; i < 200; i++) {
    const staffId = teachers[i % teachers.length]!;
    const id = `${tag}-${i}`;
    out.push({
      platform: 'console',
      accountId: staffId,
      chat: { platform: 'console', kind: 'group', id },
      text: i % 4 === 0 ? '我是谁' : '全到',
      platformMessageId: id,
    });
  }
  for (let i = 0; i < 40; i++) {
    const id = `${tag}-u${i}`;
    out.push({ platform: 'telegram', accountId: id, chat: { platform: 'telegram', kind: 'dm', id }, text: '你好', platformMessageId: id });
  }
  return out;
}

let app: TestApp;
let principals: string[];
let sent: Incoming[] = [];
const outcomes: { handled: number; errors: string[]; ms: number }[] = [];

beforeAll(async () => {
  app = await makeApp({ now: NOW });
  const people = await app.deps.db.person.findMany({ where: { role: { in: ['class_teacher', 'principal'] } }, orderBy: { staffId: 'asc' } });
  const teachers = people.filter((p) => p.role === 'class_teacher').map((p) => p.staffId);
  principals = people.filter((p) => p.role === 'principal').map((p) => p.staffId);
  // Both processes confirm every school's monthly report at the same moment.
  const confirm = (tag: string): Incoming[] =>
    principals.map((p) => ({
      platform: 'console',
      accountId: p,
      chat: { platform: 'console', kind: 'dm', id: p },
      text: '确认月报',
      platformMessageId: `${tag}-confirm-${p}`,
    }));
  const batches = [
    [...burst('a', teachers), ...confirm('a')],
    [...burst('b', [...teachers].reverse()), ...confirm('b')],
  ];
  sent = batches.flat();
  const url = app.deps.config.DATABASE_URL;
  const procs = batches.map(() => child('burst', url));
  procs.forEach((p, i) => p.proc.stdin!.write(`${JSON.stringify(batches[i])}\n`));
  await Promise.all(procs.map((p) => p.next()));
  for (const p of procs) p.proc.stdin!.end('go\n');
  outcomes.push(...((await Promise.all(procs.map((p) => p.next()))) as unknown as typeof outcomes));
  console.log(`two writers: ${sent.length} messages, ${outcomes.map((o) => `${o.handled} in ${o.ms} ms`).join(' and ')}`);
  await Promise.all(procs.map((p) => p.exited));
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('two processes writing at once', () => {
  it('handle every message of both bursts without an error', () => {
    const errors = outcomes.flatMap((o) => o.errors);
    expect([...new Set(errors.map((e) => e.trim().split('\n').at(-1)))]).toEqual([]);
    expect(outcomes.reduce((n, o) => n + o.handled, 0)).toBe(sent.length);
  });

  it('answer every message: one reply in each message’s chat, each recorded as handled', async () => {
    const db = app.deps.db;
    const single = sent.filter((m) => m.chat.kind === 'group' || m.platform === 'telegram');
    expect(single.length).toBeGreaterThanOrEqual(400);
    const replies = await db.outbox.groupBy({ by: ['chatRef'], _count: { _all: true } });
    const count = new Map(replies.map((r) => [r.chatRef, r._count._all]));
    const unanswered = single.filter((m) => count.get(formatChatRef(m.chat)) !== 1);
    expect(unanswered).toEqual([]);
    expect(await db.inboundMessage.count({ where: { messageId: { in: sent.map((m) => m.platformMessageId!) } } })).toBe(sent.length);
  });

  it('record a race for the same monthly report once, and answer both principals', async () => {
    const db = app.deps.db;
    expect(await db.monthlyConfirmation.count()).toBe(principals.length);
    for (const p of principals) {
      const texts = (await db.outbox.findMany({ where: { chatRef: `console:dm:${p}` }, select: { text: true } })).map((r) => r.text);
      expect(texts.filter((t) => t.startsWith('已确认'))).toHaveLength(1);
      expect(texts.filter((t) => t.includes('不能重复确认'))).toHaveLength(1);
    }
  });
});

describe('one process, one connection', () => {
  it('a write outside any transaction, made while another transaction is open, survives that one’s rollback', async () => {
    const db = app.deps.db;
    const refused = db
      .$transaction(async (tx) => {
        await tx.inboundMessage.create({ data: { platform: 'test', messageId: 'inside', receivedAt: new Date(0) } });
        await new Promise((r) => setTimeout(r, 100));
        throw new Error('refused');
      })
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 20));
    await db.inboundMessage.create({ data: { platform: 'test', messageId: 'outside', receivedAt: new Date(0) } });
    expect(await refused).toBe('refused');
    expect((await db.inboundMessage.findMany({ where: { platform: 'test' } })).map((r) => r.messageId)).toEqual(['outside']);
  });
});

describe('two processes starting together on a fresh file', () => {
  it('both start, and the database ends up migrated once', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-start-'));
      const url = `file:${path.join(dir, 'fresh.db')}`;
      const procs = [child('start', url), child('start', url)];
      await Promise.all(procs.map((p) => p.next()));
      for (const p of procs) p.proc.stdin!.end('go\n');
      const ready = await Promise.allSettled(procs.map((p) => p.next()));
      expect(ready.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(await Promise.all(procs.map((p) => p.exited))).toEqual([0, 0]);
      const db = await openDatabase(url);
      const rows = await db.$queryRawUnsafe<{ name: string }[]>('SELECT "name" FROM "_app_migrations"');
      await db.$disconnect();
      expect(rows.map((r) => r.name).sort()).toEqual(migrations);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
