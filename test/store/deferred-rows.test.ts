/**
 * Replies and audit lines in a shared write transaction (deferred-rows.ts): written at its end, one INSERT per table
 * for all its handlings; a handling that fails leaves none of its rows; a statement of the transaction that names the
 * outbox writes the kept rows first, so a chat's messages keep their order, and a handling that fails after that does
 * not take the rows of the handlings before it with it. On both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { kindsSince, statementKinds } from '../../scripts/bench/count-statements.js';
import { sendToChat } from '../../src/services/messenger.js';
import { audit } from '../../src/store/chat.repository.js';
import { enqueue } from '../../src/store/outbox.repository.js';
import type { Tx } from '../../src/store/prisma.js';
import { withSharedWriteTransaction } from '../../src/store/write-group.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => app.close());

const at = new Date('2026-11-23T00:30:00.000Z');
const shared = <T>(fn: (tx: Tx) => Promise<T>) => withSharedWriteTransaction(app.deps.db, fn);
const textsIn = async (chatRef: string) =>
  (await app.deps.db.outbox.findMany({ where: { chatRef }, orderBy: { id: 'asc' }, select: { text: true } })).map((r) => r.text);

describe('rows kept to the end of a shared write transaction', () => {
  it("a batch's replies and audit lines: one INSERT per table at its end, in the order the handlings wrote them", async () => {
    const before = statementKinds();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        shared(async (tx) => {
          await sendToChat(tx, at, 'test:group:batch', `回复 ${i}`);
          await audit(tx, at, 'deferred_batch', { i }, undefined, 'test:group:batch');
        }),
      ),
    );
    expect(kindsSince(before).INSERT).toBe(2);
    expect(await textsIn('test:group:batch')).toEqual([0, 1, 2, 3, 4, 5].map((i) => `回复 ${i}`));
    const lines = await app.deps.db.auditLog.findMany({ where: { action: 'deferred_batch' }, orderBy: { id: 'asc' } });
    expect(lines.map((l) => JSON.parse(l.detail).i)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a handling that fails leaves none of its rows; the others keep theirs', async () => {
    const settled = await Promise.allSettled(
      [0, 1, 2].map((i) =>
        shared(async (tx) => {
          await sendToChat(tx, at, 'test:group:undone', `回复 ${i}`);
          await audit(tx, at, 'deferred_undone', { i });
          if (i === 1) throw new Error('refused on purpose');
        }),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await textsIn('test:group:undone')).toEqual(['回复 0', '回复 2']);
    expect(await app.deps.db.auditLog.count({ where: { action: 'deferred_undone' } })).toBe(2);
  });

  it("a message written at once comes after the chat's kept ones; one that fails after writing them does not lose them", async () => {
    const chat = 'test:dm:order';
    const settled = await Promise.allSettled([
      shared((tx) => sendToChat(tx, at, chat, 'A 先回复')),
      shared(async (tx) => {
        // Needs its id at once: the kept reply of A is written first, inside this handling's savepoint.
        await enqueue(tx, at, { chatRef: chat, text: 'B 随后失败' });
        throw new Error('refused on purpose');
      }),
      shared((tx) => enqueue(tx, at, { chatRef: chat, text: 'C 立即写入' })),
      shared((tx) => sendToChat(tx, at, chat, 'D 最后回复')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await textsIn(chat)).toEqual(['A 先回复', 'C 立即写入', 'D 最后回复']);
  });

  it('outside a shared transaction a row is written at once', async () => {
    await app.deps.db.$transaction(async (tx) => {
      await sendToChat(tx, at, 'test:dm:alone', '单独写入');
      expect(await tx.outbox.count({ where: { chatRef: 'test:dm:alone' } })).toBe(1);
    });
  });
});
