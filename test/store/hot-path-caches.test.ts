/**
 * The hot path's caches, on real SQLite files: prepared statements kept by SQL text (right rows for every call's
 * values, bounded), and the organisation cache (accounts, people, group bindings) that one read of OrgVersion keeps
 * current — a binding written by the bot, by another process, or rolled back is seen (or not) by the next message.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachePreparedStatements, queue } from '../../src/store/sqlite-immediate.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { handleIncoming } from '../../src/core/router.js';
import { bindAccount } from '../../src/store/account.repository.js';
import { bindGroup } from '../../src/store/chat.repository.js';
import { openOrgView, orgCacheStats } from '../../src/store/org-cache.js';
import { withWriteTransaction } from '../../src/store/write.js';
import type { Incoming } from '../../src/core/chat-port.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('prepared statement cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-stmt-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers each call with its own values, reuses the compiled statement, and keeps at most `size`', () => {
    const db = new Database(path.join(dir, 'a.db'));
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    let compiled = 0;
    const prepare = db.prepare.bind(db);
    (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      compiled++;
      return prepare(sql);
    };
    const conn = db as unknown as Parameters<typeof cachePreparedStatements>[0];
    const cache = cachePreparedStatements(conn, 2);
    for (let i = 1; i <= 20; i++)
      conn
        .prepare('INSERT INTO t (id, name) VALUES (?, ?)')
        .bind([i, `n${i}`])
        .run();
    expect(compiled).toBe(1);
    for (let i = 1; i <= 20; i++) {
      const stmt = conn.prepare('SELECT id, name FROM t WHERE id = ?').bind([i]);
      expect(stmt.reader).toBe(true);
      expect(stmt.raw().all()).toEqual([[i, `n${i}`]]);
    }
    expect(compiled).toBe(2);
    // A third SQL text drops the least recently used (the INSERT); using it again compiles it again.
    expect(conn.prepare('SELECT count(*) FROM t').bind([]).raw().all()).toEqual([[20]]);
    expect(cache.size()).toBe(2);
    conn.prepare('INSERT INTO t (id, name) VALUES (?, ?)').bind([21, 'n21']).run();
    expect(compiled).toBe(4);
    expect(cache.size()).toBe(2);
    // A bound statement is bound once, as better-sqlite3's own.
    const bound = conn.prepare('SELECT id FROM t WHERE id = ?').bind([1]);
    expect(() => bound.bind([2])).toThrow(/only be invoked once/);
    // Unbound use of a cached statement reads objects again, whatever the last bound run left it in.
    expect(conn.prepare('SELECT id, name FROM t WHERE id = ?').all(3)).toEqual([{ id: 3, name: 'n3' }]);
    db.close();
  });
});

describe('connection queue', () => {
  it('one holder at a time; a waiting statement goes before a waiting transaction, each class in arrival order', async () => {
    const acquire = queue();
    const order: string[] = [];
    const first = await acquire();
    const waiting = [
      acquire().then((r) => (order.push('tx1'), r)),
      acquire(true).then((r) => (order.push('st1'), r)),
      acquire().then((r) => (order.push('tx2'), r)),
      acquire(true).then((r) => (order.push('st2'), r)),
    ];
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    first();
    first(); // a second release of the same turn lets nobody else in
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setImmediate(r));
      expect(order).toHaveLength(i + 1);
      (await waiting[['tx1', 'st1', 'tx2', 'st2'].indexOf(order[i]!)]!)();
    }
    expect(order).toEqual(['st1', 'st2', 'tx1', 'tx2']);
  });
});

describe('organisation cache', () => {
  let app: TestApp;
  let teacher: { id: number; classId: number | null };
  let other: { id: number };
  beforeAll(async () => {
    app = await makeApp({ now: '2026-11-18T08:30:00+08:00' });
    const teachers = await app.deps.db.person.findMany({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' }, take: 2 });
    teacher = teachers[0]!;
    other = teachers[1]!;
  });
  afterAll(async () => {
    await app?.close();
  });

  let n = 0;
  const dm = (accountId: string, text: string): Incoming => ({
    platform: 'telegram',
    accountId,
    chat: { platform: 'telegram', kind: 'dm', id: accountId },
    text,
    platformMessageId: `${accountId}:${++n}`,
  });
  /** The last message queued for a chat. */
  const lastTo = async (chatRef: string) => (await app.deps.db.outbox.findFirst({ where: { chatRef }, orderBy: { id: 'desc' } }))?.text ?? '';

  it('a binding made after a message was answered as unbound is seen by the next message, and cached after that', async () => {
    expect((await handleIncoming(app.deps, dm('501', '帮助'))).handled).toBe('unbound');
    await bindAccount(app.deps.db, teacher.id, 'telegram', '501', app.deps.clock.now());
    expect((await handleIncoming(app.deps, dm('501', '帮助'))).handled).toBe('command');
    const before = orgCacheStats(app.deps.db);
    expect((await handleIncoming(app.deps, dm('501', '帮助'))).handled).toBe('command');
    const after = orgCacheStats(app.deps.db);
    expect(after.version).toBe(before.version);
    expect(after.misses).toBe(before.misses);
    expect(after.hits).toBeGreaterThan(before.hits);
  });

  it('a class group bound after a message is read as that class group by the next message', async () => {
    const group: Incoming = {
      platform: 'telegram',
      accountId: '501',
      chat: { platform: 'telegram', kind: 'group', id: '-501' },
      text: '应到45人，实到45人',
      platformMessageId: 'g1',
    };
    expect((await handleIncoming(app.deps, group)).handled).toBe('ignored');
    await bindGroup(app.deps.db, 'telegram:group:-501', teacher.classId!, teacher.id, app.deps.clock.now());
    expect((await handleIncoming(app.deps, { ...group, platformMessageId: 'g2' })).handled).toBe('text');
  });

  it('a binding written by another process is seen by the next message here', async () => {
    expect((await handleIncoming(app.deps, dm('501', '帮助'))).handled).toBe('command');
    // Another OS process, through the project's own store: the account now acts as another teacher, 502 as nobody.
    const script = `
      const { openDatabase } = await import('./src/store/prisma.ts');
      const { bindAccount } = await import('./src/store/account.repository.ts');
      const db = await openDatabase(process.argv[1]);
      await bindAccount(db, Number(process.argv[2]), 'telegram', '501', new Date('2026-11-18T00:31:00Z'));
      await db.$disconnect();
    `;
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script, app.deps.config.DATABASE_URL, String(other.id)],
        { cwd: root },
        (e, _out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve()),
      ),
    );
    expect((await handleIncoming(app.deps, dm('501', '帮助'))).handled).toBe('command');
    const acting = await app.deps.db.chatAccount.findFirst({ where: { accountId: '501', revokedAt: null } });
    expect(acting?.personId).toBe(other.id);
    // The sender is the other teacher now: refusing to name a pupil of the first teacher's class shows whose scope it read.
    const pupil = await app.deps.db.student.findFirst({ where: { classId: teacher.classId! }, orderBy: { id: 'asc' } });
    const r = await handleIncoming(app.deps, dm('501', `缺勤 ${pupil!.studentNo.slice(-8)} 病假`));
    expect(r.handled).toBe('refused');
    expect(await lastTo('telegram:dm:501')).toContain('没有找到');
  });

  it('what a rolled-back transaction read after its own binding is not kept', async () => {
    await expect(
      withWriteTransaction(app.deps.db, async (tx) => {
        const view = await openOrgView(app.deps.db, tx);
        await bindAccount(tx, teacher.id, 'telegram', '777', app.deps.clock.now());
        expect((await view.personByAccount('telegram', '777'))?.id).toBe(teacher.id);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await handleIncoming(app.deps, dm('777', '帮助'))).handled).toBe('unbound');
  });
});
