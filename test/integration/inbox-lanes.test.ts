/**
 * The inbox worker handles different chats at the same time and each chat's updates in the order they came, marks
 * what it handled in one statement per round, and records a redelivered update once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { createInbox } from '../../src/core/inbox.js';
import { handleIncoming, type HandleResult } from '../../src/core/router.js';
import type { Incoming } from '../../src/core/chat-port.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => {
  await app?.close();
});

const msg = (chat: string, seq: number): Incoming => ({
  platform: 'telegram',
  accountId: chat,
  chat: { platform: 'telegram', kind: 'dm', id: chat },
  text: String(seq),
  platformMessageId: `${chat}:${seq}`,
});

describe('inbox lanes', () => {
  it('chats overlap, each chat keeps its order, and every update is marked handled', async () => {
    const seen = new Map<string, number[]>();
    let inHand = 0;
    let mostAtOnce = 0;
    const inbox = createInbox(
      app.deps,
      async (m) => {
        inHand++;
        mostAtOnce = Math.max(mostAtOnce, inHand);
        // Handlers take different turns of the event loop, so lanes interleave.
        for (let i = 0; i < (Number(m.text) * 7 + m.accountId.length) % 4; i++) await new Promise((r) => setImmediate(r));
        seen.set(m.accountId, [...(seen.get(m.accountId) ?? []), Number(m.text)]);
        inHand--;
      },
      { lanes: 4 },
    );
    const chats = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff'];
    // Interleaved as they would arrive: a round-robin over the chats, ten each.
    for (let seq = 1; seq <= 10; seq++) for (const c of chats) await inbox.accept(msg(c, seq));
    await inbox.accept(msg('a', 3)); // a redelivery: recorded once
    expect(await app.deps.db.inboundUpdate.count()).toBe(60);
    expect(await inbox.drain()).toBe(60);
    for (const c of chats) expect(seen.get(c)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(4);
    expect(await app.deps.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
    expect(await inbox.drain()).toBe(0);
  });

  it('a failed update holds back the later ones of its chat only, and is tried again', async () => {
    let failOnce = true;
    const seen: string[] = [];
    const inbox = createInbox(
      app.deps,
      async (m) => {
        if (m.accountId === 'x' && m.text === '2' && failOnce) {
          failOnce = false;
          throw new Error('boom');
        }
        seen.push(`${m.accountId}${m.text}`);
      },
      { lanes: 2, log: () => undefined },
    );
    for (const m of [msg('x', 1), msg('y', 1), msg('x', 2), msg('y', 2), msg('x', 3)]) await inbox.accept(m);
    await inbox.drain();
    expect(seen.filter((s) => s.startsWith('x'))).toEqual(['x1']);
    expect(seen.filter((s) => s.startsWith('y'))).toEqual(['y1', 'y2']);
    await inbox.drain();
    expect(seen.filter((s) => s.startsWith('x'))).toEqual(['x1', 'x2', 'x3']);
    expect(await app.deps.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
  });

  it('handled but not yet marked when the process died: handled again at the next start, answered once', async () => {
    const results: HandleResult['handled'][] = [];
    const handle = async (m: Incoming) => void results.push((await handleIncoming(app.deps, m)).handled);
    const first = createInbox(app.deps, handle);
    for (const c of ['p', 'q']) await first.accept(msg(c, 1));
    await first.drain();
    expect(results).toEqual(['unbound', 'unbound']);
    const replies = await app.deps.db.outbox.count();
    // The round's marks never written (the process died after handling): both updates look unhandled again.
    await app.deps.db.inboundUpdate.updateMany({ where: { updateId: { in: ['p:1', 'q:1'] } }, data: { handledAt: null } });
    const next = createInbox(app.deps, handle);
    expect(await next.drain()).toBe(2);
    expect(results).toEqual(['unbound', 'unbound', 'duplicate', 'duplicate']);
    expect(await app.deps.db.outbox.count()).toBe(replies);
    expect(await app.deps.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
  });
});
