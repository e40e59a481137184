/**
 * Writers on PostgreSQL are serialized across clients (processes): two clients opening one new database at once
 * migrate it once between them, and read-then-write transactions from both never interleave (the advisory write lock
 * each transaction takes, see src/store/pg-serialized.ts). Outbox claims take a per-platform lock instead: two clients'
 * claim batches (one simple query each, src/store/pg-script.ts) for different chats at the same moment fill a shared
 * platform window exactly, never past it (without that lock they claimed 9 places of 5). SQLite's twin is
 * test/integration/two-writers.test.ts: there the clients must be separate processes, since better-sqlite3 waits for
 * the file's lock synchronously, stopping the event loop of the client that holds it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, dialect, openDatabase } from '../../src/store/prisma.js';
import { withWriteTransaction } from '../../src/store/write.js';
import { claim, claimMany, enqueue } from '../../src/store/outbox.repository.js';
import { freshPgDatabase, onPostgres, type PgDatabase } from '../helpers/pg.js';

let url: string;
let pg: PgDatabase | undefined;
let dir: string | undefined;
const clients: Db[] = [];

beforeAll(async () => {
  if (onPostgres()) {
    pg = await freshPgDatabase();
    url = pg.url;
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-ser-'));
    url = `file:${path.join(dir, 'ser.db')}`;
  }
});
afterAll(async () => {
  for (const c of clients) await c.$disconnect();
  await pg?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!onPostgres())('writers on one PostgreSQL database (SQLite: two-writers.test.ts, in two processes)', () => {
  it('two clients opening a new database together migrate it once', async () => {
    clients.push(...(await Promise.all([openDatabase(url), openDatabase(url)])));
    expect(dialect(clients[0]!)).toBe(onPostgres() ? 'postgresql' : 'sqlite');
    const names = await clients[0]!.$queryRawUnsafe<{ name: string }[]>('SELECT "name" FROM "_app_migrations" ORDER BY "name"');
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names.map((n) => n.name)).size).toBe(names.length);
  });

  it('read-then-write transactions from two clients never interleave', async () => {
    const [a, b] = clients as [Db, Db];
    const step = (db: Db) =>
      withWriteTransaction(
        db,
        async (tx) => {
          const n = await tx.county.count();
          await new Promise((r) => setImmediate(r)); // give the other client every chance to slip in between
          await tx.county.create({ data: { name: `c${n}` } });
        },
        { seal: false },
      );
    await Promise.all(Array.from({ length: 12 }, (_, i) => step(i % 2 === 0 ? a : b)));
    const rows = await a.county.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.name)).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}`));
  });

  it('an outbox claim does not wait for the write lock (it has its own per-platform lock): it goes through while a write transaction holds it', async () => {
    const [a, b] = clients as [Db, Db];
    const at = new Date('2026-11-18T01:00:00Z');
    const id = await enqueue(a, at, { chatRef: 'telegram:dm:42', text: '测试', kind: 'reply' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const writer = withWriteTransaction(
      a,
      async () => {
        locked();
        await held;
      },
      { seal: false },
    );
    await lockTaken;
    const token = await Promise.race([
      claim(b, { id, attempts: 0, chatRef: 'telegram:dm:42' }, 'proc-b', at, 60_000, { platform: 'telegram', quiet: null, windows: [] }),
      new Promise<'waited'>((r) => setTimeout(() => r('waited'), 3000)),
    ]);
    release();
    await writer;
    expect(token).toEqual({ id, by: 'proc-b', at });
  });

  it('claim batches of two clients at the same moment, for different chats, never overfill the platform window they share', async () => {
    const [a, b] = clients as [Db, Db];
    const MAX = 5;
    for (let round = 0; round < 8; round++) {
      // A later instant each round: the window (MAX a second) starts empty.
      const now = new Date(Date.UTC(2026, 10, 18, 2, 0, round * 10));
      // Each client wants messages of its own chats: no row lock orders them, only the platform's claim lock.
      const chats = Array.from({ length: 24 }, (_, i) => `telegram:dm:${700 + round * 100 + i}`);
      const ids = [];
      for (const chatRef of chats) ids.push(await enqueue(a, now, { chatRef, text: `第${round}轮`, kind: 'alert' }));
      const guard = { platform: 'telegram', quiet: null, windows: [{ scope: 'platform' as const, since: new Date(now.getTime() - 1000), max: MAX }] };
      const wanted = ids.map((id, i) => ({ m: { id, attempts: 0, chatRef: chats[i]! }, guard }));
      const [byA, byB] = await Promise.all([claimMany(a, wanted.slice(0, 12), 'proc-a', now, 60_000), claimMany(b, wanted.slice(12), 'proc-b', now, 60_000)]);
      const takenA = byA.flatMap((t) => (t ? [t.id] : []));
      const takenB = byB.flatMap((t) => (t ? [t.id] : []));
      expect(takenA.length + takenB.length).toBe(MAX);
      const rows = await a.outbox.findMany({ where: { id: { in: ids }, status: 'sending' }, select: { id: true, claimedBy: true } });
      expect(rows.map((r) => `${r.id}:${r.claimedBy}`).sort()).toEqual([...takenA.map((id) => `${id}:proc-a`), ...takenB.map((id) => `${id}:proc-b`)].sort());
    }
  });
});
